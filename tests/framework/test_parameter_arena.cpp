// ParameterArena: leaves become windows of one buffer, and backward sums their gradients in place
// in a second one, on every backend.
#include <boost/test/unit_test.hpp>

#include "framework/autograd.h"
#include "framework/ops.h"
#include "framework/parameter_arena.h"
#include "tests/framework/test_devices.h"

using namespace kasf;

namespace {

Tensor leaf(const Shape& shape, const std::vector<float>& values, Device device) {
  Tensor t = Tensor::from_vector(shape, values, device);
  t.set_requires_grad(true);
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parameter_arena)

BOOST_AUTO_TEST_CASE(leaves_become_windows_of_one_buffer) {
  test::on_every_device([](Device device) {
    const Tensor w = leaf({2, 3}, {1, 2, 3, 4, 5, 6}, device);
    const Tensor b = leaf({3}, {-1, -2, -3}, device);
    const Tensor before_b = b;  // another handle to the same leaf
    ParameterArena arena({w, b});
    // The leaves' own blocks are not kept in the allocator's cache beside the arena.
    BOOST_TEST(backend_for(device).memory_use().cached == 0u);
    BOOST_TEST(arena.size() == 9);
    BOOST_TEST(arena.offset(1) == 6);
    BOOST_TEST((arena.values().to_vector() == std::vector<float>{1, 2, 3, 4, 5, 6, -1, -2, -3}));
    BOOST_TEST((w.to_vector() == std::vector<float>{1, 2, 3, 4, 5, 6}));
    BOOST_TEST(before_b.data() == arena.values().data() + 6);
    // Writes through a parameter land in the arena and the other way round.
    b.copy_from(Tensor::from_vector({3}, {7, 8, 9}, device));
    BOOST_TEST(arena.values().to_vector()[7] == 8.0f);
    arena.values().copy_from(Tensor::full({9}, 0.5f, device));
    BOOST_TEST((w.to_vector() == std::vector<float>(6, 0.5f)));
    BOOST_TEST(arena.holds(0));
    BOOST_TEST(arena.holds(1));
  });
}

BOOST_AUTO_TEST_CASE(backward_sums_gradients_in_place) {
  test::on_every_device([](Device device) {
    // w feeds two terms: d/dw sum(w * x + w * w) = x + 2w, and b one: d/db sum(b * b) = 2b.
    const Tensor w = leaf({3}, {1, -2, 0.5f}, device);
    const Tensor b = leaf({2}, {3, 4}, device);
    const Tensor x = Tensor::from_vector({3}, {10, 20, 30}, device);
    ParameterArena arena({w, b});
    BOOST_TEST(!arena.all_grads_in_place());
    const auto loss = [&] { return sum(w * x + w * w) + sum(b * b); };
    loss().backward();
    BOOST_TEST(arena.all_grads_in_place());
    BOOST_TEST(w.grad().data() == arena.grads().data());
    BOOST_TEST(b.grad().data() == arena.grads().data() + 3);
    BOOST_TEST((arena.grads().to_vector() == std::vector<float>{12, 16, 31, 6, 8}));
    // A second backward adds to the same buffer; after dropping the gradients the next one
    // starts afresh in it.
    loss().backward();
    BOOST_TEST((arena.grads().to_vector() == std::vector<float>{24, 32, 62, 12, 16}));
    w.zero_grad();
    b.zero_grad();
    BOOST_TEST(!arena.all_grads_in_place());
    loss().backward();
    BOOST_TEST((arena.grads().to_vector() == std::vector<float>{12, 16, 31, 6, 8}));
    BOOST_TEST(w.grad().data() == arena.grads().data());
  });
}

BOOST_AUTO_TEST_CASE(a_gradient_set_from_outside_is_summed_out_of_place) {
  const Tensor w = leaf({2}, {1, 2}, Device::CPU);
  ParameterArena arena({w});
  const Tensor outside = Tensor::from_vector({2}, {100, 200});
  w.set_grad(outside);
  sum(w * w).backward();
  BOOST_TEST((w.grad().to_vector() == std::vector<float>{102, 204}));
  BOOST_TEST((outside.to_vector() == std::vector<float>{100, 200}));  // not written through
  BOOST_TEST(!arena.all_grads_in_place());
}

BOOST_AUTO_TEST_CASE(a_leaf_moved_away_leaves_the_arena) {
  const Tensor w = leaf({2}, {1, 2}, Device::CPU);
  const Tensor b = leaf({1}, {3}, Device::CPU);
  ParameterArena arena({w, b});
  b.move_to(Device::EmulatedCuda);
  BOOST_TEST(arena.holds(0));
  BOOST_TEST(!arena.holds(1));
  sum(b * b).backward();
  BOOST_TEST((b.grad().device() == Device::EmulatedCuda));
  BOOST_TEST((b.grad().to_vector() == std::vector<float>{6}));
  BOOST_TEST((arena.values().to_vector() == std::vector<float>{1, 2, 3}));  // the old copy, unused
}

BOOST_AUTO_TEST_CASE(refuses_leaves_it_cannot_hold) {
  const Tensor w = leaf({2, 3}, {1, 2, 3, 4, 5, 6}, Device::CPU);
  const auto refused = [](std::vector<Tensor> leaves, const std::string& part) {
    try {
      ParameterArena arena(std::move(leaves));
      BOOST_ERROR("accepted: " << part);
    } catch (const std::invalid_argument& e) {
      BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, e.what());
    }
  };
  refused({}, "no leaves");
  refused({w, w}, "leaf 1 is listed twice");
  refused({w, transpose(w.detach(), 0, 1)}, "leaf 1 (3, 2) cpu is not contiguous");
  refused({w, w * 2.0f}, "leaf 1 (2, 3) cpu is the result of an op");
  refused({w, leaf({1}, {0}, Device::EmulatedCuda)}, "not on the first leaf's device");
}

BOOST_AUTO_TEST_SUITE_END()
