// largest-first: evict the largest resident object, least recently used among equal sizes.
// This is what the paper's "GD-Size" effectively did (its H = 1/size was never inflated nor
// refreshed on a hit, so the minimum H is always the largest object); kept to reproduce and
// explain the paper's figure. Not GreedyDual-Size: see gds.hpp for that.
#pragma once

#include <cstdint>

#include "wasmhop/cache/priority_cache.hpp"

namespace wasmhop::cache {

class LargestFirst final : public PriorityCache<LargestFirst, std::uint64_t> {
 public:
  static constexpr const char* kName = "largest-first";
  explicit LargestFirst(const CacheConfig& config) : PriorityCache(config) {}

 private:
  friend PriorityCache;
  static std::uint64_t priority(const PriorityEntry& e) noexcept { return ~e.size; }  // larger = smaller key
};

}  // namespace wasmhop::cache
