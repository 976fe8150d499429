// The CPU thread pool: every index exactly once, nested loops serial, any thread count.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "framework/cpu/parallel.h"

using namespace kasf;

namespace {

// How many times each index of [0, count) was visited by parallel_for(count, grain).
std::vector<int> visits(int64_t count, int64_t grain) {
  std::vector<std::atomic<int>> seen(static_cast<size_t>(count));
  cpu::parallel_for(count, grain, [&](int64_t begin, int64_t end) {
    BOOST_REQUIRE(0 <= begin && begin < end && end <= count);
    for (int64_t i = begin; i < end; ++i) seen[i].fetch_add(1);
  });
  std::vector<int> out;
  for (auto& s : seen) out.push_back(s.load());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(thread_pool)

BOOST_AUTO_TEST_CASE(every_index_is_visited_once_for_any_size_grain_and_thread_count) {
  for (int threads : {1, 2, 3, 5}) {
    cpu::set_thread_count(threads);
    BOOST_TEST(cpu::thread_count() == threads);
    for (int64_t count : {1, 2, 7, 64, 1000, 100003})
      for (int64_t grain : {1, 3, 1000, 1 << 20}) {
        const std::vector<int> v = visits(count, grain);
        BOOST_TEST(std::count(v.begin(), v.end(), 1) == count, "threads " << threads << " count " << count << " grain " << grain);
      }
  }
  cpu::set_thread_count(2);
}

BOOST_AUTO_TEST_CASE(several_threads_share_a_large_loop_and_ranges_respect_the_grain) {
  cpu::set_thread_count(4);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::vector<int64_t> lengths;
  // Each range takes a while, so that sleeping workers have time to wake and claim one.
  cpu::parallel_for(1 << 16, 1 << 10, [&](int64_t begin, int64_t end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard<std::mutex> lock(mutex);
    threads.insert(std::this_thread::get_id());
    lengths.push_back(end - begin);
  });
  BOOST_TEST(threads.size() > 1u);
  BOOST_TEST(lengths.size() == 16u);  // four chunks per thread at most
  for (int64_t n : lengths) BOOST_TEST(n >= (1 << 10));
  cpu::set_thread_count(2);
}

BOOST_AUTO_TEST_CASE(a_loop_inside_a_loop_runs_serially_on_the_calling_thread) {
  cpu::set_thread_count(2);
  std::atomic<int> inner_ranges{0}, wrong_thread{0};
  cpu::parallel_for(8, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const std::thread::id outer = std::this_thread::get_id();
      cpu::parallel_for(1000, 1, [&](int64_t, int64_t) {
        inner_ranges.fetch_add(1);
        if (std::this_thread::get_id() != outer) wrong_thread.fetch_add(1);
      });
    }
  });
  BOOST_TEST(inner_ranges.load() == 8);  // one whole range per inner loop
  BOOST_TEST(wrong_thread.load() == 0);
}

BOOST_AUTO_TEST_CASE(a_second_calling_thread_runs_its_loop_alone) {
  cpu::set_thread_count(2);
  std::vector<int> first, second;
  std::thread other([&] { second = visits(50000, 10); });
  first = visits(50000, 10);
  other.join();
  BOOST_TEST(std::count(first.begin(), first.end(), 1) == 50000);
  BOOST_TEST(std::count(second.begin(), second.end(), 1) == 50000);
}

BOOST_AUTO_TEST_CASE(a_thread_count_below_one_is_refused) {
  BOOST_CHECK_THROW(cpu::set_thread_count(0), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
