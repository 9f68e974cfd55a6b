// FlatBuffers, guest side: the host built the message as a FlatBuffers table (guest/abi/
// wasmhop_payloads.fbs) and copied it into a fresh alloc() buffer; <prefix>_flatbuffers(ptr, len)
// verifies the untrusted buffer, reads the table, hands the message on and frees the buffer.
// A message type maps to its table with flatbuffers_decode(bytes, message) -> bool, found by
// argument-dependent lookup beside the type (Bytes: in wasmhop/abi/flatbuffers.hpp).
// The host side is src/abi/flatbuffers.hpp.
#pragma once

#include "wasmhop/abi/flatbuffers.hpp"  // first: makes FlatBuffers assertions trap in wasm
#include "wasmhop/abi/exports/receive.hpp"

namespace wasmhop::abi::receive {

template <class M>
[[nodiscard]] inline M flatbuffers_at(std::int32_t ptr, std::int32_t len) noexcept {
  using flatbuf::flatbuffers_decode;
  M m{};
  if (!flatbuffers_decode(bytes_at(ptr, len), m)) [[unlikely]] __builtin_trap();
  return m;
}

}  // namespace wasmhop::abi::receive

#define WASMHOP_ABI_flatbuffers_record(prefix, Wire, handle)                                      \
  WASMHOP_EXPORT(std::int32_t, prefix##_flatbuffers, (std::int32_t ptr, std::int32_t len)) {      \
    return ::wasmhop::abi::receive::then_free(                                                    \
        ptr, ::wasmhop::abi::receive::flatbuffers_at<Wire::Message>(ptr, len),                    \
        [](const Wire::Message& m) { return handle(m); });                                        \
  }
#define WASMHOP_ABI_flatbuffers_bytes WASMHOP_ABI_flatbuffers_record
