// The engine conformance script: every engine (and native mode) runs this same source.
#include <cstdint>

#include <wasmhop/guest.hpp>

using wasmhop::guest::at;

namespace {
std::int32_t g_counter = 0;
}

WASMHOP_EXPORT(std::int32_t, add_i32, (std::int32_t a, std::int32_t b)) { return a + b; }
WASMHOP_EXPORT(std::int64_t, add_i64, (std::int64_t a, std::int64_t b)) { return a + b; }
WASMHOP_EXPORT(float, mul_f32, (float a, float b)) { return a * b; }
WASMHOP_EXPORT(double, mul_f64, (double a, double b)) { return a * b; }
WASMHOP_EXPORT(double, mixed, (std::int32_t a, std::int64_t b, float c, double d)) {
  return static_cast<double>(a) + static_cast<double>(b) + static_cast<double>(c) + d;
}
// More parameters than a direct entry takes (wasmhop's generic calling path, func.hpp).
WASMHOP_EXPORT(double, mixed6, (std::int32_t a, std::int64_t b, float c, double d, std::int32_t e, std::int64_t f)) {
  return static_cast<double>(a) + static_cast<double>(b) + static_cast<double>(c) + d - static_cast<double>(e) * 3 +
         static_cast<double>(f % 1000);
}
WASMHOP_EXPORT(void, noop, ()) {}
WASMHOP_EXPORT(std::int32_t, bump, ()) { return ++g_counter; }
WASMHOP_EXPORT(std::int32_t, counter, ()) { return g_counter; }

// Linear memory: a buffer the host can fill and the guest reads back (and the reverse).
WASMHOP_EXPORT(std::int32_t, alloc_buffer, (std::int32_t size)) {
  void* p = wasmhop::guest::buffer_alloc(static_cast<std::size_t>(size));
  return p == nullptr ? 0 : static_cast<std::int32_t>(wasmhop::guest::offset_of(p));
}
WASMHOP_EXPORT(void, free_buffer, (std::int32_t ptr)) {
  wasmhop::guest::buffer_free(at<std::uint8_t>(static_cast<std::uint32_t>(ptr)));
}
WASMHOP_EXPORT(std::int32_t, sum_bytes, (std::int32_t ptr, std::int32_t len)) {
  const std::uint8_t* p = at<const std::uint8_t>(static_cast<std::uint32_t>(ptr));
  std::int32_t s = 0;
  for (std::int32_t i = 0; i < len; ++i) s += p[i];
  return s;
}
WASMHOP_EXPORT(void, fill_bytes, (std::int32_t ptr, std::int32_t len, std::int32_t value)) {
  std::uint8_t* p = at<std::uint8_t>(static_cast<std::uint32_t>(ptr));
  for (std::int32_t i = 0; i < len; ++i) p[i] = static_cast<std::uint8_t>(value + i);
}
// Raw loads/stores at any address: out-of-range addresses trap.
WASMHOP_EXPORT(std::int32_t, load_u32, (std::int32_t addr)) {
  return *at<volatile std::int32_t>(static_cast<std::uint32_t>(addr));
}
WASMHOP_EXPORT(void, store_u32, (std::int32_t addr, std::int32_t value)) {
  *at<volatile std::int32_t>(static_cast<std::uint32_t>(addr)) = value;
}
WASMHOP_EXPORT(std::int32_t, memory_pages, ()) {
  return static_cast<std::int32_t>(wasmhop::guest::memory_pages());
}
WASMHOP_EXPORT(std::int32_t, memory_grow, (std::int32_t pages)) {
  return wasmhop::guest::memory_grow(static_cast<std::uint32_t>(pages));
}

// Traps.
WASMHOP_EXPORT(void, trap_unreachable, ()) { __builtin_trap(); }
WASMHOP_EXPORT(std::int32_t, div_s, (std::int32_t a, std::int32_t b)) { return a / b; }
// Deep recursion on the engine's own call stack, nothing in linear memory: a direct call whose
// result feeds two different operations (no tail-call or accumulator rewrite into a loop) ...
WASMHOP_EXPORT(std::int32_t, recurse, (std::int32_t depth)) {
  return depth == 0 ? 0 : (wasmhop_export_recurse(depth - 1) ^ depth) + 1;
}
// ... and an indirect one (call_indirect in wasm), through a pointer the compiler cannot see.
namespace {
std::int32_t recurse_impl(std::int32_t depth);
std::int32_t (*volatile g_recurse)(std::int32_t) = &recurse_impl;
std::int32_t recurse_impl(std::int32_t depth) { return depth == 0 ? 0 : g_recurse(depth - 1) + depth; }
}  // namespace
WASMHOP_EXPORT(std::int32_t, recurse_indirect, (std::int32_t depth)) { return recurse_impl(depth); }

// Deep recursion with a large frame in the C stack (linear memory in wasm): the C stack runs out
// first. With --stack-first that traps (out of bounds below address 0) instead of overwriting
// globals; natively it is the machine stack (call stack exhausted).
WASMHOP_EXPORT(std::int32_t, recurse_big_frames, (std::int32_t depth)) {
  volatile std::int32_t frame[256];
  frame[0] = depth;
  frame[255] = depth;
  if (depth == 0) return 0;
  return wasmhop_export_recurse_big_frames(depth - 1) + frame[0] - frame[255] + 1;
}
