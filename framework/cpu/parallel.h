// The CPU backend's one thread pool, shared by every kernel and by the GEMMs.
//
// Work is cut into chunks that the calling thread and the workers claim one at a time from one
// atomic counter. The caller waits only for chunks a worker has already claimed, so a worker the
// operating system has not scheduled (another busy process on the machine) delays nobody: the
// threads that run take its share. OpenMP's fork/join instead waits at every barrier for every
// thread of its team, which made a shared 2-core machine 15x slower. OpenBLAS runs single-threaded
// inside the chunks (gemm.cpp splits products itself), so the two never fight for the cores.
#pragma once
#include <cstdint>

namespace kasf::cpu {

// Threads that run a parallel loop, the caller included.
int thread_count();
// n >= 1. Default: KASF_NUM_THREADS, else OMP_NUM_THREADS, else the cores this process may use.
void set_thread_count(int n);

namespace detail {
using ChunkFn = void (*)(const void* context, int64_t chunk);
// Runs fn(context, c) for c < chunks on the pool; returns when all have run.
void run_chunks(int64_t chunks, ChunkFn fn, const void* context);
bool in_parallel_region();
}  // namespace detail

// Below about this many elements of work a loop runs on one thread: handing out chunks costs more
// than it saves.
constexpr int64_t kParallelGrain = 1 << 15;

// Calls body(begin, end) on disjoint ranges that cover [0, count), each `grain` long or longer (the
// last may be shorter): serially when the loop is one grain or less, or when already inside a
// parallel loop. Bodies must not throw (a worker thread has nowhere to send the exception).
template <typename Body>
void parallel_for(int64_t count, int64_t grain, const Body& body) {
  if (count <= 0) return;
  if (grain < 1) grain = 1;
  // Several chunks per thread, so the running threads can take the share of a descheduled one.
  constexpr int64_t kChunksPerThread = 4;
  const int64_t most = static_cast<int64_t>(thread_count()) * kChunksPerThread;
  int64_t chunks = (count + grain - 1) / grain;
  if (chunks > most) chunks = most;
  if (chunks <= 1 || thread_count() == 1 || detail::in_parallel_region()) {
    body(int64_t{0}, count);
    return;
  }
  struct Context {
    const Body* body;
    int64_t count, chunks;
  } context{&body, count, chunks};
  detail::run_chunks(
      chunks,
      [](const void* p, int64_t c) {
        const auto& ctx = *static_cast<const Context*>(p);
        (*ctx.body)(ctx.count * c / ctx.chunks, ctx.count * (c + 1) / ctx.chunks);
      },
      &context);
}

// Calls body(i) for each i < count, in chunks of about kParallelGrain elements of work when each
// item costs `work_per_item` elements.
template <typename Body>
void parallel_for_each(int64_t count, int64_t work_per_item, const Body& body) {
  const int64_t grain = kParallelGrain / (work_per_item > 0 ? work_per_item : 1);
  parallel_for(count, grain, [&body](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) body(i);
  });
}

}  // namespace kasf::cpu
