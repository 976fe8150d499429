// AthletePose3D end to end with the real tools, on the small files of the data set's own layouts
// (tests/data/athletepose3d, written by scripts/make_athletepose3d_test_files.py): the pre-cut clips
// convert without being cut again, get their ground truth from the per-frame source, score as the
// script's independent NumPy implementation of the protocol says, train, and evaluate; a file
// without training frames evaluates but does not train.
//
// The files' videos (see the script): train.pkl  = Axel 250 frames (60 fps), Running 40 (120 fps);
// valid.pkl = Axel 250 (60 fps), Javelin 60 (60 fps), Running 170 (120 fps, rotated: 1080 x 1920).
#define BOOST_TEST_MODULE athletepose3d
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "datasets/dataset_file.h"
#include "eval_test_data.h"
#include "tests/support/scratch_dir.h"

namespace fs = std::filesystem;
using kasf::test::ScratchDir;

namespace {

const std::string kData = "../data/athletepose3d/";

struct Run {
  int status;
  std::string output;  // stdout, then stderr
  std::string out;     // stdout alone
};

Run run(const ScratchDir& dir, const std::string& tool, const std::string& arguments) {
  const std::string out = dir.file("stdout.txt"), err = dir.file("stderr.txt");
  const int status = std::system((tool + " " + arguments + " > " + out + " 2> " + err).c_str());
  Run result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, kasf::test::read_file(out) + kasf::test::read_file(err),
             kasf::test::read_file(out)};
  fs::remove(out);
  fs::remove(err);
  return result;
}

// kasf_convert's output file for the clips of `clip_length` frames with their ground truth from valid.pkl.
std::string convert_clips(const ScratchDir& dir, int clip_length) {
  const std::string path = dir.file("ap3d_" + std::to_string(clip_length) + ".h5");
  const Run r = run(dir, KASF_CONVERT, "--dataset " + kData + "frame_" + std::to_string(clip_length) +
                                           " --dataset test=" + kData + "valid.pkl --output " + path);
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.output);
  return path;
}

const kasf::data::FloatArray& array(const kasf::data::SplitData& split, const std::string& key) {
  BOOST_REQUIRE_MESSAGE(split.arrays.contains(key), "missing " << key);
  return split.arrays.at(key);
}

std::vector<std::string> per_clip(const kasf::data::SplitData& split, const std::string& key) {
  BOOST_REQUIRE_MESSAGE(split.strings.contains(key), "missing " << key);
  std::vector<std::string> values;
  for (int32_t index : split.strings.at(key).index) values.push_back(split.strings.at(key).table[index]);
  return values;
}

// "clip_length action mpjpe p_mpjpe" lines of reference.txt for one clip length.
std::map<std::string, std::pair<double, double>> reference_scores(int clip_length) {
  std::ifstream in(kData + "reference.txt");
  std::map<std::string, std::pair<double, double>> scores;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    int length;
    std::string action;
    double mpjpe, p_mpjpe;
    fields >> length >> action >> mpjpe >> p_mpjpe;
    if (length == clip_length) scores[action] = {mpjpe, p_mpjpe};
  }
  BOOST_REQUIRE(!scores.empty());
  return scores;
}

// The clips' labels made root-relative, as a model trained on root-relative labels predicts them,
// with the depth scaled by `depth_scale`.
std::vector<float> root_relative_labels(const kasf::data::SplitData& test, float depth_scale) {
  std::vector<float> values = array(test, "data_label").values;
  for (size_t pose = 0; pose < values.size(); pose += 51) {
    const float root[3] = {values[pose], values[pose + 1], values[pose + 2]};
    for (size_t v = 0; v < 51; ++v) values[pose + v] = (values[pose + v] - root[v % 3]) * (v % 3 == 2 ? depth_scale : 1.0f);
  }
  return values;
}

nlohmann::json json_rows(const Run& r) {
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.output);
  return nlohmann::json::parse(r.out).at("rows");
}

std::string experiment(const std::string& dataset, const std::string& run_dir, int frames, const std::string& validation) {
  return "name: \"ap3d\"\n"
         "model { n_layers: 1 dim_feat: 8 num_heads: 2 dim_rep: 16 n_frames: " + std::to_string(frames) +
         " neighbour_num: 2 }\n"
         "data { dataset_file: \"" + dataset + "\" clip_length: " + std::to_string(frames) + " batch_size: 4\n"
         "       validation { " + validation + " } }\n"
         "schedule { epochs: 1 warmup_epochs: 1 }\n"
         "checkpoint { directory: \"" + run_dir + "\" }\n"
         "logging { progress_bar: false }\n"
         "seed: 3\n";
}

