// Memory with free lists per size class, over a backend's raw allocate/free functions, so that
// steady-state training (the same shapes every step) gets all its buffers from the cache: no
// cudaMalloc or cudaFree on a GPU, no page faults and page zeroing on the CPU.
//
// Blocks are reused in stream order: with one stream, a block released after enqueueing the
// kernels that use it may be handed to the next kernel at once, which runs after them.
#pragma once
#include <cstddef>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kasf {

class CachingAllocator {
 public:
  // `raw_allocate` returns nullptr when the device is out of memory (and throws on other errors).
  CachingAllocator(std::function<void*(size_t)> raw_allocate, std::function<void(void*)> raw_free);
  ~CachingAllocator();  // frees the cached blocks; blocks still handed out are not tracked
  CachingAllocator(const CachingAllocator&) = delete;
  CachingAllocator& operator=(const CachingAllocator&) = delete;

  // A block of at least `bytes`; when the device is full, the cache is freed and the call retried.
  void* allocate(size_t bytes);
  // Returns a block from allocate(bytes) to the cache.
  void release(void* block, size_t bytes);
  // Hands every cached block back to the device.
  void free_cached();

  // Size classes: powers of two from 512 bytes up to 1 MiB, then multiples of 2 MiB.
  static size_t size_class(size_t bytes);
  size_t cached_bytes() const;
  // Bytes handed out and not yet released (counted by size class), and the most since reset_peak():
  // what a training step really holds at once, whatever the cache keeps besides.
  size_t bytes_in_use() const;
  size_t peak_bytes_in_use() const;
  void reset_peak();

 private:
  void free_cached_locked();
  void note_in_use(size_t size);  // with mutex_ held

  std::function<void*(size_t)> raw_allocate_;
  std::function<void(void*)> raw_free_;
  mutable std::mutex mutex_;
  std::unordered_map<size_t, std::vector<void*>> free_blocks_;  // by size class
  size_t cached_bytes_ = 0;
  size_t in_use_bytes_ = 0;
  size_t peak_in_use_bytes_ = 0;
};

// A block of scratch memory for the duration of a scope.
class CachedBlock {
 public:
  CachedBlock(CachingAllocator& allocator, size_t bytes)
      : allocator_(allocator), bytes_(bytes), data_(allocator.allocate(bytes)) {}
  CachedBlock(CachedBlock&& other) noexcept
      : allocator_(other.allocator_), bytes_(other.bytes_), data_(std::exchange(other.data_, nullptr)) {}
  ~CachedBlock() {
    if (data_) allocator_.release(data_, bytes_);
  }
  CachedBlock(const CachedBlock&) = delete;
  CachedBlock& operator=(const CachedBlock&) = delete;
  CachedBlock& operator=(CachedBlock&&) = delete;
  template <typename T>
  T* as() const { return static_cast<T*>(data_); }

 private:
  CachingAllocator& allocator_;
  size_t bytes_;
  void* data_;
};

}  // namespace kasf
