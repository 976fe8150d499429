#include "framework/cuda/emulator.h"

#include <setjmp.h>
#include <ucontext.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace kasf::emulated {

thread_local dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace {

constexpr unsigned kMaxThreadsPerBlock = 1024;
constexpr unsigned kMaxGridYZ = 65535;
constexpr size_t kFiberStackBytes = 256 * 1024;

enum class FiberState { Runnable, AtBlockBarrier, AtWarpBarrier, Done };

// Runs the threads of one block as fibers on the calling thread. A fiber runs until it waits at a
// barrier or finishes; when every fiber is waiting or done, complete barriers are released. The
// order of the sweeps alternates (ascending, then descending thread index), so a thread that
// reads another's write without a barrier in between sees the stale value in one of them: missing
// __syncthreads show up as wrong results, deterministically.
class BlockScheduler {
 public:
  void run(const std::function<void()>& body, dim3 grid, dim3 block, dim3 block_index, const char* kernel) {
    const unsigned threads = block.x * block.y * block.z;
    body_ = &body;
    while (fibers_.size() < threads) add_fiber();
    states_.assign(threads, FiberState::Runnable);
    for (std::vector<uint64_t>& buffer : lane_values_) buffer.assign(threads, 0);
    exchanges_.assign(threads, 0);
    blockDim = block;
    gridDim = grid;
    blockIdx = block_index;
    for (bool ascending = true;; ascending = !ascending) {
      for (unsigned i = 0; i < threads; ++i) {
        const unsigned t = ascending ? i : threads - 1 - i;
        if (states_[t] == FiberState::Runnable) resume(t, block);
      }
      if (!release_barriers(threads)) break;
    }
    for (unsigned t = 0; t < threads; ++t)
      if (states_[t] != FiberState::Done) {
        fibers_.clear();  // stuck mid-kernel: never to be resumed
        throw std::logic_error(std::string("emulated launch of ") + kernel + ": thread " + std::to_string(t) +
                               " waits at a barrier the rest of its block or warp never reaches");
      }
  }

  // Called on a fiber: waits at the block barrier, at its warp's barrier, or (Done) for the next block.
  void wait(FiberState barrier) {
    states_[current_] = barrier;
    if (_setjmp(fibers_[current_]->jump) == 0) _longjmp(scheduler_jump_, 1);
  }

  unsigned current() const { return current_; }
  uint64_t& lane_value(unsigned buffer, unsigned thread) { return lane_values_[buffer][thread]; }
  // 0, 1, 0, ... for the calling thread's successive warp exchanges.
  unsigned next_exchange_buffer(unsigned thread) { return exchanges_[thread]++ % 2; }

 private:
  // A fiber is entered once through its ucontext, then switched to and from with _setjmp/_longjmp,
  // which leave the signal mask alone: swapcontext makes a system call per switch, and the
  // emulated tests switch millions of times.
  struct Fiber {
    ucontext_t context;
    jmp_buf jump;
    bool started = false;
    std::unique_ptr<char[]> stack;
  };

  // Fibers live as long as the scheduler: each runs the current block's body whenever resumed
  // (making contexts costs system calls, so they are not made per block).
  void add_fiber() {
    auto fiber = std::make_unique<Fiber>();
    fiber->stack = std::make_unique_for_overwrite<char[]>(kFiberStackBytes);
    getcontext(&fiber->context);
    fiber->context.uc_stack.ss_sp = fiber->stack.get();
    fiber->context.uc_stack.ss_size = kFiberStackBytes;
    fiber->context.uc_link = nullptr;  // fiber_main never returns
    makecontext(&fiber->context, &fiber_main, 0);
    fibers_.push_back(std::move(fiber));
  }

  [[noreturn]] static void fiber_main();

  void resume(unsigned t, dim3 block) {
    current_ = t;
    threadIdx = dim3(t % block.x, t / block.x % block.y, t / (block.x * block.y));
    Fiber& fiber = *fibers_[t];
    if (_setjmp(scheduler_jump_) != 0) return;  // the fiber waits at a barrier or is done
    if (!fiber.started) {
      fiber.started = true;
      setcontext(&fiber.context);
    }
    _longjmp(fiber.jump, 1);
  }

  // Makes runnable the threads of every complete barrier; false when none was complete. A block
  // barrier is complete when every thread waits at it or has returned (exited threads no longer
  // count, as on the GPU); a warp barrier, when all 32 lanes wait at it (the kernels shuffle with
  // full masks, which needs every lane).
  bool release_barriers(unsigned threads) {
    bool released = false;
    for (unsigned warp = 0; warp < threads / warpSize; ++warp)
      released |= release_if_complete(warp * warpSize, (warp + 1) * warpSize, FiberState::AtWarpBarrier, false);
    return release_if_complete(0, threads, FiberState::AtBlockBarrier, true) || released;
  }

  bool release_if_complete(unsigned begin, unsigned end, FiberState barrier, bool returned_count) {
    bool any_waiting = false;
    for (unsigned t = begin; t < end; ++t) {
      if (states_[t] != barrier && !(returned_count && states_[t] == FiberState::Done)) return false;
      any_waiting |= states_[t] == barrier;
    }
    for (unsigned t = begin; t < end; ++t)
      if (states_[t] == barrier) states_[t] = FiberState::Runnable;
    return any_waiting;
  }

  const std::function<void()>* body_ = nullptr;
  jmp_buf scheduler_jump_;
  std::vector<std::unique_ptr<Fiber>> fibers_;
  std::vector<FiberState> states_;
  std::vector<uint64_t> lane_values_[2];  // the warp exchange buffers, one slot per thread
  std::vector<unsigned> exchanges_;        // warp exchanges made by each thread in this block
  unsigned current_ = 0;
};

thread_local BlockScheduler* t_scheduler = nullptr;

void BlockScheduler::fiber_main() {
  for (;;) {
    BlockScheduler& s = *t_scheduler;
    (*s.body_)();
    s.wait(FiberState::Done);
  }
}

void check_shape(const char* kernel, dim3 grid, dim3 block, size_t dynamic_shared_bytes) {
  const unsigned threads = block.x * block.y * block.z;
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument(std::string("emulated launch of ") + kernel + ": " + why);
  };
  if (threads == 0 || threads > kMaxThreadsPerBlock || threads % warpSize != 0)
    fail("a block of " + std::to_string(threads) + " threads (whole warps, at most 1024)");
  if (grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.y > kMaxGridYZ || grid.z > kMaxGridYZ)
    fail("grid (" + std::to_string(grid.x) + ", " + std::to_string(grid.y) + ", " + std::to_string(grid.z) + ")");
  if (dynamic_shared_bytes != 0) fail("dynamic shared memory is not emulated");
}

}  // namespace