std::string write_experiment(const ScratchDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.file(name)) << text;
  return dir.file(name);
}

}  // namespace

BOOST_AUTO_TEST_CASE(pre_cut_clips_convert_as_they_are) {
  ScratchDir dir;
  // Train clips: the 250-frame video's windows every T/3 frames; the 40-frame video is the split's
  // last, which MotionBERT's cut never resamples. Test clips: windows every T frames, the 60-frame
  // video resampled, the last video's windows only.
  for (auto [length, train_clips, test_clips] : {std::tuple{81, 7, 6}, std::tuple{243, 1, 2}}) {
    const std::string path = dir.file("clips.h5");
    const Run r = run(dir, KASF_CONVERT, "--dataset " + kData + "frame_" + std::to_string(length) + " --output " + path);
    BOOST_REQUIRE_MESSAGE(r.status == 0, r.output);
    const kasf::data::DatasetData data = kasf::data::read_dataset_file(path);
    BOOST_TEST(data.splits.at("train").clip_length == length);
    BOOST_TEST(data.splits.at("train").num_frames == train_clips);
    BOOST_TEST(data.splits.at("test").num_frames == test_clips);
    BOOST_TEST((array(data.splits.at("test"), "data_input").shape == kasf::Shape{test_clips, length, 17, 3}));
  }
}

BOOST_AUTO_TEST_CASE(test_clips_get_the_ground_truth_of_the_frames_they_show) {
  ScratchDir dir;
  const kasf::data::DatasetData clips = kasf::data::read_dataset_file(convert_clips(dir, 81));
  const std::string frames_path = dir.file("frames.h5");
  BOOST_REQUIRE(run(dir, KASF_CONVERT, "--dataset test=" + kData + "valid.pkl --output " + frames_path).status == 0);
  const kasf::data::SplitData source = kasf::data::read_dataset_file(frames_path).splits.at("test");
  const kasf::data::SplitData& test = clips.splits.at("test");

  BOOST_TEST(per_clip(test, "data_action") ==
                 (std::vector<std::string>{"Axel", "Axel", "Axel", "Javelin", "Running", "Running"}),
             boost::test_tools::per_element());
  BOOST_TEST(per_clip(test, "data_source") == (std::vector<std::string>{"0", "0", "0", "1", "2", "2"}),
             boost::test_tools::per_element());
  BOOST_TEST(array(test, "data_fps").values == (std::vector<float>{60, 60, 60, 60, 120, 120}),
             boost::test_tools::per_element());
  BOOST_TEST(array(test, "data_res").values ==
                 (std::vector<float>{1920, 1080, 1920, 1080, 1920, 1080, 1280, 720, 1080, 1920, 1080, 1920}),
             boost::test_tools::per_element());

  // Windows show consecutive frames; the resampled Javelin clip (valid frames 250..309) starts on
  // the video's first frame, ends on its last and never goes back.
  const std::vector<float>& shown = array(test, "data_frames").values;
  for (auto [clip, first] : {std::pair{0, 0}, {1, 81}, {2, 162}, {4, 310}, {5, 391}})
    for (int t = 0; t < 81; ++t) BOOST_TEST(shown[clip * 81 + t] == first + t);
  BOOST_TEST(shown[3 * 81] == 250);
  BOOST_TEST(shown[3 * 81 + 80] == 309);
  for (int t = 1; t < 81; ++t) BOOST_TEST(shown[3 * 81 + t] >= shown[3 * 81 + t - 1]);

  // The attached values are the source's values of those frames.
  const auto& scaled = array(test, "data_label_scaled").values;
  const auto& factor = array(test, "data_factor").values;
  for (int64_t row = 0; row < 6 * 81; ++row) {
    const auto frame = static_cast<int64_t>(shown[row]);
    BOOST_TEST(factor[row] == array(source, "2.5d_factor").values[frame]);
    for (int64_t v = 0; v < 51; ++v) BOOST_TEST(scaled[row * 51 + v] == array(source, "joints_2.5d_image").values[frame * 51 + v]);
  }
}

