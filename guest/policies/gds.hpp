// GreedyDual-Size (Cao & Irani, USITS'97; spec C.2): H = L + c/s at insertion and at every hit;
// on a miss, while there is no room, L <- min H and that object is evicted. Cost from the config:
// one (default), packets (2 + s/536) or size (then GDS equals LRU hit for hit).
#pragma once

#include "wasmhop/cache/priority_cache.hpp"

namespace wasmhop::cache {

class Gds final : public PriorityCache<Gds, double> {
 public:
  static constexpr const char* kName = "gds";
  explicit Gds(const CacheConfig& config) : PriorityCache(config) {}

 private:
  friend PriorityCache;
  double priority(const PriorityEntry& e) { return inflate(cost_per_byte(config().cost, e.size)); }
};

}  // namespace wasmhop::cache
