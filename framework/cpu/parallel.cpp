#include "framework/cpu/parallel.h"

#include <sched.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace kasf::cpu {
namespace {

thread_local bool t_in_region = false;

inline void cpu_relax() { __builtin_ia32_pause(); }

// How long an idle worker polls for the next loop before it sleeps: about 50 microseconds, longer
// than the gap between two kernels of a training step, shorter than a scheduler slice.
constexpr int kSpinsBeforeSleep = 1 << 11;

// The claim word: generation (32 bits) | chunks of that generation (16) | next unclaimed chunk (16).
// Packing the chunk count in lets a worker tell from one atomic load whether anything is left, so a
// worker that wakes late never reads a finished loop's description.
constexpr int64_t kMaxChunks = (1 << 16) - 1;
uint64_t claim_word(uint32_t generation, int64_t chunks, int64_t next) {
  return (uint64_t{generation} << 32) | (static_cast<uint64_t>(chunks) << 16) | static_cast<uint64_t>(next);
}
int64_t chunks_of(uint64_t word) { return static_cast<int64_t>((word >> 16) & 0xffff); }
int64_t next_of(uint64_t word) { return static_cast<int64_t>(word & 0xffff); }

class Pool {
 public:
  explicit Pool(int threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~Pool() {
    stop_.store(true);
    wake_.fetch_add(1);
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
  }
  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  void run(int64_t chunks, detail::ChunkFn fn, const void* context) {
    // One loop at a time: a second thread calling in (a data-loading thread) runs its loop alone.
    std::unique_lock<std::mutex> lock(busy_, std::try_to_lock);
    if (!lock.owns_lock() || chunks > kMaxChunks) {
      for (int64_t c = 0; c < chunks; ++c) fn(context, c);
      return;
    }
    fn_ = fn;
    context_ = context;
    done_.store(0, std::memory_order_relaxed);
    state_.store(claim_word(++generation_, chunks, 0), std::memory_order_release);
    wake_.fetch_add(1, std::memory_order_release);
    wake_.notify_all();
    t_in_region = true;
    help();
    t_in_region = false;
    // Only chunks that workers have claimed are left. Poll briefly, then sleep: on a busy machine the
    // worker may have lost its core, and spinning would only keep it from getting one back.
    const auto total = static_cast<uint32_t>(chunks);
    uint32_t done = done_.load(std::memory_order_acquire);
    for (int spins = 0; done < total && spins < kSpinsBeforeSleep; ++spins) {
      cpu_relax();
      done = done_.load(std::memory_order_acquire);
    }
    while (done < total) {
      done_.wait(done, std::memory_order_acquire);
      done = done_.load(std::memory_order_acquire);
    }
  }

 private:
  // Claims and runs chunks of the current loop until none is left.
  void help() {
    uint64_t word = state_.load(std::memory_order_acquire);
    while (next_of(word) < chunks_of(word)) {
      if (!state_.compare_exchange_weak(word, word + 1, std::memory_order_acq_rel, std::memory_order_acquire))
        continue;
      // The claim succeeded while the loop still had chunks, so its description is current.
      fn_(context_, next_of(word));
      if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == static_cast<uint32_t>(chunks_of(word)))
        done_.notify_one();  // no system call unless the caller sleeps
      word = state_.load(std::memory_order_acquire);
    }
  }

  void work() {
    t_in_region = true;  // a kernel run by a worker never starts a nested loop
    uint32_t seen = wake_.load(std::memory_order_acquire);
    while (!stop_.load(std::memory_order_relaxed)) {
      help();
      int spins = 0;
      while (wake_.load(std::memory_order_acquire) == seen && ++spins < kSpinsBeforeSleep) cpu_relax();
      if (wake_.load(std::memory_order_acquire) == seen) wake_.wait(seen, std::memory_order_acquire);
      seen = wake_.load(std::memory_order_acquire);
    }
  }

  std::vector<std::thread> workers_;
  std::mutex busy_;
  uint32_t generation_ = 0;  // written by the thread holding busy_
  detail::ChunkFn fn_ = nullptr;
  const void* context_ = nullptr;
  std::atomic<uint64_t> state_{0};
  std::atomic<uint32_t> done_{0};  // 32 bits: waits on it are plain futex waits
  std::atomic<uint32_t> wake_{0};
  std::atomic<bool> stop_{false};
};

int default_thread_count() {
  for (const char* name : {"KASF_NUM_THREADS", "OMP_NUM_THREADS"})
    if (const char* value = std::getenv(name)) {
      const int n = std::atoi(value);
      if (n >= 1) return n;
    }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

std::mutex g_pool_mutex;  // guards creating and replacing the pool
std::unique_ptr<Pool> g_pool;
std::atomic<Pool*> g_current{nullptr};  // the lock-free read of g_pool on every loop

Pool& pool() {
  if (Pool* p = g_current.load(std::memory_order_acquire)) return *p;
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  if (!g_pool) {
    g_pool = std::make_unique<Pool>(default_thread_count());
    g_current.store(g_pool.get(), std::memory_order_release);
  }
  return *g_pool;
}

}  // namespace

int thread_count() { return pool().threads(); }

// Called by the tools before any kernel runs: replacing the pool while a loop runs is not supported.
void set_thread_count(int n) {
  if (n < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(n));
  std::lock_guard<std::mutex> lock(g_pool_mutex);
  if (!g_pool || g_pool->threads() != n) {
    g_current.store(nullptr, std::memory_order_release);
    g_pool.reset();
    g_pool = std::make_unique<Pool>(n);
    g_current.store(g_pool.get(), std::memory_order_release);
  }
}

namespace detail {
void run_chunks(int64_t chunks, ChunkFn fn, const void* context) { pool().run(chunks, fn, context); }
bool in_parallel_region() { return t_in_region; }
}  // namespace detail

}  // namespace kasf::cpu
