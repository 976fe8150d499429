#include "framework/caching_allocator.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace kasf {

namespace {

constexpr size_t kSmallestClass = 512;
constexpr size_t kLargeThreshold = size_t{1} << 20;
constexpr size_t kLargeGranule = size_t{2} << 20;

}  // namespace

CachingAllocator::CachingAllocator(std::function<void*(size_t)> raw_allocate, std::function<void(void*)> raw_free)
    : raw_allocate_(std::move(raw_allocate)), raw_free_(std::move(raw_free)) {}

CachingAllocator::~CachingAllocator() { free_cached_locked(); }

size_t CachingAllocator::size_class(size_t bytes) {
  if (bytes > kLargeThreshold) return (bytes + kLargeGranule - 1) / kLargeGranule * kLargeGranule;
  size_t size = kSmallestClass;
  while (size < bytes) size *= 2;
  return size;
}

void* CachingAllocator::allocate(size_t bytes) {
  const size_t size = size_class(bytes);
  std::lock_guard lock(mutex_);
  auto it = free_blocks_.find(size);
  if (it != free_blocks_.end() && !it->second.empty()) {
    void* block = it->second.back();
    it->second.pop_back();
    cached_bytes_ -= size;
    note_in_use(size);
    return block;
  }
  void* block = raw_allocate_(size);
  if (!block) {  // the cache may hold enough memory in other size classes
    free_cached_locked();
    block = raw_allocate_(size);
  }
  if (!block)
    throw std::runtime_error("device out of memory: cannot allocate " + std::to_string(size) + " bytes");
  note_in_use(size);
  return block;
}

void CachingAllocator::release(void* block, size_t bytes) {
  const size_t size = size_class(bytes);
  std::lock_guard lock(mutex_);
  free_blocks_[size].push_back(block);
  cached_bytes_ += size;
  in_use_bytes_ -= size;
}

void CachingAllocator::free_cached() {
  std::lock_guard lock(mutex_);
  free_cached_locked();
}

void CachingAllocator::free_cached_locked() {
  for (auto& [size, blocks] : free_blocks_)
    for (void* block : blocks) raw_free_(block);
  free_blocks_.clear();
  cached_bytes_ = 0;
}

void CachingAllocator::note_in_use(size_t size) {
  in_use_bytes_ += size;
  peak_in_use_bytes_ = std::max(peak_in_use_bytes_, in_use_bytes_);
}

size_t CachingAllocator::bytes_in_use() const {
  std::lock_guard lock(mutex_);
  return in_use_bytes_;
}

size_t CachingAllocator::peak_bytes_in_use() const {
  std::lock_guard lock(mutex_);
  return peak_in_use_bytes_;
}

void CachingAllocator::reset_peak() {
  std::lock_guard lock(mutex_);
  peak_in_use_bytes_ = in_use_bytes_;
}

size_t CachingAllocator::cached_bytes() const {
  std::lock_guard lock(mutex_);
  return cached_bytes_;
}

}  // namespace kasf
