// CacheBase<Derived, Entry>: the semantics every policy shares (spec C.1), written once.
//
// A policy derives from it (CRTP: no virtual calls on the per-request path) and provides four hooks:
//   void          on_insert(std::uint32_t slot);  // a new resident object (entry id/size are set)
//   void          on_hit(std::uint32_t slot);     // the resident object was requested again
//   std::uint32_t take_victim();                  // choose the next victim, unlink it, return its slot
//   void          unlink(std::uint32_t slot);     // forget a stale copy (size change in miss mode)
// Entry must have `std::uint64_t id, size;` members; the base allocates, indexes and frees entries.
// Index maps ids to slots (IdMap by default; bench/sim swaps in std::unordered_map to compare); it is
// constructed with the most it may be filled, in percent.
//
// Per request: a hit means the id is resident (first-size mode) or resident with that size (miss
// mode). A miss larger than the capacity is bypassed (nothing admitted or evicted); otherwise
// victims are taken until the object fits, then it is inserted. Counters are 64-bit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "wasmhop/cache/id_map.hpp"
#include "wasmhop/cache/types.hpp"

namespace wasmhop::cache {

template <class Derived, class Entry, template <class> class Index = IdMap>
class CacheBase {
 public:
  explicit CacheBase(const CacheConfig& config) : config_(config) {}

  // Simulates one request; returns whether it hit.
  bool access(std::uint64_t id, std::uint64_t size) {
    ++clock_;
    ++stats_.requests;
    if (std::uint32_t* found = index_.find(id)) {
      std::uint32_t slot = *found;
      Entry& e = entries_[slot];
      if (config_.size_change == SizeChange::first_size || e.size == size) [[likely]] {
        ++stats_.hits;
        stats_.bytes_requested += e.size;
        stats_.bytes_hit += e.size;
        self().on_hit(slot);
        return true;
      }
      self().unlink(slot);  // miss mode, new size: the stale copy goes, then a normal miss
      release(slot);
    } else if (config_.size_change == SizeChange::first_size) {
      size = first_size_.try_emplace(id, size);
    }
    stats_.bytes_requested += size;
    if (size > config_.capacity) return false;  // bypass
    while (size > config_.capacity - used_) release(self().take_victim());  // used_ <= capacity: no overflow
    self().on_insert(allocate(id, size));
    return false;
  }

  [[nodiscard]] const CacheStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const CacheConfig& config() const noexcept { return config_; }
  [[nodiscard]] std::uint64_t used_bytes() const noexcept { return used_; }
  [[nodiscard]] std::size_t object_count() const noexcept { return index_.size(); }
  [[nodiscard]] bool contains(std::uint64_t id) noexcept { return index_.find(id) != nullptr; }

 protected:
  // The request counter: seq of the current request (1-based), used to break ties LRU-first.
  [[nodiscard]] std::uint64_t now() const noexcept { return clock_; }
  [[nodiscard]] Entry& entry(std::uint32_t slot) noexcept { return entries_[slot]; }
  [[nodiscard]] const Entry& entry(std::uint32_t slot) const noexcept { return entries_[slot]; }

 private:
  Derived& self() noexcept { return static_cast<Derived&>(*this); }

  std::uint32_t allocate(std::uint64_t id, std::uint64_t size) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
      entries_[slot] = Entry{};
    } else {
      slot = static_cast<std::uint32_t>(entries_.size());
      entries_.push_back(Entry{});
    }
    entries_[slot].id = id;
    entries_[slot].size = size;
    index_.try_emplace(id, slot);
    used_ += size;
    return slot;
  }

  void release(std::uint32_t slot) {
    const Entry& e = entries_[slot];
    used_ -= e.size;
    index_.erase(e.id);
    free_.push_back(slot);
  }

  static constexpr unsigned kResidentMaxLoadPercent = 35;

  CacheConfig config_;
  CacheStats stats_;
  std::uint64_t used_ = 0;
  std::uint64_t clock_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> free_;
  // Resident id -> slot, at most 35% full. It holds only the cached objects, and every miss both
  // probes it without a match and deletes from it (a backward shift to the end of the run), so
  // its cost climbs steeply with the load: on a 10M-request trace at 64 MiB, FIFO ran 23 ns a
  // request at 70%, 14 at 35% (docs/sim.md). The first-size map, every id of the trace, keeps 70%.
  Index<std::uint32_t> index_{kResidentMaxLoadPercent};
  Index<std::uint64_t> first_size_;       // first-size mode: every id seen -> its first size
};

}  // namespace wasmhop::cache
