#include "fixture_data.h"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cmath>

namespace kasf::test {

std::string fixture_path(const std::string& name) { return "../data/fixtures/" + name + ".h5"; }

FixtureFile::FixtureFile(const std::string& name)
    : path_(fixture_path(name)), file_(io::h5::open_file(path_)), weights_(io::read_weight_file(path_)) {}

Tensor FixtureFile::tensor(const std::string& dataset) const {
  Shape shape;
  std::vector<float> values = io::h5::read_floats(file_.id(), dataset, &shape);
  return Tensor::from_vector(shape, values);
}

std::vector<std::string> FixtureFile::members(const std::string& group) const {
  io::h5::Handle handle = io::h5::open_group(file_.id(), group);
  return io::h5::member_names(handle.id());
}

bool FixtureFile::has(const std::string& name) const { return io::h5::exists(file_.id(), name); }

void check_close(const Tensor& actual, const Tensor& expected, const std::string& what, Tolerance tolerance) {
  BOOST_TEST_CONTEXT(what) {
    BOOST_REQUIRE_MESSAGE(actual.shape() == expected.shape(),
                          what << ": shape " << to_string(actual.shape()) << " != " << to_string(expected.shape()));
    std::vector<float> a = actual.to_vector(), e = expected.to_vector();
    double scale = 0.0;
    for (float v : e) scale = std::max(scale, std::fabs(static_cast<double>(v)));
    const double atol = tolerance.atol_scale * scale;
    if (a.empty()) return;
    size_t violations = 0, worst = 0;
    double worst_excess = -1.0;
    for (size_t i = 0; i < a.size(); ++i) {
      const double diff = std::fabs(static_cast<double>(a[i]) - e[i]);
      const double allowed = atol + tolerance.rtol * std::fabs(static_cast<double>(e[i]));
      if (!(diff <= allowed)) ++violations;
      const double excess = std::isfinite(diff) ? diff / std::max(allowed, 1e-30) : INFINITY;
      if (excess > worst_excess) worst_excess = excess, worst = i;
    }
    BOOST_TEST_MESSAGE(what << ": worst |diff| / allowed = " << worst_excess);
    BOOST_CHECK_MESSAGE(violations == 0, what << ": " << violations << " of " << a.size()
                                              << " elements out of tolerance; worst at flat index " << worst
                                              << ": got " << a[worst] << ", expected " << e[worst]
                                              << " (|diff| / allowed = " << worst_excess << ")");
  }
}

void check_buffers(const Module& model, const FixtureFile& file, const std::string& group) {
  const auto buffers = model.named_buffers();
  BOOST_TEST(buffers.size() == file.members(group).size());
  for (const auto& [name, buffer] : buffers) {
    const std::string key = group + "/" + name;
    check_close(buffer, file.tensor(key), key);
  }
}

}  // namespace kasf::test
