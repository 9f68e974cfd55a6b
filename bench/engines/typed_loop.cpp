// wasmhop-typed-loop.so: engine_overhead's typed-handle loop (typed_loop.hpp) in a shared object
// of its own, loaded near the engine plugins. wasmhop's out-of-line symbols (the trap path) come
// from engine_overhead, which exports them.
#include <cstdio>

#include "bench/engines/typed_loop.hpp"

extern "C" __attribute__((visibility("default"))) int wasmhop_typed_loop_v1(const wasmhop::bench::PairFunc* add,
                                                                           std::int64_t calls, std::int64_t* checksum,
                                                                           double* seconds, char* err,
                                                                           std::size_t errlen) {
  auto s = wasmhop::bench::typed_pair_loop(*add, calls, *checksum);
  if (!s) {
    std::snprintf(err, errlen, "%s", s.error().describe().c_str());
    return -1;
  }
  *seconds = *s;
  return 0;
}

[[maybe_unused]] constexpr whp_typed_loop_fn kEntryHasTheLoopType = &wasmhop_typed_loop_v1;
