// The policy scripts' interface, shared by the guest (script.cpp) and the host
// (src/sim/script_runner*): export names, a request as POD and as Bincode, the static buffer's
// size, and init's status codes. See docs/sim.md, "Scripted runs".
//
// Exports of every policy module (i32/i64 are wasm value types; ids and sizes are u64 bit patterns):
//   init(capacity i64, size_change i32, cost i32) -> i32   a fresh policy; 0 or an InitStatus
//   access(id i64, size i64) -> i32                         Pair: 1 hit, 0 miss
//   access_bincode(ptr i32, len i32) -> i32                 Bincode RequestBincode in an alloc() buffer (freed)
//   access_pod(ptr i32, len i32) -> i32                     cache::Request bytes in an alloc() buffer (freed)
//   access_pod_static() -> i32                              cache::Request bytes at the static buffer's start
//   access_batch(n i32) -> i32                              n cache::Requests in the static buffer: hits
//   stats_requests / stats_hits / stats_bytes_requested / stats_bytes_hit () -> i64
//   alloc, dealloc, static_buffer                           the buffer protocol (wasmhop/abi/buffers.hpp)
// Malformed input (a wrong length, undecodable bytes, n out of range, no init) traps.
#pragma once

#include <cstdint>
#include <string_view>

#include <wasmhop/abi/bincode.hpp>
#include <wasmhop/abi/pod_layout.hpp>
#include <wasmhop/cache/types.hpp>

namespace wasmhop::policy_script {

// The POD ABIs copy cache::Request as it is: 16 bytes, the same layout on the host and in wasm32.
WASMHOP_POD_LAYOUT(cache::Request, 16, 8);

// The Bincode ABI: the host serializes struct Request { id: u64, size: u64 }.
struct RequestBincode {
  std::uint64_t id = 0;
  std::uint64_t size = 0;
  WASMHOP_BINCODE_FIELDS(id, size)
};
static_assert(bincode::size_of(RequestBincode{}) == 16);

constexpr std::uint32_t kMaxBatch = 4096;      // requests per access_batch call, at most
constexpr std::uint32_t kDefaultBatch = 1024;  // what the host sends unless told otherwise
constexpr std::uint32_t kStaticCapacity = kMaxBatch * sizeof(cache::Request);

enum class InitStatus : std::int32_t {
  ok = 0,
  bad_size_change = 1,  // not a cache::SizeChange
  bad_cost = 2,         // not a cache::Cost
};

// Export names, written once for both sides.
namespace exports {
inline constexpr std::string_view init = "init";
inline constexpr std::string_view access = "access";
inline constexpr std::string_view access_bincode = "access_bincode";
inline constexpr std::string_view access_pod = "access_pod";
inline constexpr std::string_view access_pod_static = "access_pod_static";
inline constexpr std::string_view access_batch = "access_batch";
inline constexpr std::string_view stats_requests = "stats_requests";
inline constexpr std::string_view stats_hits = "stats_hits";
inline constexpr std::string_view stats_bytes_requested = "stats_bytes_requested";
inline constexpr std::string_view stats_bytes_hit = "stats_bytes_hit";
inline constexpr std::string_view alloc = "alloc";
inline constexpr std::string_view static_buffer = "static_buffer";
}  // namespace exports

}  // namespace wasmhop::policy_script
