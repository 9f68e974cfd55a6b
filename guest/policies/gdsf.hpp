// GDSF, GreedyDual-Size with Frequency (Cherkasova, HPL-98-69R1; Squid's heap GDSF; spec C.2):
// H = L + f*c/s with the in-cache frequency f (1 at admission, +1 per hit), recomputed with the
// current L on every hit; L as in GDS. Cost from the config (default 1; size gives LFU-DA).
#pragma once

#include "wasmhop/cache/priority_cache.hpp"

namespace wasmhop::cache {

class Gdsf final : public PriorityCache<Gdsf, double> {
 public:
  static constexpr const char* kName = "gdsf";
  explicit Gdsf(const CacheConfig& config) : PriorityCache(config) {}

 private:
  friend PriorityCache;
  double priority(const PriorityEntry& e) {
    return inflate(static_cast<double>(e.freq) * cost_per_byte(config().cost, e.size));
  }
};

}  // namespace wasmhop::cache
