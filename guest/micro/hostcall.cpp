// The guest-to-host hop, the other half of runtime scripting: guest loops that call host
// functions (what a script does to log, read a header or fetch a value).
#include <cstring>

#include <wasmhop/guest.hpp>

#include "payload.hpp"

// Scalars: the host multiplies (the work the host-to-guest Pair call asks of the guest).
WASMHOP_IMPORT(std::int32_t, host, mul_pair, (std::int32_t a, std::int32_t b));
// A buffer: the host reads len bytes of the caller's memory at ptr and returns their checksum.
WASMHOP_IMPORT(std::int32_t, host, consume, (std::uint32_t ptr, std::uint32_t len));

// n calls of host.mul_pair(seed + i, 7); the sum of the results.
WASMHOP_EXPORT(std::int64_t, host_pair_loop, (std::int32_t n, std::int32_t seed)) {
  std::int64_t sum = 0;
  for (std::int32_t i = 0; i < n; ++i) sum += mul_pair(seed + i, 7);
  return sum;
}

// n calls of host.consume over one buffer of len bytes whose first 4 carry the call's index (the
// host checks it: the bytes it reads are this call's); the sum of the results.
WASMHOP_EXPORT(std::int64_t, host_buffer_loop, (std::int32_t n, std::int32_t len)) {
  if (len < 4 || len > static_cast<std::int32_t>(wasmhop::micro::kMaxPayload)) __builtin_trap();
  auto* p = static_cast<std::uint8_t*>(wasmhop::guest::buffer_alloc(static_cast<std::size_t>(len)));
  if (p == nullptr) __builtin_trap();
  for (std::int32_t k = 0; k < len; ++k) p[k] = static_cast<std::uint8_t>(k * 7 + 3);
  const std::uint32_t at = wasmhop::guest::offset_of(p);
  std::int64_t sum = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    std::memcpy(p, &i, sizeof i);
    sum += consume(at, static_cast<std::uint32_t>(len));
  }
  wasmhop::guest::buffer_free(p);
  return sum;
}
