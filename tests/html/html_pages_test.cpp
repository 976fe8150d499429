// The generated pages in a real browser (headless Chromium): no JavaScript error, the skeleton
// drawn, and #frame=k showing frame k -- the drawn screen coordinates must be the image of frame k's
// joints (known here from the input files, not from the page) under one scale and offset.
#define BOOST_TEST_MODULE html_pages
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>

#include "datasets/dataset_file.h"
#include "eval_test_data.h"
#include "headless_browser.h"
#include "tests/support/scratch_dir.h"
#include "training/training_report.h"

using nlohmann::json;
using kasf::test::load_page;
using kasf::test::LoadedPage;
using kasf::test::ScratchDir;

namespace {

using Point = std::array<double, 2>;

int run(const std::string& command, const std::string& log) {
  const int status = std::system((command + " > " + log + " 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The page ran without a JavaScript error.
void check_clean(const LoadedPage& page) {
  BOOST_TEST(!contains(page.title, "kasf-error"), page.title);
  BOOST_TEST(page.state.at("errors").empty(), page.state.at("errors").dump());
}

// How far `screen` is from the best fit screen = offset + scale * (x, y) of `points` (largest
// distance, px), and the fitted scale.
struct Fit {
  double residual, scale;
};
Fit fit(const json& screen, const std::vector<Point>& points) {
  BOOST_REQUIRE_EQUAL(screen.size(), points.size());
  const size_t n = points.size();
  double mx = 0, my = 0, msx = 0, msy = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += points[i][0] / n; my += points[i][1] / n;
    msx += screen[i][0].get<double>() / n; msy += screen[i][1].get<double>() / n;
  }
  double num = 0, den = 0;
  for (size_t i = 0; i < n; ++i) {
    num += (points[i][0] - mx) * (screen[i][0].get<double>() - msx) + (points[i][1] - my) * (screen[i][1].get<double>() - msy);
    den += std::pow(points[i][0] - mx, 2) + std::pow(points[i][1] - my, 2);
  }
  const double s = num / den;
  double worst = 0;
  for (size_t i = 0; i < n; ++i)
    worst = std::max(worst, std::hypot(screen[i][0].get<double>() - (msx + s * (points[i][0] - mx)),
                                       screen[i][1].get<double>() - (msy + s * (points[i][1] - my))));
  return {worst, s};
}

// x, y of the 17 joints of frame `t` of a [frames][17][3] JSON array, minus joint 0 when `relative`.
std::vector<Point> frame_xy(const json& frames, size_t t, bool relative = false) {
  std::vector<Point> points;
  for (size_t j = 0; j < 17; ++j) {
    const json& p = frames.at(t).at(j);
    const json& root = frames.at(t).at(0);
    points.push_back({p[0].get<double>() - (relative ? root[0].get<double>() : 0),
                      p[1].get<double>() - (relative ? root[1].get<double>() : 0)});
  }
  return points;
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

}  // namespace

BOOST_AUTO_TEST_CASE(kasf_infer_viewer_shows_frame_k_in_3d_beside_its_2d_input) {
  ScratchDir dir;
  const std::string poses = dir.file("poses.json"), viewer = dir.file("viewer.html");
  BOOST_REQUIRE_MESSAGE(run(std::string(KASF_INFER) + " --weights ../data/fixtures/fixture_small.h5 --input " +
                                "../data/keypoints/cmu_running_coco.json --format coco-json --width 1000 --height 1000"
                                " --fps 30 --quiet --output " + poses + " --html " + viewer,
                            dir.file("log")) == 0,
                        kasf::test::read_file(dir.file("log")));
  const json lifted = read_json(poses).at("poses");
  const json coco = read_json("../data/keypoints/cmu_running_coco.json");
  // H36M joint <- COCO keypoint for the joints the conversion copies (tests/data/keypoints/README.md).
  const std::pair<int, int> copied[] = {{1, 12}, {2, 14}, {3, 16}, {4, 11}, {5, 13}, {6, 15},
                                         {11, 5}, {12, 7}, {13, 9}, {14, 6}, {15, 8}, {16, 10}};
  for (const int k : {7, 33}) {
    const LoadedPage page = load_page(viewer, "frame=" + std::to_string(k) + "&view=front");
    check_clean(page);
    const json& view = page.state.at("view");
    BOOST_TEST(view.at("frame").get<int>() == k);
    // 3D, seen from the front: the pelvis at the canvas centre (480 x 480), frame k's x and y scaled.
    const json& joints3d = view.at("joints3d");
    BOOST_REQUIRE_EQUAL(joints3d.size(), 17u);
    BOOST_TEST(joints3d[0][0].get<double>() == 240.0, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(joints3d[0][1].get<double>() == 240.0, boost::test_tools::tolerance(1e-6));
    const Fit shown = fit(joints3d, frame_xy(lifted, k));
    BOOST_TEST(shown.scale > 10.0);
    BOOST_TEST(shown.residual < 0.05);
    BOOST_TEST(fit(joints3d, frame_xy(lifted, k - 5)).residual > 1.0);  // another frame does not fit
    // 2D: the input keypoints of frame k under one scale and offset (the view is zoomed to the person).
    const json& joints2d = view.at("joints2d");
    BOOST_REQUIRE_EQUAL(joints2d.size(), 17u);
    const json& keypoints = coco.at(k).at(0).at("keypoints");
    json drawn = json::array();
    std::vector<Point> input;
    for (const auto& [h36m, c] : copied) {
      drawn.push_back(joints2d[h36m]);
      input.push_back({keypoints[3 * c].get<double>(), keypoints[3 * c + 1].get<double>()});
    }
    const Fit input_fit = fit(drawn, input);
    BOOST_TEST(input_fit.scale > 0.48);  // zoomed in from the 1000-pixel image in 480 pixels
    BOOST_TEST(input_fit.residual < 0.05);
  }
  // Trails of the wrists and ankles from the fragment; two kinematic plots with a cursor each.
  const LoadedPage page = load_page(viewer, "frame=30&trails=3,6,13,16");
  check_clean(page);
  BOOST_TEST(page.state.at("view").at("trails").get<int>() == 4);
  size_t cursors = 0;
  for (size_t at = page.dom.find("plot-cursor"); at != std::string::npos; at = page.dom.find("plot-cursor", at + 1)) ++cursors;
  BOOST_TEST(cursors >= 2u);
}

BOOST_AUTO_TEST_CASE(kasf_view_shows_poses_files_and_predictions_files) {
  ScratchDir dir;
  // A poses file as kasf_infer writes it: 12 frames, joint j of frame t at a formula of (t, j).
  json poses = {{"units", "mm"}, {"fps", 25}, {"poses", json::array()}};
  for (int t = 0; t < 12; ++t) {
    json frame = json::array();
    for (int j = 0; j < 17; ++j)
      frame.push_back(j == 0 ? json{0, 0, 0} : json{100 * std::sin(j + 0.3 * t), 40.0 * j - 300 + 5 * t, 30 * std::cos(j)});
    poses["poses"].push_back(frame);
  }
  std::ofstream(dir.file("poses.json")) << poses.dump();
  const std::string view = std::string(KASF_VIEW) + " ";
  BOOST_REQUIRE(run(view + dir.file("poses.json") + " --html " + dir.file("poses.html"), dir.file("log")) == 0);
  LoadedPage page = load_page(dir.file("poses.html"), "frame=5&view=front");
  check_clean(page);
  BOOST_TEST(page.state.at("view").at("frame").get<int>() == 5);
  BOOST_TEST(page.state.at("view").contains("joints2d") == false);  // no 2D input in a poses file
  BOOST_TEST(fit(page.state.at("view").at("joints3d"), frame_xy(poses["poses"], 5)).residual < 0.05);
  BOOST_TEST(fit(page.state.at("view").at("joints3d"), frame_xy(poses["poses"], 4)).residual > 1.0);

  // A predictions file: 5 clips of 9 frames; frame 12 of the viewer is clip 1, t = 3, made root-relative.
  std::vector<float> values;
  json expected = json::array();
  for (int clip = 0; clip < 5; ++clip)
    for (int t = 0; t < 9; ++t) {
      json frame = json::array();
      for (int j = 0; j < 17; ++j) {
        const float p[3] = {float(0.1 * clip + 0.02 * j * std::cos(t + j)), float(0.3 + 0.05 * j - 0.01 * t), float(0.01 * j)};
        values.insert(values.end(), p, p + 3);
        frame.push_back({p[0], p[1], p[2]});
      }
      expected.push_back(frame);
    }
  kasf::test::write_predictions(dir.file("predictions.h5"), values, 5, 17);
  BOOST_REQUIRE(run(view + dir.file("predictions.h5") + " --html " + dir.file("predictions.html"), dir.file("log")) == 0);
  page = load_page(dir.file("predictions.html"), "frame=12&view=front");
  check_clean(page);
  const json& joints = page.state.at("view").at("joints3d");
  BOOST_TEST(joints[0][0].get<double>() == 240.0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(fit(joints, frame_xy(expected, 12, true)).residual < 0.05);

  // Bad input: the file and the key are named, and no page is left behind.
  poses["poses"][3].erase(16);
  std::ofstream(dir.file("bad.json")) << poses.dump();
  BOOST_TEST(run(view + dir.file("bad.json") + " --html " + dir.file("bad.html"), dir.file("log")) == 1);
  BOOST_TEST(contains(kasf::test::read_file(dir.file("log")), "bad.json': poses[3] is not a list of 17 joints"),
             kasf::test::read_file(dir.file("log")));
  BOOST_TEST(!std::filesystem::exists(dir.file("bad.html")));
  BOOST_TEST(run(view + dir.file("missing.json") + " --html " + dir.file("bad.html"), dir.file("log")) == 1);
  BOOST_TEST(run(view + dir.file("poses.json"), dir.file("log")) == 2);  // no --html
}

BOOST_AUTO_TEST_CASE(kasf_eval_report_shows_tables_joint_errors_and_the_worst_clips) {
  ScratchDir dir;
  kasf::data::DatasetData data;
  data.splits["test"] = kasf::test::make_test_split();
  kasf::data::write_dataset_file(dir.file("data.h5"), data);
  // Jump clips 10 mm off the truth, run clips (3 and 4) 30 mm: the run clips are the worst.
  kasf::test::write_predictions(dir.file("p.h5"), kasf::test::predictions_for_truth(10, 30), kasf::test::kClips, 17);
  BOOST_REQUIRE_MESSAGE(run(std::string(KASF_EVAL) + " --quiet --data " + dir.file("data.h5") + " --predictions " +
                                dir.file("p.h5") + " --html " + dir.file("report.html"),
                            dir.file("log")) == 0,
                        kasf::test::read_file(dir.file("log")));
  const LoadedPage page = load_page(dir.file("report.html"), "frame=4&view=front");
  check_clean(page);
  size_t tables = 0;
  for (size_t at = page.dom.find("<table"); at != std::string::npos; at = page.dom.find("<table", at + 1)) ++tables;
  BOOST_TEST(tables == 3u);  // models, per action, per joint
  const json& joint_errors = page.state.at("joint_errors");
  BOOST_TEST(joint_errors.at("joints").size() == 17u);
  BOOST_TEST(joint_errors.at("colors")[0] != joint_errors.at("colors")[1]);  // the root has no error, the rest have
  const json& worst = page.state.at("worst_clips");
  BOOST_REQUIRE_EQUAL(worst.size(), 3u);
  BOOST_TEST((std::set<int>{worst[0]["clip"].get<int>(), worst[1]["clip"].get<int>()} == std::set<int>{3, 4}));
  for (const json& clip : worst) {
    BOOST_TEST(clip.at("frame").get<int>() == 4);
    const int c = clip.at("clip").get<int>();
    const int64_t frame = kasf::test::clip_frame(c, 4);
    const double offset = kasf::test::in_jump(c) ? 10 : 30;
    std::vector<Point> truth, predicted;
    for (int j = 0; j < 17; ++j) {
      const double x = kasf::test::label_scaled(frame, j, 0) - kasf::test::label_scaled(frame, 0, 0);
      const double y = kasf::test::label_scaled(frame, j, 1) - kasf::test::label_scaled(frame, 0, 1);
      truth.push_back({x, y});
      predicted.push_back({x + (j > 0 ? offset : 0), y});
    }
    const Fit truth_fit = fit(clip.at("truth"), truth), predicted_fit = fit(clip.at("prediction"), predicted);
    BOOST_TEST(truth_fit.residual < 0.05);
    BOOST_TEST(predicted_fit.residual < 0.05);
    BOOST_TEST(predicted_fit.scale == truth_fit.scale, boost::test_tools::tolerance(1e-3));
  }
}

BOOST_AUTO_TEST_CASE(the_training_report_shows_curves_best_epoch_and_final_tables) {
  using namespace kasf::training;
  ScratchDir dir;
  TrainingReport report{"tiny", "name: \"tiny\"\n", "running: epoch 4 of 10 done", true, {}, std::nullopt};
  const double lr[] = {5e-6, 5e-4, 5e-4, 2.5e-4}, mpjpe[] = {300, 120, 95, 101};
  for (int e = 0; e < 4; ++e) {
    EpochRecord r;
    r.epoch = e;
    r.step = 10 * (e + 1);
    r.learning_rate = lr[e];
    r.loss_total = 0.5 / (e + 1);
    r.loss_mpjpe = r.loss_n_mpjpe = 0.2 / (e + 1);
    r.loss_velocity = 0.01 / (e + 1);
    r.validation_mpjpe = mpjpe[e];
    r.validation_p_mpjpe = mpjpe[e] * 0.8;
    r.best = e < 3;
    report.records.push_back(r);
  }
  write_training_report(dir.file("report.html"), report);
  LoadedPage page = load_page(dir.file("report.html"));
  check_clean(page);
  BOOST_TEST(page.state.at("report").at("plots").get<int>() == 3);
  BOOST_TEST(page.state.at("report").at("epochs").get<int>() == 4);
  BOOST_TEST(contains(page.dom, "Best epoch: 3 (validation MPJPE 95.00 mm)"));
  BOOST_TEST(contains(page.dom, "http-equiv=\"refresh\""));  // reloads while the run goes on
  // The learning rate spans two decades: decade ticks, labelled as a log axis.
  BOOST_TEST(contains(page.dom, ">1e-05</text>"));
  BOOST_TEST(contains(page.dom, ">learning rate (log scale)</text>"));

  kasf::eval::Summary summary;
  summary.frames = 9;
  summary.overall.mpjpe = 97.25;
  summary.overall.p_mpjpe = 80.5;
  summary.actions = {{"run", 9, summary.overall}};
  report.running = false;
  report.status = "finished 4 epochs";
  report.final = FinalEvaluation{summary, summary, 1234, 9};
  write_training_report(dir.file("report.html"), report);
  page = load_page(dir.file("report.html"));
  check_clean(page);
  BOOST_TEST(!contains(page.dom, "http-equiv=\"refresh\""));
  BOOST_TEST(contains(page.dom, "<td>validation</td>"));
  BOOST_TEST(contains(page.dom, "<td>test</td>"));
  BOOST_TEST(contains(page.dom, "<td>97.3</td>"));  // MPJPE with one decimal
}
