// Cache simulator vocabulary shared by the host and by every policy script (native and wasm32).
// Freestanding-friendly: no exceptions, no RTTI, no I/O. See docs/sim.md and prowgen_spec.md section C.
#pragma once

#include <cstdint>

#include "wasmhop/abi/fields.hpp"

namespace wasmhop::cache {

// What a request whose id is resident with a different size means (spec C.1 "Size change").
enum class SizeChange : std::uint8_t {
  first_size = 0,  // an id keeps the size of its first request (how the paper's hit rates were made)
  miss = 1,        // a size change is a miss: the stale copy is removed, then a normal miss
};

// Miss cost c(p) of GreedyDual-Size and GDSF (spec C.2). LFU-DA always uses cost 1.
enum class Cost : std::uint8_t {
  one = 0,      // c = 1: maximises the object hit rate
  packets = 1,  // c = 2 + s/536: estimated network packets (Cao & Irani)
  size = 2,     // c = s: GDS becomes LRU, GDSF becomes LFU-DA
};

struct CacheConfig {
  std::uint64_t capacity = 0;  // bytes
  SizeChange size_change = SizeChange::first_size;
  Cost cost = Cost::one;
};

// Exact counters. In first-size mode the byte counts use the size the simulator used (the first one).
struct CacheStats {
  std::uint64_t requests = 0;
  std::uint64_t hits = 0;
  std::uint64_t bytes_requested = 0;  // includes bypassed (larger than the cache) requests
  std::uint64_t bytes_hit = 0;

  friend bool operator==(const CacheStats&, const CacheStats&) = default;
};

// One trace record as the simulator sees it: 16 bytes, no padding (the batch ABI copies arrays of these).
struct Request {
  std::uint64_t id = 0;
  std::uint64_t size = 0;
  WASMHOP_FIELDS(id, size)  // the data-passing ABIs read the fields from here
};
static_assert(sizeof(Request) == 16, "Request must stay 16 bytes");

[[nodiscard]] constexpr const char* to_string(SizeChange mode) noexcept {
  return mode == SizeChange::miss ? "miss" : "first-size";
}

[[nodiscard]] constexpr const char* to_string(Cost cost) noexcept {
  switch (cost) {
    case Cost::packets: return "packets";
    case Cost::size: return "size";
    case Cost::one: break;
  }
  return "one";
}

}  // namespace wasmhop::cache
