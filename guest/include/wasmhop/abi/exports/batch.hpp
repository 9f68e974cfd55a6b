// Batch, guest side: n records in the static buffer, one after the other as POD; <prefix>_batch(n)
// hands each one on and either writes each i32 answer after the records and returns n
// (Wire::batch_results) or returns the sum of the answers. Records only; the host side is
// src/abi/batch.hpp.
#pragma once

#include "wasmhop/abi/exports/receive.hpp"

namespace wasmhop::abi::receive {

template <class Wire, class Handle>
[[nodiscard]] inline std::int32_t batch(std::int32_t n, Handle&& handle) noexcept {
  using M = typename Wire::Message;
  constexpr std::size_t kOut = Wire::batch_results ? sizeof(std::int32_t) : 0;
  static_assert(RecordWire<Wire> && Wire::max_batch * (sizeof(M) + kOut) <= Wire::static_capacity);
  if (n < 0 || static_cast<std::uint32_t>(n) > Wire::max_batch) [[unlikely]] __builtin_trap();
  std::uint8_t* buf = guest::static_buffer<Wire::static_capacity>();
  std::uint8_t* out = buf + static_cast<std::size_t>(n) * sizeof(M);
  std::int32_t sum = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    M m;
    std::memcpy(&m, buf + static_cast<std::size_t>(i) * sizeof(M), sizeof m);
    const std::int32_t r = handle(m);
    if constexpr (Wire::batch_results) std::memcpy(out + static_cast<std::size_t>(i) * sizeof r, &r, sizeof r);
    else sum += r;
  }
  return Wire::batch_results ? n : sum;
}

}  // namespace wasmhop::abi::receive

// `handle` is evaluated once per call, then called for each record (a handler object made per
// call does its set-up, such as a check, once per batch).
#define WASMHOP_ABI_batch_record(prefix, Wire, handle)                                            \
  WASMHOP_EXPORT(std::int32_t, prefix##_batch, (std::int32_t n)) {                                \
    return ::wasmhop::abi::receive::batch<Wire>(n, handle);                                       \
  }
#define WASMHOP_ABI_batch_bytes(prefix, Wire, handle)
