// The typed-handle loop that engine_overhead times: add_i32(i, 7) `calls` times through wasmhop's
// TypedFunc, every result checked. One definition, compiled twice: into engine_overhead itself
// and into wasmhop-typed-loop.so (typed_loop.cpp), because where the calling code lies matters:
// a call from an executable into a dlopen'ed plugin costs more than the same call from another
// shared object (measured in docs/engines.md), and a plugin's raw baseline runs inside the plugin.
#pragma once

#include <chrono>
#include <cstdint>

#include "wasmhop/func.hpp"

namespace wasmhop::bench {

using PairFunc = TypedFunc<std::int32_t(std::int32_t, std::int32_t)>;

// Seconds for the loop; an error when a call failed or returned a wrong result.
[[gnu::always_inline]] inline Result<double> typed_pair_loop(const PairFunc& add, std::int64_t calls,
                                                             std::int64_t& checksum) {
  using Clock = std::chrono::steady_clock;
  std::int64_t sum = 0;
  const auto t0 = Clock::now();
  for (std::int64_t i = 0; i < calls; ++i) {
    const auto a = static_cast<std::int32_t>(i);
    auto r = add(a, 7);
    if (!r) [[unlikely]] return tl::unexpected(r.error());
    if (*r != a + 7) [[unlikely]] return fail(ErrorKind::internal, "add_i32 returned a wrong result");
    sum += *r;
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  checksum = sum;
  return s;
}

}  // namespace wasmhop::bench

// wasmhop-typed-loop.so's entry: the same loop, run from a shared object. Returns 0, or -1 with
// the error's description in err[0..errlen).
extern "C" {
using whp_typed_loop_fn = int (*)(const wasmhop::bench::PairFunc* add, std::int64_t calls, std::int64_t* checksum,
                                  double* seconds, char* err, std::size_t errlen);
}
#define WHP_TYPED_LOOP_ENTRY "wasmhop_typed_loop_v1"