void launch(const char* kernel, dim3 grid, dim3 block, size_t dynamic_shared_bytes,
            const std::function<void()>& thread_body) {
  check_shape(kernel, grid, block, dynamic_shared_bytes);
  // One launch at a time: `__shared__` storage is static, shared by whoever runs the kernel.
  static std::mutex one_launch_at_a_time;
  std::lock_guard lock(one_launch_at_a_time);
  thread_local BlockScheduler scheduler;
  t_scheduler = &scheduler;
  for (unsigned z = 0; z < grid.z; ++z)
    for (unsigned y = 0; y < grid.y; ++y)
      for (unsigned x = 0; x < grid.x; ++x) scheduler.run(thread_body, grid, block, dim3(x, y, z), kernel);
}

void __syncthreads() { t_scheduler->wait(FiberState::AtBlockBarrier); }

int lane_id() { return static_cast<int>(t_scheduler->current() % warpSize); }

// Consecutive exchanges alternate between two buffers: a lane can only write the buffer of
// exchange k + 2 after the whole warp has met at the barrier of exchange k + 1, i.e. after every
// lane has read exchange k. So one barrier per exchange suffices.
uint64_t warp_exchange(uint64_t bits, int source_lane) {
  BlockScheduler& s = *t_scheduler;
  const unsigned self = s.current();
  const unsigned buffer = s.next_exchange_buffer(self);
  s.lane_value(buffer, self) = bits;
  s.wait(FiberState::AtWarpBarrier);
  return s.lane_value(buffer, self - self % warpSize + static_cast<unsigned>(source_lane));
}

}  // namespace kasf::emulated