BOOST_AUTO_TEST_CASE(clips_and_a_source_that_do_not_belong_together_are_refused) {
  ScratchDir dir;
  const Run r = run(dir, KASF_CONVERT, "--dataset " + kData + "frame_243 --dataset test=" + kData +
                                           "train.pkl --output " + dir.file("out.h5"));
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.output.find("holds 2 clips of 243 frames, but") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("not cut from this source") != std::string::npos, r.output);
  BOOST_TEST(!fs::exists(dir.file("out.h5")));
}

BOOST_AUTO_TEST_CASE(protocol_scores_equal_the_reference_implementation) {
  ScratchDir dir;
  for (int length : {81, 243}) {
    BOOST_TEST_CONTEXT("T = " << length) {
      const std::string path = convert_clips(dir, length);
      const kasf::data::SplitData test = kasf::data::read_dataset_file(path).splits.at("test");
      // As the script's reference: every clip's label with its depth scaled by 1.1.
      kasf::test::write_predictions(dir.file("pred.h5"), root_relative_labels(test, 1.1f), test.num_frames, 17,
                                    {.clip_length = length, .test_frames = test.num_frames});
      const std::string common = "--quiet --data " + path + " --predictions " + dir.file("pred.h5") + " --format json";
      const auto reference = reference_scores(length);
      const nlohmann::json models = json_rows(run(dir, KASF_EVAL, common));
      const nlohmann::json actions = json_rows(run(dir, KASF_EVAL, common + " --by action"));
      // The tables round to one decimal.
      BOOST_TEST(std::abs(models[0]["mpjpe_mm"].get<double>() - reference.at("mean").first) <= 0.051);
      BOOST_TEST(std::abs(models[0]["p_mpjpe_mm"].get<double>() - reference.at("mean").second) <= 0.051);
      BOOST_TEST(models[0]["frames"].get<int64_t>() == length);
      for (const auto& [action, scores] : reference)
        if (action != "mean") BOOST_TEST(std::abs(actions[0][action].get<double>() - scores.first) <= 0.051, action);
    }
  }
}

