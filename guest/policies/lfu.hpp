// LFU (in-cache): f = 1 on insert, +1 per hit; evict the minimum f, least recently used among ties;
// counts are forgotten on eviction (spec C.2). O(1): a list of frequency buckets in increasing f,
// each an LRU-ordered object list (spec C.3). An object enters a bucket only when it is accessed,
// so appending at a bucket's tail keeps each bucket in last-access order.
#pragma once

#include <cstdint>
#include <vector>

#include "wasmhop/cache/cache_base.hpp"
#include "wasmhop/cache/slot_list.hpp"

namespace wasmhop::cache {

struct LfuEntry {
  std::uint64_t id = 0;
  std::uint64_t size = 0;
  std::uint32_t prev = kNoSlot;
  std::uint32_t next = kNoSlot;
  std::uint32_t bucket = kNoSlot;
};

class Lfu final : public CacheBase<Lfu, LfuEntry> {
 public:
  static constexpr const char* kName = "lfu";
  explicit Lfu(const CacheConfig& config) : CacheBase(config) {}

 private:
  friend CacheBase;
  struct Bucket {
    std::uint64_t freq = 0;
    SlotList items;  // head = least recently used at this frequency
    std::uint32_t prev = kNoSlot;
    std::uint32_t next = kNoSlot;
  };

  auto at() noexcept { return [this](std::uint32_t s) -> LfuEntry& { return entry(s); }; }

  // A new bucket of frequency `freq` linked right after `after` (kNoSlot: at the front).
  std::uint32_t new_bucket(std::uint64_t freq, std::uint32_t after) {
    std::uint32_t b;
    if (!free_buckets_.empty()) {
      b = free_buckets_.back();
      free_buckets_.pop_back();
    } else {
      b = static_cast<std::uint32_t>(buckets_.size());
      buckets_.emplace_back();
    }
    Bucket& n = buckets_[b];
    n.freq = freq;
    n.items = SlotList{};
    n.prev = after;
    n.next = after == kNoSlot ? first_ : buckets_[after].next;
    if (n.next != kNoSlot) buckets_[n.next].prev = b;
    if (after == kNoSlot) first_ = b; else buckets_[after].next = b;
    return b;
  }

  void drop_bucket_if_empty(std::uint32_t b) {
    Bucket& old = buckets_[b];
    if (!old.items.empty()) return;
    if (old.prev != kNoSlot) buckets_[old.prev].next = old.next; else first_ = old.next;
    if (old.next != kNoSlot) buckets_[old.next].prev = old.prev;
    free_buckets_.push_back(b);
  }

  void on_insert(std::uint32_t slot) {
    std::uint32_t b = (first_ != kNoSlot && buckets_[first_].freq == 1) ? first_ : new_bucket(1, kNoSlot);
    entry(slot).bucket = b;
    buckets_[b].items.push_back(at(), slot);
  }

  void on_hit(std::uint32_t slot) {
    std::uint32_t b = entry(slot).bucket;
    std::uint64_t f = buckets_[b].freq + 1;
    std::uint32_t next = buckets_[b].next;
    if (next == kNoSlot || buckets_[next].freq != f) next = new_bucket(f, b);
    buckets_[b].items.unlink(at(), slot);
    buckets_[next].items.push_back(at(), slot);
    entry(slot).bucket = next;
    drop_bucket_if_empty(b);
  }

  std::uint32_t take_victim() {
    std::uint32_t victim = buckets_[first_].items.head;
    unlink(victim);
    return victim;
  }

  void unlink(std::uint32_t slot) {
    std::uint32_t b = entry(slot).bucket;
    buckets_[b].items.unlink(at(), slot);
    drop_bucket_if_empty(b);
  }

  std::vector<Bucket> buckets_;
  std::vector<std::uint32_t> free_buckets_;
  std::uint32_t first_ = kNoSlot;  // lowest frequency
};

}  // namespace wasmhop::cache
