// The caching device allocator, over a counting fake of cudaMalloc/cudaFree.
#define BOOST_TEST_MODULE caching_allocator
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "framework/caching_allocator.h"

namespace kasf {
namespace {

// A device with `capacity` bytes that records every raw call.
struct FakeDevice {
  size_t capacity = size_t{1} << 30, in_use = 0;
  int allocations = 0, frees = 0;
  std::map<void*, size_t> live;
  CachingAllocator allocator{[this](size_t bytes) -> void* {
                               if (in_use + bytes > capacity) return nullptr;
                               ++allocations;
                               in_use += bytes;
                               void* p = std::malloc(bytes);
                               live[p] = bytes;
                               return p;
                             },
                             [this](void* p) {
                               ++frees;
                               in_use -= live.at(p);
                               live.erase(p);
                               std::free(p);
                             }};
};

BOOST_AUTO_TEST_CASE(size_classes) {
  BOOST_TEST(CachingAllocator::size_class(1) == 512u);
  BOOST_TEST(CachingAllocator::size_class(512) == 512u);
  BOOST_TEST(CachingAllocator::size_class(513) == 1024u);
  BOOST_TEST(CachingAllocator::size_class(size_t{1} << 20) == size_t{1} << 20);
  BOOST_TEST(CachingAllocator::size_class((size_t{1} << 20) + 1) == size_t{2} << 20);
  BOOST_TEST(CachingAllocator::size_class((size_t{5} << 20) + 3) == size_t{6} << 20);
}

BOOST_AUTO_TEST_CASE(steady_state_reuses_blocks_without_device_calls) {
  FakeDevice device;
  for (int step = 0; step < 5; ++step) {
    void* a = device.allocator.allocate(1000);
    void* b = device.allocator.allocate(3 << 20);
    void* c = device.allocator.allocate(700);  // same class as `a`, but `a` is in use
    BOOST_TEST(a != c);
    device.allocator.release(a, 1000);
    device.allocator.release(b, 3 << 20);
    device.allocator.release(c, 700);
  }
  BOOST_TEST(device.allocations == 3);
  BOOST_TEST(device.frees == 0);
  BOOST_TEST(device.allocator.cached_bytes() == 2 * 1024u + (4u << 20));
  device.allocator.free_cached();
  BOOST_TEST(device.frees == 3);
  BOOST_TEST(device.live.empty());
}

BOOST_AUTO_TEST_CASE(a_full_device_frees_the_cache_and_retries) {
  FakeDevice device;
  device.capacity = 4096;
  device.allocator.release(device.allocator.allocate(2048), 2048);  // cached: the device still holds it
  void* big = device.allocator.allocate(2049);                       // a 4096-byte class: needs that memory
  BOOST_TEST(device.frees == 1);
  BOOST_TEST(device.in_use == 4096u);
  BOOST_CHECK_THROW(device.allocator.allocate(1), std::runtime_error);  // nothing cached to give back
  device.allocator.release(big, 2049);
}

BOOST_AUTO_TEST_CASE(scoped_blocks_return_to_the_cache) {
  FakeDevice device;
  {
    CachedBlock block(device.allocator, 100);
    BOOST_TEST(block.as<float>() != nullptr);
  }
  BOOST_TEST(device.allocator.cached_bytes() == 512u);
  CachedBlock again(device.allocator, 200);
  BOOST_TEST(device.allocations == 1);
}

}  // namespace
}  // namespace kasf