BOOST_AUTO_TEST_CASE(kinematics_use_each_video_frame_rate_and_leave_resampled_clips_out) {
  ScratchDir dir;
  const std::string path = convert_clips(dir, 81);
  const kasf::data::SplitData test = kasf::data::read_dataset_file(path).splits.at("test");
  kasf::test::write_predictions(dir.file("perfect.h5"), root_relative_labels(test, 1.0f), test.num_frames, 17,
                                {.clip_length = 81, .test_frames = test.num_frames});
  const Run r = run(dir, KASF_EVAL, "--quiet --data " + path + " --predictions " + dir.file("perfect.h5") +
                                        " --kinematics");
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.output);
  BOOST_TEST(r.out.find("| perfect | n/a | 81 | gt | 0.0 | 0.0 |") != std::string::npos, r.out);
  // Axel's three windows join into 243 frames at 60 fps, Running's two into 162 at 120 fps.
  BOOST_TEST(r.out.find("2 sequences, 405 frames, 60.00-120.00 fps") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("| Axel | 1 | 243 |") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("| Running | 1 | 162 |") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("| arms angle (elbows) | 0.0 deg | - | 1.000 | 4 |") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("| legs angle (knees) | 0.0 deg | - | 1.000 | 4 |") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(clips_without_ground_truth_say_how_to_attach_it) {
  ScratchDir dir;
  const std::string path = dir.file("clips.h5");
  BOOST_REQUIRE(run(dir, KASF_CONVERT, "--dataset " + kData + "frame_81 --output " + path).status == 0);
  kasf::test::write_predictions(dir.file("p.h5"), std::vector<float>(6 * 81 * 51), 6, 17,
                                {.clip_length = 81, .test_frames = 6});
  const Run r = run(dir, KASF_EVAL, "--quiet --data " + path + " --predictions " + dir.file("p.h5"));
  BOOST_TEST(r.status == 1);
  BOOST_TEST(r.output.find("missing array 'data_label_scaled'") != std::string::npos, r.output);
  BOOST_TEST(r.output.find("--dataset test=valid.pkl") != std::string::npos, r.output);
}

// One training run serves the training and evaluation checks (CI time).
BOOST_AUTO_TEST_CASE(pre_cut_clips_train_and_evaluate_and_a_test_only_file_does_not_train) {
  ScratchDir dir;
  const std::string clips = convert_clips(dir, 81);
  const std::string run_dir = dir.file("run");
  const Run trained = run(dir, KASF_TRAIN, "--config " + write_experiment(dir, "ap3d.prototxt",
                                           experiment(clips, run_dir, 81, "source: TEST_SPLIT")));
  BOOST_REQUIRE_MESSAGE(trained.status == 0, trained.output);
  BOOST_TEST(trained.output.find("7 training clips, 6 validation clips") != std::string::npos, trained.output);

  const Run table = run(dir, KASF_EVAL, "--quiet --data " + clips + " --weights " + run_dir + "/best.ckpt.h5 --by action");
  BOOST_REQUIRE_MESSAGE(table.status == 0, table.output);
  BOOST_TEST(table.out.find("| model | Axel | Javelin | Running | average |") != std::string::npos, table.out);

  // A test-only file (held-out subjects): evaluates, does not train, and says why.
  const std::string test_only = dir.file("test_only.h5");
  BOOST_REQUIRE(run(dir, KASF_CONVERT, "--dataset test=" + kData + "valid.pkl --output " + test_only).status == 0);
  const Run evaluated = run(dir, KASF_EVAL, "--quiet --data " + test_only + " --weights " + run_dir + "/best.ckpt.h5");
  BOOST_TEST(evaluated.status == 0, evaluated.output);
  const Run refused = run(dir, KASF_TRAIN, "--config " + write_experiment(dir, "test_only.prototxt",
                                           experiment(test_only, dir.file("run2"), 81, "source: TEST_SPLIT")));
  BOOST_TEST(refused.status == 1);
  BOOST_TEST(refused.output.find("has no training split 'train' (its splits: test (480 rows))") != std::string::npos,
             refused.output);
  BOOST_TEST(refused.output.find("kasf_train needs training frames") != std::string::npos, refused.output);
  BOOST_TEST(!fs::exists(dir.file("run2")));
}

BOOST_AUTO_TEST_CASE(an_empty_training_split_is_refused_and_its_test_split_evaluates) {
  ScratchDir dir;
  // The test split of the per-frame source beside a training split without frames.
  const std::string source = dir.file("frames.h5");
  BOOST_REQUIRE(run(dir, KASF_CONVERT, "--dataset test=" + kData + "valid.pkl --output " + source).status == 0);
  kasf::data::DatasetData data = kasf::data::read_dataset_file(source);
  data.splits["train"] = data.splits.at("test");
  data.splits["train"].num_frames = 0;
  for (auto& [key, a] : data.splits["train"].arrays) {
    a.shape[0] = 0;
    a.values.clear();
  }
  for (auto& [key, s] : data.splits["train"].strings) s.index.clear();
  const std::string path = dir.file("empty_train.h5");
  kasf::data::write_dataset_file(path, data);
  BOOST_REQUIRE(kasf::data::read_dataset_file(path).splits.at("train").num_frames == 0);

  const Run refused = run(dir, KASF_TRAIN, "--config " + write_experiment(dir, "e.prototxt",
                                           experiment(path, dir.file("run"), 81, "source: TEST_SPLIT")));
  BOOST_TEST(refused.status == 1);
  BOOST_TEST(refused.output.find("the training split 'train' holds no frames (a test-only file)") != std::string::npos,
             refused.output);
  // Predictions of zeros: only that the test split is scored.
  kasf::test::write_predictions(dir.file("p.h5"), std::vector<float>(6 * 81 * 51), 6, 17,
                                {.clip_length = 81, .test_frames = 480});
  const Run evaluated = run(dir, KASF_EVAL, "--quiet --data " + path + " --predictions " + dir.file("p.h5"));
  BOOST_TEST(evaluated.status == 0, evaluated.output);
}

BOOST_AUTO_TEST_CASE(pre_cut_training_clips_name_no_sources_to_hold_out) {
  ScratchDir dir;
  const std::string clips = convert_clips(dir, 81);
  const Run held_out = run(dir, KASF_TRAIN, "--config " + write_experiment(dir, "h.prototxt",
                                            experiment(clips, dir.file("run"), 81, "held_out_fraction: 0.25")));
  BOOST_TEST(held_out.status == 1);
  BOOST_TEST(held_out.output.find("holds pre-cut clips, which name no sources to hold out") != std::string::npos,
             held_out.output);
  const Run other_length = run(dir, KASF_TRAIN, "--config " + write_experiment(dir, "l.prototxt",
                                                experiment(clips, dir.file("run"), 27, "source: TEST_SPLIT")));
  BOOST_TEST(other_length.status == 1);
  BOOST_TEST(other_length.output.find("holds pre-cut clips of 81 frames, not 27") != std::string::npos,
             other_length.output);
}
