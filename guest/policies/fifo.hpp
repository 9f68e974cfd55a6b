// FIFO: insert at the tail, evict the head; hits change nothing (spec C.2). O(1).
#pragma once

#include "wasmhop/cache/cache_base.hpp"
#include "wasmhop/cache/slot_list.hpp"

namespace wasmhop::cache {

class Fifo final : public CacheBase<Fifo, ListEntry> {
 public:
  static constexpr const char* kName = "fifo";
  explicit Fifo(const CacheConfig& config) : CacheBase(config) {}

 private:
  friend CacheBase;
  auto at() noexcept { return [this](std::uint32_t s) -> ListEntry& { return entry(s); }; }

  void on_insert(std::uint32_t slot) noexcept { queue_.push_back(at(), slot); }
  void on_hit(std::uint32_t) noexcept {}
  std::uint32_t take_victim() noexcept {
    std::uint32_t victim = queue_.head;
    queue_.unlink(at(), victim);
    return victim;
  }
  void unlink(std::uint32_t slot) noexcept { queue_.unlink(at(), slot); }

  SlotList queue_;
};

}  // namespace wasmhop::cache
