#define BOOST_TEST_MODULE weight_file
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "framework/io/error.h"
#include "framework/io/hdf5.h"
#include "framework/io/weight_file.h"
#include "test_files.h"

using namespace kasf;
using namespace kasf::io;
using kasf::test::ScratchDir;
using kasf::test::test_data;

namespace {

// One line of tests/data/fixtures/*.weights.txt (written by scripts/make_fixture_references.py).
struct Reference {
  std::string key, shape;
  double sum;
  uint32_t first_bits, last_bits;
};

std::vector<Reference> load_reference(const std::string& path) {
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "missing " << path);
  std::vector<Reference> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    Reference r;
    std::string sum, first, last;
    std::getline(fields, r.key, '\t');
    std::getline(fields, r.shape, '\t');
    fields >> sum >> first >> last;
    r.sum = std::stod(sum);
    r.first_bits = std::stoul(first, nullptr, 16);
    r.last_bits = std::stoul(last, nullptr, 16);
    out.push_back(r);
  }
  return out;
}

std::string shape_text(const Shape& shape) {
  if (shape.empty()) return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

uint32_t bits(float v) {
  uint32_t b;
  std::memcpy(&b, &v, 4);
  return b;
}

void check_against_reference(const std::string& fixture) {
  WeightFile file = read_weight_file(test_data("fixtures/" + fixture + ".h5"));
  auto reference = load_reference(test_data("fixtures/" + fixture + ".weights.txt"));
  BOOST_REQUIRE_EQUAL(file.weights.size(), reference.size());
  for (size_t i = 0; i < reference.size(); ++i) {
    const auto& [key, array] = file.weights[i];
    const Reference& r = reference[i];
    BOOST_TEST_CONTEXT(fixture << " entry " << i << " " << r.key) {
      BOOST_TEST(key == r.key);
      BOOST_TEST(shape_text(array.shape) == r.shape);
      BOOST_REQUIRE_EQUAL(array.values.size(), static_cast<size_t>(numel(array.shape)));
      double sum = 0;
      for (float v : array.values) sum += v;
      BOOST_TEST(std::abs(sum - r.sum) <= 1e-9 + 1e-9 * std::abs(r.sum));
      BOOST_TEST(bits(array.values.front()) == r.first_bits);
      BOOST_TEST(bits(array.values.back()) == r.last_bits);
    }
  }
}

WeightFile small_weights() {
  WeightFile w;
  w.weights.push_back({"b.weight", {{2, 3}, {1, 2, 3, 4, 5, 6}}});
  w.weights.push_back({"a.bias", {{3}, {-1.5f, 0.0f, 1e-30f}}});
  w.weights.push_back({"bn.num_batches_tracked", {{}, {7}}});
  w.attributes = {{"dim_feat", int64_t{32}}, {"drop", 0.25}, {"act_layer", std::string("gelu")}, {"qkv_bias", false}};
  return w;
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_fixture_weights_in_state_dict_order) {
  check_against_reference("fixture_small");
  check_against_reference("fixture_small_perturbed");
}

BOOST_AUTO_TEST_CASE(reads_model_hyperparameters_as_root_attributes) {
  // Values from the fixture README (the small configuration).
  WeightFile file = read_weight_file(test_data("fixtures/fixture_small.h5"));
  BOOST_TEST(std::get<int64_t>(file.attributes.at("dim_feat")) == 32);
  BOOST_TEST(std::get<int64_t>(file.attributes.at("n_layers")) == 2);
  BOOST_TEST(std::get<int64_t>(file.attributes.at("neighbour_num")) == 4);
  BOOST_TEST(std::get<double>(file.attributes.at("layer_scale_init_value")) == 1e-5);
  BOOST_TEST(std::get<std::string>(file.attributes.at("act_layer")) == "gelu");
  BOOST_TEST(std::get<bool>(file.attributes.at("qkv_bias")) == false);
  BOOST_TEST(std::get<bool>(file.attributes.at("use_adaptive_fusion")) == true);
  const HostArray* pos = file.find("pos_embed");
  BOOST_REQUIRE(pos);
  BOOST_TEST(pos->shape == Shape({1, 17, 32}));
  BOOST_TEST(file.find("no.such.key") == nullptr);
}

BOOST_AUTO_TEST_CASE(write_then_read_round_trips) {
  ScratchDir dir;
  WeightFile w = small_weights();
  write_weight_file(dir.file("w.h5"), w);
  WeightFile back = read_weight_file(dir.file("w.h5"));
  BOOST_REQUIRE_EQUAL(back.weights.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    BOOST_TEST(back.weights[i].first == w.weights[i].first);
    BOOST_TEST(back.weights[i].second.shape == w.weights[i].second.shape);
    BOOST_TEST(back.weights[i].second.values == w.weights[i].second.values);
  }
  BOOST_TEST((back.attributes == w.attributes));
  BOOST_TEST(dir.entries() == std::vector<std::string>{"w.h5"});
}

BOOST_AUTO_TEST_CASE(writes_identical_bytes_for_identical_content) {
  ScratchDir dir;
  write_weight_file(dir.file("one.h5"), small_weights());
  write_weight_file(dir.file("two.h5"), small_weights());
  BOOST_TEST(kasf::test::read_file(dir.file("one.h5")) == kasf::test::read_file(dir.file("two.h5")));
}

BOOST_AUTO_TEST_CASE(key_order_falls_back_to_sorted_names) {
  ScratchDir dir;
  {
    h5::Handle file = h5::create_file(dir.file("plain.h5"));
    h5::Handle group = h5::create_group(file.id(), "weights");
    float v[2] = {1, 2};
    h5::write_floats(group.id(), "z.weight", {2}, v);
    h5::write_floats(group.id(), "a.weight", {1}, v);
  }
  WeightFile back = read_weight_file(dir.file("plain.h5"));
  BOOST_REQUIRE_EQUAL(back.weights.size(), 2u);
  BOOST_TEST(back.weights[0].first == "a.weight");
  BOOST_TEST(back.weights[1].first == "z.weight");
}

BOOST_AUTO_TEST_CASE(failed_write_leaves_no_file) {
  ScratchDir dir;
  WeightFile w = small_weights();
  w.weights[1].second.values.pop_back();  // shape (3,) with 2 values
  BOOST_CHECK_EXCEPTION(write_weight_file(dir.file("w.h5"), w), FormatError, [](const FormatError& e) {
    return std::string(e.what()).find("'a.bias' has shape (3,) but 2 values") != std::string::npos;
  });
  BOOST_TEST(dir.entries().empty());
}

BOOST_AUTO_TEST_CASE(errors_name_the_file_and_object) {
  ScratchDir dir;
  auto message_has = [](const std::string& part) {
    return [part](const FormatError& e) { return std::string(e.what()).find(part) != std::string::npos; };
  };
  BOOST_CHECK_EXCEPTION(read_weight_file(dir.file("missing.h5")), FormatError, message_has("missing.h5"));
  { h5::Handle file = h5::create_file(dir.file("empty.h5")); }
  BOOST_CHECK_EXCEPTION(read_weight_file(dir.file("empty.h5")), FormatError, message_has("has no group 'weights/'"));
  {
    h5::Handle file = h5::create_file(dir.file("bad.h5"));
    h5::Handle group = h5::create_group(file.id(), "weights");
    h5::write_strings(group.id(), "x", {"not", "numbers"});
  }
  BOOST_CHECK_EXCEPTION(read_weight_file(dir.file("bad.h5")), FormatError,
                        message_has("bad.h5:/weights/x' is not a numeric dataset"));
}
