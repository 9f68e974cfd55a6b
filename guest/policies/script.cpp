// A cache policy script: one policy object (the same class the native runner calls) behind the
// simulator's exports, reachable through every ABI. Built once per policy by
// guest/policies/CMakeLists.txt; the generated script_policy.hpp names the class. The interface is
// described in script_abi.hpp. The wrappers stay thin: unpack the request, call access().
#include <cstring>
#include <memory>

#include <wasmhop/abi/bincode.hpp>
#include <wasmhop/abi/buffers.hpp>
#include <wasmhop/guest.hpp>

#include "policies/script_abi.hpp"
#include "script_policy.hpp"  // generated: using Policy = wasmhop::cache::<Class>

using wasmhop::cache::Request;
using wasmhop::guest::at;
using wasmhop::policy_script::kMaxBatch;
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

std::int32_t access(const Request& r) { return policy().access(r.id, r.size) ? 1 : 0; }

Request read_request(const std::uint8_t* bytes) {
  Request r;
  std::memcpy(&r, bytes, sizeof r);
  return r;
}

const std::uint8_t* buffer(std::int32_t ptr, std::int32_t len, std::int32_t want) {
  if (len != want) [[unlikely]] __builtin_trap();
  return at<const std::uint8_t>(static_cast<std::uint32_t>(ptr));
}

void release(std::int32_t ptr) { wasmhop::guest::buffer_free(at<std::uint8_t>(static_cast<std::uint32_t>(ptr))); }

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

// Pair: the request is the call's arguments.
WASMHOP_EXPORT(std::int32_t, access, (std::int64_t id, std::int64_t size)) {
  return policy().access(static_cast<std::uint64_t>(id), static_cast<std::uint64_t>(size)) ? 1 : 0;
}

// Bincode: the host serialized a Request into a buffer from alloc(); decode all of it, free it.
WASMHOP_EXPORT(std::int32_t, access_bincode, (std::int32_t ptr, std::int32_t len)) {
  if (len < 0) [[unlikely]] __builtin_trap();
  wasmhop::policy_script::RequestBincode r;
  const auto* bytes = at<const std::uint8_t>(static_cast<std::uint32_t>(ptr));
  if (wasmhop::bincode::decode_exact({bytes, static_cast<std::size_t>(len)}, r) != wasmhop::bincode::Error::none)
    [[unlikely]] __builtin_trap();
  release(ptr);
  return access(Request{r.id, r.size});
}

// POD, dynamic: the host copied a Request into a buffer from alloc(); read it, free it.
WASMHOP_EXPORT(std::int32_t, access_pod, (std::int32_t ptr, std::int32_t len)) {
  const Request r = read_request(buffer(ptr, len, sizeof(Request)));
  release(ptr);
  return access(r);
}

// POD, static: the host copied a Request to the start of the static buffer (fetched once).
WASMHOP_EXPORT(std::int32_t, access_pod_static, ()) {
  return access(read_request(wasmhop::guest::static_buffer<kStaticCapacity>()));
}

// Batch: n Requests in the static buffer; returns how many hit.
WASMHOP_EXPORT(std::int32_t, access_batch, (std::int32_t n)) {
  if (n < 0 || static_cast<std::uint32_t>(n) > kMaxBatch) [[unlikely]] __builtin_trap();
  const std::uint8_t* buf = wasmhop::guest::static_buffer<kStaticCapacity>();
  Policy& p = policy();
  std::int32_t hits = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    const Request r = read_request(buf + static_cast<std::size_t>(i) * sizeof(Request));
    hits += p.access(r.id, r.size) ? 1 : 0;
  }
  return hits;
}

// The counters, one export each (read rarely: at the end of a run, or of a warm-up prefix).
WASMHOP_EXPORT(std::int64_t, stats_requests, ()) { return static_cast<std::int64_t>(policy().stats().requests); }
WASMHOP_EXPORT(std::int64_t, stats_hits, ()) { return static_cast<std::int64_t>(policy().stats().hits); }
WASMHOP_EXPORT(std::int64_t, stats_bytes_requested, ()) {
  return static_cast<std::int64_t>(policy().stats().bytes_requested);
}
WASMHOP_EXPORT(std::int64_t, stats_bytes_hit, ()) { return static_cast<std::int64_t>(policy().stats().bytes_hit); }
