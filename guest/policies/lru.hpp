// LRU: a hit moves the object to the most recently used end; evict the least recently used (spec C.2).
// O(1): hash index -> intrusive doubly-linked list.
#pragma once

#include "wasmhop/cache/cache_base.hpp"
#include "wasmhop/cache/slot_list.hpp"

namespace wasmhop::cache {

class Lru final : public CacheBase<Lru, ListEntry> {
 public:
  static constexpr const char* kName = "lru";
  explicit Lru(const CacheConfig& config) : CacheBase(config) {}

 private:
  friend CacheBase;
  auto at() noexcept { return [this](std::uint32_t s) -> ListEntry& { return entry(s); }; }

  void on_insert(std::uint32_t slot) noexcept { recency_.push_back(at(), slot); }
  void on_hit(std::uint32_t slot) noexcept { recency_.move_to_back(at(), slot); }
  std::uint32_t take_victim() noexcept {
    std::uint32_t victim = recency_.head;
    recency_.unlink(at(), victim);
    return victim;
  }
  void unlink(std::uint32_t slot) noexcept { recency_.unlink(at(), slot); }

  SlotList recency_;  // head = least recently used
};

}  // namespace wasmhop::cache
