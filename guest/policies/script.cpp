// A cache policy script: one policy object (the same class the native runner calls) behind the
// simulator's exports, reachable through every ABI. Built once per policy by
// guest/policies/CMakeLists.txt; the generated script_policy.hpp names the class. The interface is
// described in script_abi.hpp. The ABIs' exports unpack the request and call access().
#include <memory>

#include <wasmhop/abi/exports.hpp>  // first: makes FlatBuffers assertions trap in wasm
#include <wasmhop/guest.hpp>

#include "policies/script_abi.hpp"
#include "script_policy.hpp"  // generated: using Policy = wasmhop::cache::<Class>

using wasmhop::cache::Request;
using wasmhop::policy_script::AccessWire;
using wasmhop::policy_script::kStaticCapacity;
using wasmhop::policy_script::Policy;

WASMHOP_BUFFER_EXPORTS()
WASMHOP_STATIC_BUFFER_EXPORT(kStaticCapacity)

namespace {

// Owned by a static object: the native build's copy of this script is unloaded with its instance
// (dlclose runs static destructors), which then frees the policy; a wasm instance's memory goes
// with the instance anyway.
std::unique_ptr<Policy> g_policy;

// Every entry point but init needs a policy: calling one first is a host bug, so it traps.
Policy& policy() {
  if (g_policy == nullptr) [[unlikely]] __builtin_trap();
  return *g_policy;
}

// The handler of every ABI's export: made once per guest call, so a batch checks for init once.
struct Access {
  Policy& p;
  std::int32_t operator()(const Request& r) const { return p.access(r.id, r.size) ? 1 : 0; }
};

}  // namespace

// A fresh, empty policy (replacing any previous one). The capacity is a u64 bit pattern.
WASMHOP_EXPORT(std::int32_t, init, (std::int64_t capacity, std::int32_t size_change, std::int32_t cost)) {
  using wasmhop::policy_script::InitStatus;
  wasmhop::cache::CacheConfig config;
  config.capacity = static_cast<std::uint64_t>(capacity);
  switch (size_change) {
    case 0: config.size_change = wasmhop::cache::SizeChange::first_size; break;
    case 1: config.size_change = wasmhop::cache::SizeChange::miss; break;
    default: return static_cast<std::int32_t>(InitStatus::bad_size_change);
  }
  switch (cost) {
    case 0: config.cost = wasmhop::cache::Cost::one; break;
    case 1: config.cost = wasmhop::cache::Cost::packets; break;
    case 2: config.cost = wasmhop::cache::Cost::size; break;
    default: return static_cast<std::int32_t>(InitStatus::bad_cost);
  }
  g_policy.reset();  // before the new one: never two at once
  g_policy = std::make_unique<Policy>(config);
  return static_cast<std::int32_t>(InitStatus::ok);
}

// Every data-passing ABI: access_pair, access_bincode, access_pod_dynamic, access_pod_static,
// access_batch, access_flatbuffers (wasmhop/abi/exports.hpp).
WASMHOP_ABI_EXPORTS(record, access, AccessWire, Access{policy()})

// The counters, one export each (read rarely: at the end of a run, or of a warm-up prefix).
WASMHOP_EXPORT(std::int64_t, stats_requests, ()) { return static_cast<std::int64_t>(policy().stats().requests); }
WASMHOP_EXPORT(std::int64_t, stats_hits, ()) { return static_cast<std::int64_t>(policy().stats().hits); }
WASMHOP_EXPORT(std::int64_t, stats_bytes_requested, ()) {
  return static_cast<std::int64_t>(policy().stats().bytes_requested);
}
WASMHOP_EXPORT(std::int64_t, stats_bytes_hit, ()) { return static_cast<std::int64_t>(policy().stats().bytes_hit); }
