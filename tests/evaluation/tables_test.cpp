// The paper-shaped tables in markdown, CSV and JSON.
#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "evaluation/tables.h"

namespace kasf::eval {
namespace {

ModelResult model(const std::string& name, double walk_mm, double box_mm) {
  ModelResult r;
  r.name = name;
  r.parameters = 5'321'000;
  r.frames = 27;
  r.source_2d = "det";
  r.summary.aggregation = Aggregation::official;
  r.summary.frames = 100;
  r.summary.actions = {{"box", 40, {}}, {"walk", 60, {}}};
  r.summary.actions[0].values.mpjpe = box_mm;
  r.summary.actions[1].values.mpjpe = walk_mm;
  r.summary.overall.mpjpe = (walk_mm + box_mm) / 2;
  r.summary.overall.p_mpjpe = 31.04;
  for (int64_t j = 0; j < kJoints; ++j) r.summary.overall.joints[j] = static_cast<double>(j) + 0.26;
  r.summary.overall.lower_body = 3.5;
  r.summary.overall.upper_body = 11.5;
  return r;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

BOOST_AUTO_TEST_SUITE(tables)

BOOST_AUTO_TEST_CASE(table1_rows_in_three_formats) {
  const std::vector<ModelResult> results = {model("kasf-sp", 40.06, 52.0), model("other, v2", 45.0, 55.55)};
  const std::string md = render_table(results, TableLayout::models, TableFormat::markdown);
  BOOST_TEST(contains(md, "aggregation: official"));
  BOOST_TEST(contains(md, "| model | parameters | frames | 2d_source | mpjpe_mm | p_mpjpe_mm |"));
  BOOST_TEST(contains(md, "| kasf-sp | 5.32M | 27 | det | 46.0 | 31.0 |"));
  const std::string csv = render_table(results, TableLayout::models, TableFormat::csv);
  BOOST_TEST(contains(csv, "aggregation,model,parameters,frames,2d_source,mpjpe_mm,p_mpjpe_mm\n"));
  BOOST_TEST(contains(csv, "official,\"other, v2\",5321000,27,det,50.3,31.0\n"));
  const std::string json = render_table(results, TableLayout::models, TableFormat::json);
  BOOST_TEST(contains(json, "\"aggregation\": \"official\""));
  BOOST_TEST(contains(json, "\"mpjpe_mm\": 46.0"));
  BOOST_TEST(contains(json, "\"parameters\": 5321000"));
}

BOOST_AUTO_TEST_CASE(table2_and_joint_and_body_part_layouts) {
  const std::vector<ModelResult> results = {model("a", 40.06, 52.0)};
  const std::string t2 = render_table(results, TableLayout::action, TableFormat::markdown);
  BOOST_TEST(contains(t2, "| model | box | walk | average |"));
  BOOST_TEST(contains(t2, "| a | 52.0 | 40.1 | 46.0 |"));
  const std::string joints = render_table(results, TableLayout::joint, TableFormat::csv);
  BOOST_TEST(contains(joints, "aggregation,model,Pelvis,RHip,RKnee"));
  BOOST_TEST(contains(joints, ",16.3\n"));  // RWrist 16.26
  const std::string parts = render_table(results, TableLayout::body_part, TableFormat::markdown);
  BOOST_TEST(contains(parts, "| a | 3.5 | 11.5 | 46.0 |"));
}

BOOST_AUTO_TEST_CASE(inconsistent_models_and_unknown_names_are_rejected) {
  std::vector<ModelResult> results = {model("a", 1, 2), model("b", 1, 2)};
  results[1].summary.actions[1].action = "run";
  BOOST_CHECK_THROW(render_table(results, TableLayout::action, TableFormat::markdown), std::invalid_argument);
  results[1] = model("b", 1, 2);
  results[1].summary.aggregation = Aggregation::frames;
  BOOST_CHECK_THROW(render_table(results, TableLayout::models, TableFormat::markdown), std::invalid_argument);
  BOOST_CHECK_THROW(render_table({}, TableLayout::models, TableFormat::csv), std::invalid_argument);
  BOOST_CHECK_THROW(parse_table_format("xlsx"), std::invalid_argument);
  BOOST_CHECK_THROW(parse_table_layout("subject"), std::invalid_argument);
  BOOST_TEST(static_cast<int>(parse_table_layout("body-part")) == static_cast<int>(TableLayout::body_part));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace kasf::eval
