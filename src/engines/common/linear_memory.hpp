// A wasm linear memory for machine-code engines (wasm2c, native): one 8 GiB reservation
// (4 GiB of addressable memory plus a 4 GiB guard, so any 32-bit address + 32-bit offset faults
// inside it), committed page by page as it grows. The base never moves.
#pragma once

#include <cstdint>
#include <memory>

#include "wasmhop/result.hpp"

namespace wasmhop::detail {

class LinearMemory {
 public:
  static constexpr std::uint64_t kPageSize = 65536;
  static constexpr std::uint32_t kMaxPages = 65536;

  [[nodiscard]] static Result<std::unique_ptr<LinearMemory>> create(std::uint32_t initial_pages,
                                                                    std::uint32_t max_pages);
  ~LinearMemory();
  LinearMemory(const LinearMemory&) = delete;
  LinearMemory& operator=(const LinearMemory&) = delete;

  [[nodiscard]] std::uint8_t* base() const noexcept { return base_; }
  [[nodiscard]] std::uint32_t pages() const noexcept { return pages_; }
  [[nodiscard]] std::uint32_t max_pages() const noexcept { return max_pages_; }
  [[nodiscard]] std::uint64_t size() const noexcept { return std::uint64_t{pages_} * kPageSize; }

  // memory.grow semantics: returns the old page count, or -1 when it cannot grow.
  std::int32_t grow(std::uint32_t delta) noexcept;

 private:
  LinearMemory(std::uint8_t* base, std::uint32_t max_pages) : base_(base), max_pages_(max_pages) {}
  std::uint8_t* base_;
  std::uint32_t pages_ = 0;
  std::uint32_t max_pages_;
};

}  // namespace wasmhop::detail
