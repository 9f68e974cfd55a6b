// LFU-DA, LFU with dynamic aging (Squid's heap LFUDA; spec C.2): K = L + f with the in-cache
// frequency f; each eviction sets L to the victim's K. Integer keys (cost 1; the cost option is
// ignored), so no precision guard is needed.
#pragma once

#include <cstdint>

#include "wasmhop/cache/priority_cache.hpp"

namespace wasmhop::cache {

class Lfuda final : public PriorityCache<Lfuda, std::uint64_t> {
 public:
  static constexpr const char* kName = "lfuda";
  explicit Lfuda(const CacheConfig& config) : PriorityCache(config) {}

 private:
  friend PriorityCache;
  std::uint64_t priority(const PriorityEntry& e) const noexcept { return inflation_ + e.freq; }
};

}  // namespace wasmhop::cache
