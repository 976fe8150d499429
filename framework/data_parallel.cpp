#include "framework/data_parallel.h"

namespace kasf {
namespace {
thread_local const DataParallelStep* g_step = nullptr;
}

BatchShard shard_of(int64_t global, int index, int count) {
  const int64_t first = global * index / count, end = global * (index + 1) / count;
  return {first, end - first, global};
}

const DataParallelStep* data_parallel_step() { return g_step; }

DataParallelScope::DataParallelScope(const DataParallelStep& step) : previous_(g_step) { g_step = &step; }
DataParallelScope::~DataParallelScope() { g_step = previous_; }

}  // namespace kasf
