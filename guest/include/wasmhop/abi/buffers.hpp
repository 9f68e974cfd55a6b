// Guest side of the buffer protocol shared by the memory-passing ABIs:
//   alloc(size) -> i64 (ptr << 32) | len    a fresh buffer for one call (0 when out of memory)
//   dealloc(ptr, len)                        gives it back (exports that consume a buffer free it)
//   static_buffer() -> i64 (ptr << 32) | cap one long-lived buffer, fetched once by the host
#pragma once

#include <cstdint>

#include "wasmhop/guest.hpp"

namespace wasmhop::guest {

// A long-lived buffer for the "static" ABIs, allocated on first use inside linear memory.
template <std::uint32_t Capacity>
[[nodiscard]] inline std::uint8_t* static_buffer() noexcept {
  static std::uint8_t* buf = static_cast<std::uint8_t*>(buffer_alloc(Capacity));
  return buf;
}

}  // namespace wasmhop::guest

// Defines the alloc/dealloc exports (once per script).
#define WASMHOP_BUFFER_EXPORTS()                                                         \
  WASMHOP_EXPORT(std::int64_t, alloc, (std::int32_t size)) {                             \
    if (size < 0) return 0;                                                              \
    void* p = ::wasmhop::guest::buffer_alloc(static_cast<std::size_t>(size));            \
    if (p == nullptr) return 0;                                                          \
    return ::wasmhop::guest::pack_ptr_len(::wasmhop::guest::offset_of(p),                \
                                          static_cast<std::uint32_t>(size));             \
  }                                                                                      \
  WASMHOP_EXPORT(void, dealloc, (std::int32_t ptr, std::int32_t /*len*/)) {              \
    ::wasmhop::guest::buffer_free(::wasmhop::guest::at<std::uint8_t>(static_cast<std::uint32_t>(ptr))); \
  }

// Defines static_buffer() -> (ptr << 32) | capacity.
#define WASMHOP_STATIC_BUFFER_EXPORT(capacity)                                           \
  WASMHOP_EXPORT(std::int64_t, static_buffer, ()) {                                      \
    std::uint8_t* b = ::wasmhop::guest::static_buffer<(capacity)>();                     \
    if (b == nullptr) return 0;                                                          \
    return ::wasmhop::guest::pack_ptr_len(::wasmhop::guest::offset_of(b), (capacity));   \
  }
