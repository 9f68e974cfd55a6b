// The one way the host touches guest linear memory: a bounds-checked view.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

#include "wasmhop/result.hpp"

namespace wasmhop {

// A snapshot of linear memory: base and current byte size. A guest call may grow (and on some
// engines move) memory, so take a fresh view from Instance::memory() after every guest call.
class GuestMemory {
 public:
  GuestMemory() = default;
  GuestMemory(std::uint8_t* base, std::uint64_t size) noexcept : base_(base), size_(size) {}

  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return base_ == nullptr; }

  // True when [ptr, ptr+len) lies inside memory (64-bit arithmetic: no wrap-around).
  [[nodiscard]] bool contains(std::uint64_t ptr, std::uint64_t len) const noexcept {
    return base_ != nullptr && ptr <= size_ && len <= size_ - ptr;
  }

  [[nodiscard]] Result<std::span<std::uint8_t>> bytes(std::uint64_t ptr, std::uint64_t len) const {
    if (!contains(ptr, len)) [[unlikely]] return out_of_bounds(ptr, len);
    return std::span<std::uint8_t>(base_ + ptr, static_cast<std::size_t>(len));
  }

  template <class T>
  [[nodiscard]] Result<T> read(std::uint64_t ptr) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!contains(ptr, sizeof(T))) [[unlikely]] return out_of_bounds(ptr, sizeof(T));
    T v;
    std::memcpy(&v, base_ + ptr, sizeof(T));
    return v;
  }

  template <class T>
  [[nodiscard]] Status write(std::uint64_t ptr, const T& v) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!contains(ptr, sizeof(T))) [[unlikely]] return out_of_bounds(ptr, sizeof(T));
    std::memcpy(base_ + ptr, &v, sizeof(T));
    return {};
  }

  [[nodiscard]] Status write_bytes(std::uint64_t ptr, std::span<const std::uint8_t> src) const {
    if (!contains(ptr, src.size())) [[unlikely]] return out_of_bounds(ptr, src.size());
    if (!src.empty()) std::memcpy(base_ + ptr, src.data(), src.size());
    return {};
  }

 private:
  [[nodiscard]] tl::unexpected<Error> out_of_bounds(std::uint64_t ptr, std::uint64_t len) const;

  std::uint8_t* base_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace wasmhop
