// The policy scripts' interface, shared by the guest (script.cpp) and the host
// (src/sim/script_runner*): the wire a request travels on, the static buffer's size, export names
// and init's status codes. See docs/sim.md, "Scripted runs".
//
// Exports of every policy module (i32/i64 are wasm value types; ids and sizes are u64 bit patterns):
//   init(capacity i64, size_change i32, cost i32) -> i32   a fresh policy; 0 or an InitStatus
//   access_<abi>(...) -> i32                                one request through each data-passing ABI
//                                                           (AccessWire; wasmhop/abi/exports.hpp): 1 hit, 0 miss;
//                                                           access_batch(n): the hits among n requests
//   stats_requests / stats_hits / stats_bytes_requested / stats_bytes_hit () -> i64
//   alloc, dealloc, static_buffer                           the buffer protocol (wasmhop/abi/buffers.hpp)
// Malformed input (a wrong length, undecodable bytes, n out of range, no init) traps.
#pragma once

#include <cstdint>
#include <string_view>

#include <wasmhop/abi/flatbuffers.hpp>  // first: makes FlatBuffers assertions trap in wasm
#include <wasmhop/abi/pod_layout.hpp>
#include <wasmhop/abi/wire.hpp>
#include <wasmhop/cache/types.hpp>

namespace wasmhop::policy_script {

// The POD ABIs copy cache::Request as it is: 16 bytes, the same layout on the host and in wasm32.
WASMHOP_POD_LAYOUT(cache::Request, 16, 8);

constexpr std::uint32_t kMaxBatch = 4096;      // requests per access_batch call, at most
constexpr std::uint32_t kDefaultBatch = 1024;  // what the host sends unless told otherwise
constexpr std::uint32_t kStaticCapacity = kMaxBatch * sizeof(cache::Request);

// One request per call (a batch: many, answered by their number of hits). Bincode encodes it as
// the serde struct Request { id: u64, size: u64 }, FlatBuffers as the table Request.
struct AccessWire {
  using Message = cache::Request;
  static constexpr std::string_view prefix = "access";
  static constexpr std::uint32_t static_capacity = kStaticCapacity;
  static constexpr std::uint32_t max_bytes = sizeof(cache::Request);
  static constexpr std::uint32_t max_batch = kMaxBatch;
  static constexpr bool batch_results = false;
};

enum class InitStatus : std::int32_t {
  ok = 0,
  bad_size_change = 1,  // not a cache::SizeChange
  bad_cost = 2,         // not a cache::Cost
};

// Export names beside the ABIs' own, written once for both sides.
namespace exports {
inline constexpr std::string_view init = "init";
inline constexpr std::string_view stats_requests = "stats_requests";
inline constexpr std::string_view stats_hits = "stats_hits";
inline constexpr std::string_view stats_bytes_requested = "stats_bytes_requested";
inline constexpr std::string_view stats_bytes_hit = "stats_bytes_hit";
}  // namespace exports

}  // namespace wasmhop::policy_script

namespace wasmhop::cache {

// A request as the FlatBuffers table Request (guest/abi/wasmhop_payloads.fbs).
[[nodiscard]] inline std::span<const std::uint8_t> flatbuffers_encode(flatbuf::Builder& b, const Request& r) {
  return flatbuf::build_request(b, r.id, r.size);
}
[[nodiscard]] inline bool flatbuffers_decode(std::span<const std::uint8_t> in, Request& out) {
  const flatbuf::fbs::Request* t = flatbuf::read_request(in.data(), in.size());
  if (t == nullptr) return false;
  out = {t->id(), t->size()};
  return true;
}

}  // namespace wasmhop::cache
