// kasf_eval end to end on a tiny dataset (eval_test_data.h) with the committed fixture models:
// table shapes, scores of predictions built from the ground truth (zero and hand-computed errors
// under both aggregations), the predictions-file round trip, the kinematic report, and bad input.
#define BOOST_TEST_MODULE tools
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "datasets/normalize.h"
#include "eval_test_data.h"
#include "framework/io/hdf5.h"
#include "framework/io/weight_file.h"
#include "models/inference.h"
#include "tests/support/cuda_presence.h"
#include "tests/support/scratch_dir.h"

namespace fs = std::filesystem;
using namespace kasf::test;

namespace {

const std::string kModel = "../data/fixtures/fixture_small.h5";
const std::string kPerturbedModel = "../data/fixtures/fixture_small_perturbed.h5";

struct Run {
  int status;
  std::string out, err;
};

// A scratch folder holding the tiny dataset (data.h5) for the runs of one test.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "kasf-eval-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
    kasf::data::DatasetData data;
    data.splits["test"] = make_test_split();
    kasf::data::write_dataset_file(file("data.h5"), data);
  }
  ~Scratch() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

  Run eval(const std::string& arguments) const {
    const std::string command = std::string(KASF_EVAL) + " --quiet " + arguments + " > " + file("out") + " 2> " +
                                file("err");
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, kasf::test::read_file(file("out")), kasf::test::read_file(file("err"))};
  }
  std::string data() const { return "--data " + file("data.h5"); }

 private:
  fs::path path_;
};

// The cells of the markdown row that starts with `name`; empty when there is none.
std::vector<std::string> markdown_row(const std::string& table, const std::string& name) {
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| " + name + " |", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream parts(line.substr(1));
    for (std::string cell; std::getline(parts, cell, '|');) cells.push_back(cell.substr(1, cell.size() - 2));
    return cells;
  }
  return {};
}

// The model input of `clips` test clips as kasf_eval cuts and normalises them (spec 6.2), position t
// of clip c showing the detections of frame frame_of(c, t).
std::vector<float> clip_input(int64_t clips, const std::function<int64_t(int64_t, int64_t)>& frame_of) {
  const kasf::data::ImageSize size{kImageWidth, kImageHeight};
  std::vector<float> input;
  for (int64_t clip = 0; clip < clips; ++clip)
    for (int64_t t = 0; t < kClipLength; ++t)
      for (int64_t j = 0; j < 17; ++j) {
        const int64_t f = frame_of(clip, t);
        // Stored as float32 in the file, then normalised in double.
        const double u = float(detection_u(f, j)), v = float(detection_v(f, j));
        input.insert(input.end(), {float(u / size.width * 2 - 1), float(v / size.width * 2 - size.height / size.width),
                                   0.9f});
      }
  return input;
}

// The fixture model's output for `clips` clips of `input`, in one call.
std::vector<float> fixture_model_output(int64_t clips, const std::vector<float>& input) {
  auto model = kasf::models::load_model(kModel);
  return kasf::models::predict(*model, kasf::Tensor::from_vector({clips, kClipLength, 17, 3}, input)).to_vector();
}

// The predictions file kasf_eval writes for the fixture model with `extra` arguments, and its shape.
std::vector<float> written_predictions(const Scratch& scratch, const std::string& extra, kasf::Shape& shape) {
  const std::string file = scratch.file("written.h5");
  const Run run = scratch.eval(scratch.data() + " --weights " + kModel + extra + " --write-predictions " + file);
  BOOST_REQUIRE_MESSAGE(run.status == 0, run.err);
  kasf::io::h5::Handle predictions = kasf::io::h5::open_file(file);
  return kasf::io::h5::read_floats(predictions.id(), "predictions", &shape);
}

nlohmann::json json_rows(const Run& run) {
  BOOST_REQUIRE_MESSAGE(run.status == 0, run.err);
  return nlohmann::json::parse(run.out).at("rows");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kasf_eval)

