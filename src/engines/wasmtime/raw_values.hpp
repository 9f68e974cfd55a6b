// Moving values between wasmhop's 8-byte slots and Wasmtime's 16-byte raw values, each with the
// width of its type: both sides write an i32 or f32 as 4 bytes, and an 8-byte read of a value
// stored as 4 bytes just before would stall the load (no store forwarding). Shared by the export
// calls (call.cpp) and the host functions (host_calls.cpp).
#pragma once

#include <cstdint>
#include <cstring>

#include "engines/plugin/plugin_abi.h"

namespace wasmhop::wasmtime_plugin {

[[gnu::always_inline]] inline void copy_value(void* to, const void* from, bool wide) {
  if (wide) {
    std::memcpy(to, from, 8);
  } else {
    std::memcpy(to, from, 4);
  }
}

// Bit k set: value k of `types` is 64 bits wide (i64, f64); past 32 values nothing is recorded
// (callers then copy 8 bytes, right for every type, only slower).
inline std::uint32_t wide_bits(const std::uint8_t* types, std::uint32_t n) {
  std::uint32_t bits = 0;
  for (std::uint32_t k = 0; k < n && k < 32; ++k) {
    if (types[k] == WHP_I64 || types[k] == WHP_F64) bits |= 1u << k;
  }
  return bits;
}

// Whether value k is wide by `bits` (wide_bits).
[[gnu::always_inline]] inline bool is_wide(std::uint32_t bits, std::uint32_t k) {
  return k >= 32 || ((bits >> k) & 1u) != 0;
}

}  // namespace wasmhop::wasmtime_plugin
