// Bincode, guest side: the host serialized the message (Bincode 1.x, wasmhop/abi/bincode.hpp) into a
// fresh alloc() buffer; <prefix>_bincode(ptr, len) decodes all of it (a record's fields, or a
// Vec<u8> read in place), hands it on and frees the buffer. The host side is src/abi/bincode.hpp.
#pragma once

#include "wasmhop/abi/bincode.hpp"
#include "wasmhop/abi/exports/receive.hpp"

namespace wasmhop::abi::receive {

template <class M>
[[nodiscard]] inline M bincode_at(std::int32_t ptr, std::int32_t len) noexcept {
  M m{};
  if (bincode::decode_exact(bytes_at(ptr, len), m) != bincode::Error::none) [[unlikely]] __builtin_trap();
  return m;
}

}  // namespace wasmhop::abi::receive

#define WASMHOP_ABI_bincode_record(prefix, Wire, handle)                                          \
  WASMHOP_EXPORT(std::int32_t, prefix##_bincode, (std::int32_t ptr, std::int32_t len)) {          \
    return ::wasmhop::abi::receive::then_free(                                                    \
        ptr, ::wasmhop::abi::receive::bincode_at<Wire::Message>(ptr, len),                        \
        [](const Wire::Message& m) { return handle(m); });                                        \
  }
#define WASMHOP_ABI_bincode_bytes WASMHOP_ABI_bincode_record