BOOST_AUTO_TEST_CASE(models_table_has_a_row_per_model) {
  Scratch scratch;
  const Run run = scratch.eval(scratch.data() + " --weights " + kModel + " --weights " + kPerturbedModel);
  BOOST_REQUIRE_MESSAGE(run.status == 0, run.err);
  BOOST_TEST(run.out.find("aggregation: official") != std::string::npos);
  BOOST_TEST(!markdown_row(run.out, "model").empty());
  BOOST_TEST(markdown_row(run.out, "model") ==
                 (std::vector<std::string>{"model", "parameters", "frames", "2d_source", "mpjpe_mm", "p_mpjpe_mm"}),
             boost::test_tools::per_element());
  for (const std::string name : {"fixture_small", "fixture_small_perturbed"}) {
    const std::vector<std::string> row = markdown_row(run.out, name);
    BOOST_REQUIRE_EQUAL(row.size(), 6u);
    BOOST_TEST(row[1] == "0.15M");  // 154,164 parameters (configs/kasportsformer_small.prototxt)
    BOOST_TEST(row[2] == "9");
    BOOST_TEST(row[3] == "det");  // the split has confidence
    for (const std::string& error : {row[4], row[5]}) {
      BOOST_TEST(error.find('.') == error.size() - 2, error << " has one decimal");
      BOOST_TEST(std::stod(error) > 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(action_table_has_a_column_per_action) {
  Scratch scratch;
  const Run run = scratch.eval(scratch.data() + " --weights " + kModel + " --by action --protocol frames");
  BOOST_REQUIRE_MESSAGE(run.status == 0, run.err);
  BOOST_TEST(run.out.find("aggregation: frame-weighted") != std::string::npos);
  BOOST_TEST(markdown_row(run.out, "model") == (std::vector<std::string>{"model", "jump", "run", "average"}),
             boost::test_tools::per_element());
  BOOST_TEST(markdown_row(run.out, "fixture_small").size() == 4u);
}

BOOST_AUTO_TEST_CASE(perfect_predictions_score_zero) {
  Scratch scratch;
  write_predictions(scratch.file("perfect.h5"), predictions_for_truth(0, 0), kClips, 17);
  const Run run = scratch.eval(scratch.data() + " --predictions " + scratch.file("perfect.h5"));
  BOOST_REQUIRE_MESSAGE(run.status == 0, run.err);
  const std::vector<std::string> row = markdown_row(run.out, "perfect");
  BOOST_REQUIRE_EQUAL(row.size(), 6u);
  BOOST_TEST(row[1] == "n/a");  // parameters unknown
  BOOST_TEST(row[4] == "0.0");
  BOOST_TEST(row[5] == "0.0");
  BOOST_TEST(run.err.find("has no clip_fingerprint") != std::string::npos);
}

// Every joint but the root 10 mm off in x for "jump" (27 frames), exact for "run" (18 frames):
// MPJPE per frame 10 * 16/17 mm for jump, 0 for run.
BOOST_AUTO_TEST_CASE(offsets_give_the_hand_computed_mpjpe_under_both_protocols) {
  Scratch scratch;
  write_predictions(scratch.file("offset.h5"), predictions_for_truth(10, 0), kClips, 17);
  const double jump = 10.0 * 16 / 17;
  // The tables round to one decimal.
  const auto rounded = [](double mm) { return std::round(mm * 10) / 10; };
  const nlohmann::json official =
      json_rows(scratch.eval(scratch.data() + " --predictions " + scratch.file("offset.h5") + " --format json"));
  BOOST_TEST(official[0]["mpjpe_mm"].get<double>() == rounded(jump / 2));
  const nlohmann::json frames = json_rows(scratch.eval(scratch.data() + " --predictions " + scratch.file("offset.h5") +
                                                       " --format json --protocol frames"));
  BOOST_TEST(frames[0]["mpjpe_mm"].get<double>() == rounded(jump * 27 / 45));
  const nlohmann::json actions = json_rows(scratch.eval(scratch.data() + " --predictions " +
                                                        scratch.file("offset.h5") + " --format json --by action"));
  BOOST_TEST(actions[0]["jump"].get<double>() == rounded(jump));
  BOOST_TEST(actions[0]["run"].get<double>() == 0);
}

BOOST_AUTO_TEST_CASE(predictions_round_trip_gives_the_model_numbers) {
  Scratch scratch;
  const std::string file = scratch.file("fixture_predictions.h5");
  for (const std::string by : {"models", "action", "joint", "body-part"}) {
    const std::string table = " --format json --flip --by " + by;
    const nlohmann::json model =
        json_rows(scratch.eval(scratch.data() + " --weights " + kModel + " --write-predictions " + file + table));
    const nlohmann::json stored = json_rows(scratch.eval(scratch.data() + " --predictions " + file + table));
    BOOST_TEST(stored == model, by << ": " << stored.dump() << " vs " << model.dump());
  }
}

// The file holds the model's output for the clips as the test cuts and normalises them (spec 6.2),
// without the flip.
BOOST_AUTO_TEST_CASE(written_predictions_are_the_model_outputs_for_the_test_clips) {
  Scratch scratch;
  kasf::Shape shape;
  const std::vector<float> stored = written_predictions(scratch, "", shape);
  BOOST_TEST(shape == (kasf::Shape{kClips, kClipLength, 17, 3}), boost::test_tools::per_element());
  const std::vector<float> expected = fixture_model_output(
      kClips, clip_input(kClips, [](int64_t clip, int64_t t) { return pose_frame(clip_frame(clip, t)); }));
  BOOST_REQUIRE_EQUAL(stored.size(), expected.size());
  for (size_t i = 0; i < stored.size(); ++i)
    BOOST_TEST(stored[i] == expected[i]);
}

// --frame-step 2: video0's two phases give the windows 0, 2, .., 16 and 1, 3, .., 17; video1's two
// phases and video2's first are resampled (the last video's last phase makes none): 5 clips.
BOOST_AUTO_TEST_CASE(a_frame_step_cuts_phase_clips_at_their_own_rate) {
  Scratch scratch;
  kasf::Shape shape;
  const std::vector<float> stored = written_predictions(scratch, " --frame-step 2", shape);
  BOOST_TEST(shape == (kasf::Shape{5, kClipLength, 17, 3}), boost::test_tools::per_element());
  const std::vector<float> expected =
      fixture_model_output(2, clip_input(2, [](int64_t clip, int64_t t) { return 2 * t + clip; }));
  for (size_t i = 0; i < expected.size(); ++i)
    BOOST_TEST(stored.at(i) == expected[i], boost::test_tools::tolerance(1e-4f));

  // Kinematics: the two phase windows are two sequences of 9 frames at half the data's rate.
  const Run kinematics = scratch.eval(scratch.data() + " --weights " + kModel + " --frame-step 2 --kinematics --fps 50");
  BOOST_REQUIRE_MESSAGE(kinematics.status == 0, kinematics.err);
  BOOST_TEST(kinematics.out.find("2 sequences, 18 frames, 25.00 fps") != std::string::npos, kinematics.out);
}

// A checkpoint trained at data.frame_step 2 is refused without --frame-step: its step is relative to
// the frame rate of its training data, which no file records. Given, it is the model without the
// record at step 2. Its predictions file records the step, which is then the default; another
// --frame-step is an error.
BOOST_AUTO_TEST_CASE(a_trained_frame_step_must_be_given_and_predictions_carry_theirs) {
  Scratch scratch;
  kasf::io::WeightFile weights = kasf::io::read_weight_file(kModel);
  weights.attributes[kasf::models::kTrainedFrameStepAttribute] = int64_t{2};
  const std::string stepped = scratch.file("stepped.h5");
  kasf::io::write_weight_file(stepped, weights);

  const Run refused = scratch.eval(scratch.data() + " --weights " + stepped);
  BOOST_TEST(refused.status == 1);
  BOOST_TEST(refused.err.find(stepped + " was trained with data.frame_step 2") != std::string::npos, refused.err);
  BOOST_TEST(refused.out.empty());

  kasf::Shape shape;
  const std::vector<float> plain = written_predictions(scratch, " --frame-step 2", shape);
  const std::string file = scratch.file("stepped_predictions.h5");
  const Run given =
      scratch.eval(scratch.data() + " --weights " + stepped + " --frame-step 2 --write-predictions " + file);
  BOOST_REQUIRE_MESSAGE(given.status == 0, given.err);
  kasf::io::h5::Handle predictions = kasf::io::h5::open_file(file);
  BOOST_TEST(kasf::io::h5::read_floats(predictions.id(), "predictions", &shape) == plain,
             boost::test_tools::per_element());
  BOOST_TEST(std::get<int64_t>(kasf::io::h5::read_attribute(predictions.id(), "frame_step")) == 2);

  const nlohmann::json model =
      json_rows(scratch.eval(scratch.data() + " --weights " + stepped + " --frame-step 2 --format json"));
  BOOST_TEST(json_rows(scratch.eval(scratch.data() + " --predictions " + file + " --format json")) == model);
  const Run mismatch = scratch.eval(scratch.data() + " --predictions " + file + " --frame-step 1");
  BOOST_TEST(mismatch.status == 1);
  BOOST_TEST(mismatch.err.find("made for clips of frame step 2") != std::string::npos, mismatch.err);
}

BOOST_AUTO_TEST_CASE(kinematics_report_every_angle_speed_group_and_action) {
  Scratch scratch;
  const Run run = scratch.eval(scratch.data() + " --weights " + kModel + " --kinematics --fps 50");
  BOOST_REQUIRE_MESSAGE(run.status == 0, run.err);
  for (const std::string series : {"right knee angle", "left knee angle", "left elbow angle", "right elbow angle",
                                   "right hip angle", "left hip angle", "right shoulder angle",
                                   "left shoulder angle", "trunk angle", "legs speed (joints 1-6)",
                                   "arms speed (joints 11-16)"})
    BOOST_TEST(markdown_row(run.out, series).size() == 7u, series);
  // Window clips joined per video: video0's three windows (27 frames) and video2's one (9).
  BOOST_TEST(run.out.find("2 sequences, 36 frames") != std::string::npos);
  const std::vector<std::string> jump = markdown_row(run.out, "jump");
  const std::vector<std::string> run_row = markdown_row(run.out, "run");
  BOOST_REQUIRE_EQUAL(jump.size(), 6u);
  BOOST_REQUIRE_EQUAL(run_row.size(), 6u);
  BOOST_TEST(jump[1] == "1");
  BOOST_TEST(jump[2] == "27");
  BOOST_TEST(run_row[2] == "9");
}

BOOST_AUTO_TEST_CASE(perfect_predictions_have_zero_kinematic_errors) {
  Scratch scratch;
  write_predictions(scratch.file("perfect.h5"), predictions_for_truth(0, 0), kClips, 17);
  const Run run = scratch.eval(scratch.data() + " --predictions " + scratch.file("perfect.h5") + " --kinematics --fps 50");
  BOOST_REQUIRE_MESSAGE(run.status == 0, run.err);
  const std::vector<std::string> knee = markdown_row(run.out, "right knee angle");
  BOOST_REQUIRE_EQUAL(knee.size(), 7u);
  BOOST_TEST(knee[1] == "0.0 deg");
  BOOST_TEST(knee[2] == "0.0");
  BOOST_TEST(knee[3] == "1.000");
  BOOST_TEST(knee[6] == "none");
  BOOST_TEST(markdown_row(run.out, "legs speed (joints 1-6)")[1] == "0.0 mm/s");
}

BOOST_AUTO_TEST_CASE(bad_input_exits_non_zero_with_a_clear_message) {
  Scratch scratch;
  const std::string model = " --weights " + kModel;
  kasf::data::DatasetData wrong_joints;
  wrong_joints.splits["test"] = make_test_split({.joints = 16});
  kasf::data::write_dataset_file(scratch.file("joints16.h5"), wrong_joints);
  kasf::data::DatasetData train_only;
  train_only.splits["train"] = make_test_split();
  kasf::data::write_dataset_file(scratch.file("train_only.h5"), train_only);
  std::ofstream(scratch.file("empty.h5")).close();
  const std::vector<float> perfect = predictions_for_truth(0, 0);
  write_predictions(scratch.file("other_frames.h5"), perfect, kClips, 17, {.test_frames = kFrames + 1});
  write_predictions(scratch.file("fewer_clips.h5"), std::vector<float>(perfect.begin(), perfect.end() - 9 * 51),
                    kClips - 1, 17);
  write_predictions(scratch.file("other_clips.h5"), perfect, kClips, 17, {.fingerprint = "0123456789abcdef"});
  write_predictions(scratch.file("worldpose.h5"), perfect, kClips, 17, {.clip_rule = "worldpose"});
  write_predictions(scratch.file("pred16.h5"), std::vector<float>(kClips * 9 * 16 * 3), kClips, 16);

  const std::vector<std::pair<std::string, std::string>> cases{
      {"--data " + scratch.file("joints16.h5") + model, "expected shape (46, 17"},
      {"--data " + scratch.file("train_only.h5") + model, "has no test split"},
      {"--data " + scratch.file("empty.h5") + model, scratch.file("empty.h5")},
      {scratch.data() + model + " --format xml", "unknown table format 'xml'"},
      {scratch.data() + model + " --by camera", "unknown table layout 'camera'"},
      {scratch.data() + model + " --protocol mean", "mean"},
      {scratch.data() + " --predictions " + scratch.file("other_frames.h5"), "test_frames"},
      {scratch.data() + " --predictions " + scratch.file("fewer_clips.h5"), "number of clips is 4"},
      {scratch.data() + " --predictions " + scratch.file("other_clips.h5"), "made for other clips"},
      {scratch.data() + " --predictions " + scratch.file("worldpose.h5"), "worldpose rule"},
      {scratch.data() + " --predictions " + scratch.file("pred16.h5"), "expected (clips, 9, 17, 3)"},
      {scratch.data() + model + " --kinematics", "needs --fps"},
      {scratch.data() + model + " --clip-length 5", "takes clips of 9 frames"},
      {scratch.data() + model + " --frame-step 0", "--frame-step 0: must be"},
      {scratch.data(), "at least one --weights or --predictions"},
      {scratch.data() + model + " --device tpu", "('tpu') for option '--device' is invalid"}};
  for (const auto& [arguments, message] : cases) {
    const Run run = scratch.eval(arguments);
    BOOST_TEST(run.status != 0, arguments);
    BOOST_TEST(run.err.find(message) != std::string::npos, arguments << ": " << run.err);
    BOOST_TEST(run.out.empty(), arguments);
  }
}

BOOST_AUTO_TEST_CASE(device_cuda_runs_on_a_gpu_or_says_there_is_none) {
  Scratch scratch;
  const Run run = scratch.eval(scratch.data() + " --weights " + kModel + " --device cuda");
  if (const std::optional<std::string> reason = cuda_unavailable_reason()) {
    BOOST_TEST(run.status == 1);
    BOOST_TEST(run.err.find("kasf_eval: error: --device cuda: " + *reason) != std::string::npos, run.err);
    BOOST_TEST(run.out.empty());
  } else {
    BOOST_TEST(run.status == 0, run.err);
  }
}

BOOST_AUTO_TEST_CASE(failed_runs_write_no_predictions_file) {
  Scratch scratch;
  const std::string file = scratch.file("never.h5");
  const Run run = scratch.eval(scratch.data() + " --weights " + kModel + " --clip-length 5 --write-predictions " + file);
  BOOST_TEST(run.status != 0);
  BOOST_TEST(!fs::exists(file));
  BOOST_TEST(std::distance(fs::directory_iterator(fs::path(file).parent_path()), {}) == 3);  // data.h5, out, err
}

BOOST_AUTO_TEST_SUITE_END()
