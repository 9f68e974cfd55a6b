// What the micro-benchmark passes and computes, shared by the host and the guest script.
#pragma once

#include <cstddef>
#include <cstdint>

#include <wasmhop/abi/bincode.hpp>
#include <wasmhop/abi/pod_layout.hpp>

namespace wasmhop::micro {

// The paper's payload: two numbers to multiply. Its fields, in wire order, are what Pair passes
// and what Bincode encodes (as the serde struct Pair { a: i32, b: i32 }).
struct PairPod {
  std::int32_t a;
  std::int32_t b;
  WASMHOP_FIELDS(a, b)
};
WASMHOP_POD_LAYOUT(PairPod, 8, 4);
static_assert(bincode::size_of(PairPod{}) == 8);

// The guest's own work (wrapping multiplication, as wasm i32.mul).
[[nodiscard]] constexpr std::int32_t mul(std::int32_t a, std::int32_t b) noexcept {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(b));
}

// The work done on a variable-length payload: FNV-1a over every byte (touches all the data).
[[nodiscard]] constexpr std::uint32_t checksum(const std::uint8_t* p, std::size_t n) noexcept {
  std::uint32_t h = 2166136261u;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

constexpr std::uint32_t kMaxBatch = 1024;                 // records per batch call
constexpr std::uint32_t kMaxPayload = 64 * 1024;          // bytes per payload call
// The static buffer holds a batch (records, then one result per record) or a payload.
constexpr std::uint32_t kStaticCapacity = kMaxPayload + 64;
static_assert(kMaxBatch * (sizeof(PairPod) + sizeof(std::int32_t)) <= kStaticCapacity);

}  // namespace wasmhop::micro
