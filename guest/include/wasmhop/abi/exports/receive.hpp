// What every ABI's guest exports share: reading a message where the host put it, and freeing a
// fresh buffer. Malformed input (a negative length, a record of the wrong size) traps: the host
// reports the trap, so a wrong ABI never passes silently.
#pragma once

#include <cstring>

#include "wasmhop/abi/buffers.hpp"
#include "wasmhop/abi/wire.hpp"

namespace wasmhop::abi::receive {

// The len bytes at ptr, read in place.
[[nodiscard]] inline Bytes bytes_at(std::int32_t ptr, std::int32_t len) noexcept {
  if (len < 0) [[unlikely]] __builtin_trap();
  return {guest::at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)), static_cast<std::size_t>(len)};
}

// A message from its POD bytes: a record is copied out (len must be its size); bytes are read in place.
template <class M>
[[nodiscard]] inline M pod_at(std::int32_t ptr, std::int32_t len) noexcept {
  if constexpr (std::is_same_v<M, Bytes>) {
    return bytes_at(ptr, len);
  } else {
    if (len != static_cast<std::int32_t>(sizeof(M))) [[unlikely]] __builtin_trap();
    M m;
    std::memcpy(&m, guest::at<const std::uint8_t>(static_cast<std::uint32_t>(ptr)), sizeof m);
    return m;
  }
}

inline void free_buffer(std::int32_t ptr) noexcept {
  guest::buffer_free(guest::at<std::uint8_t>(static_cast<std::uint32_t>(ptr)));
}

// Hands a message taken from a fresh alloc() buffer to `handle` and frees the buffer: before the
// call when the message is a copy, after it when the message reads the buffer in place.
template <class M, class Handle>
[[nodiscard]] inline std::int32_t then_free(std::int32_t ptr, const M& m, Handle&& handle) {
  if constexpr (std::is_same_v<M, Bytes>) {
    const std::int32_t r = handle(m);
    free_buffer(ptr);
    return r;
  } else {
    free_buffer(ptr);
    return handle(m);
  }
}

}  // namespace wasmhop::abi::receive
