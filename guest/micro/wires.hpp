// The micro-benchmark script's wires (wasmhop/abi/wire.hpp), shared by the host (src/micro) and the
// script (micro.cpp): a Pair to multiply per call (Table 1 and the batch sweep) and a byte payload
// to checksum (the payload sweep).
#pragma once

#include <wasmhop/abi/flatbuffers.hpp>  // first: makes FlatBuffers assertions trap in wasm
#include <wasmhop/abi/wire.hpp>

#include "payload.hpp"

namespace wasmhop::micro {

// mul_pair, mul_bincode, mul_pod_dynamic, mul_pod_static, mul_flatbuffers: the product;
// mul_batch(n): n products written after the n records.
struct MulWire {
  using Message = PairPod;
  static constexpr std::string_view prefix = "mul";
  static constexpr std::uint32_t static_capacity = kStaticCapacity;
  static constexpr std::uint32_t max_bytes = sizeof(PairPod);
  static constexpr std::uint32_t max_batch = kMaxBatch;
  static constexpr bool batch_results = true;
};

// checksum_bincode, checksum_pod_dynamic, checksum_pod_static, checksum_flatbuffers: the
// payload's checksum (as i32 bits).
struct ChecksumWire {
  using Message = abi::Bytes;
  static constexpr std::string_view prefix = "checksum";
  static constexpr std::uint32_t static_capacity = kStaticCapacity;
  static constexpr std::uint32_t max_bytes = kMaxPayload;
};

// A Pair as the FlatBuffers table Pair (guest/abi/wasmhop_payloads.fbs).
[[nodiscard]] inline std::span<const std::uint8_t> flatbuffers_encode(flatbuf::Builder& b, const PairPod& p) {
  return flatbuf::build_pair(b, p.a, p.b);
}
[[nodiscard]] inline bool flatbuffers_decode(std::span<const std::uint8_t> in, PairPod& out) {
  const flatbuf::fbs::Pair* t = flatbuf::read_pair(in.data(), in.size());
  if (t == nullptr) return false;
  out = {t->a(), t->b()};
  return true;
}

}  // namespace wasmhop::micro
