// The allocator behind wasmhop::guest::buffer_alloc: buffers for per-call ABI data.
//
// Power-of-two size classes with an 8-byte header and a LIFO free list per class: an alloc or a
// free is a few dozen instructions (a general malloc is hundreds, which an interpreter makes
// microseconds), and the buffer freed by one call is the one the next call of the same size gets
// back, so per-call buffers never grow memory. Memory comes in chunks from `chunk` and is never
// returned. Not thread-safe: a guest instance runs one call at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace wasmhop::guest::detail {

class BufferPool {
 public:
  using ChunkFn = std::uint8_t* (*)(std::size_t bytes);  // fresh memory, or nullptr

  explicit constexpr BufferPool(ChunkFn chunk) noexcept : chunk_(chunk) {}

  [[nodiscard]] void* alloc(std::size_t size) noexcept {
    if (size > kMaxSize) return nullptr;
    const unsigned k = size_class(size + kHeader);
    std::uint8_t* block = free_[k];
    if (block != nullptr) {
      std::memcpy(&free_[k], block + kHeader, sizeof block);
    } else {
      const std::size_t bytes = std::size_t{1} << k;
      if (static_cast<std::size_t>(end_ - cur_) < bytes) {
        const std::size_t c = bytes > kChunk ? bytes : kChunk;
        std::uint8_t* fresh = chunk_(c);
        if (fresh == nullptr) return nullptr;
        cur_ = fresh;
        end_ = fresh + c;
      }
      block = cur_;
      cur_ += bytes;
    }
    std::memcpy(block, &k, sizeof k);
    return block + kHeader;
  }

  void free(void* p) noexcept {
    if (p == nullptr) return;
    std::uint8_t* block = static_cast<std::uint8_t*>(p) - kHeader;
    unsigned k;
    std::memcpy(&k, block, sizeof k);
    std::memcpy(block + kHeader, &free_[k], sizeof block);
    free_[k] = block;
  }

 private:
  static constexpr std::size_t kHeader = 8;
  static constexpr std::size_t kChunk = 64 * 1024;
  static constexpr std::size_t kMaxSize = std::size_t{1} << 30;

  // Smallest k >= 4 with 2^k >= n.
  [[nodiscard]] static unsigned size_class(std::size_t n) noexcept {
    if (n <= 16) return 4;
    return static_cast<unsigned>(64 - __builtin_clzll(static_cast<unsigned long long>(n - 1)));
  }

  ChunkFn chunk_;
  std::uint8_t* free_[32] = {};
  std::uint8_t* cur_ = nullptr;
  std::uint8_t* end_ = nullptr;
};

}  // namespace wasmhop::guest::detail
