// Calls into the host: every engine (and native mode) runs this same source against the host
// functions that tests/host_functions_test.cpp provides (module "env").
#include <cstdint>

#include <wasmhop/guest.hpp>

using wasmhop::guest::at;

WASMHOP_IMPORT(std::int32_t, env, add, (std::int32_t a, std::int32_t b));
WASMHOP_IMPORT(double, env, mix, (std::int32_t a, std::int64_t b, float c, double d));
WASMHOP_IMPORT(std::int64_t, env, wide, (std::int64_t a));
WASMHOP_IMPORT(void, env, note, (std::int32_t v));
// The host reads [ptr, ptr+len) of the caller's memory and returns the sum of its bytes.
WASMHOP_IMPORT(std::int32_t, env, sum_memory, (std::uint32_t ptr, std::uint32_t len));
// The host writes len bytes (value + i) at ptr in the caller's memory.
WASMHOP_IMPORT(void, env, fill_memory, (std::uint32_t ptr, std::uint32_t len, std::int32_t value));
// Fails (the host returns an error) when v is negative.
WASMHOP_IMPORT(std::int32_t, env, checked, (std::int32_t v));

WASMHOP_EXPORT(std::int32_t, call_add, (std::int32_t a, std::int32_t b)) { return add(a, b) * 2; }
WASMHOP_EXPORT(double, call_mix, (std::int32_t a, std::int64_t b, float c, double d)) { return mix(a, b, c, d); }
WASMHOP_EXPORT(std::int64_t, call_wide, (std::int64_t a)) { return wide(a) + 1; }
WASMHOP_EXPORT(void, call_note, (std::int32_t v)) { note(v); }

// n guest-to-host calls in one guest loop (the guest-to-host hop).
WASMHOP_EXPORT(std::int32_t, add_loop, (std::int32_t n)) {
  std::int32_t s = 0;
  for (std::int32_t i = 0; i < n; ++i) s = add(s, i);
  return s;
}

// A buffer of len bytes (k * 3 + 1) handed to the host to read; returns the host's sum.
WASMHOP_EXPORT(std::int32_t, sum_via_host, (std::int32_t len)) {
  auto* p = static_cast<std::uint8_t*>(wasmhop::guest::buffer_alloc(static_cast<std::size_t>(len)));
  if (p == nullptr) return -1;
  for (std::int32_t k = 0; k < len; ++k) p[k] = static_cast<std::uint8_t>(k * 3 + 1);
  const std::int32_t s = sum_memory(wasmhop::guest::offset_of(p), static_cast<std::uint32_t>(len));
  wasmhop::guest::buffer_free(p);
  return s;
}

// The host fills a buffer; the guest sums it.
WASMHOP_EXPORT(std::int32_t, fill_via_host, (std::int32_t len, std::int32_t value)) {
  auto* p = static_cast<std::uint8_t*>(wasmhop::guest::buffer_alloc(static_cast<std::size_t>(len)));
  if (p == nullptr) return -1;
  fill_memory(wasmhop::guest::offset_of(p), static_cast<std::uint32_t>(len), value);
  std::int32_t s = 0;
  for (std::int32_t k = 0; k < len; ++k) s += p[k];
  wasmhop::guest::buffer_free(p);
  return s;
}

// Asks the host at an out-of-bounds offset: the host's bounds check fails the call.
WASMHOP_EXPORT(std::int32_t, sum_out_of_bounds, ()) { return sum_memory(0xFFFFFFF0u, 64); }

// The host's error ends this call (the guest never sees `checked` return for v < 0).
WASMHOP_EXPORT(std::int32_t, call_checked, (std::int32_t v)) { return checked(v) + 1; }
