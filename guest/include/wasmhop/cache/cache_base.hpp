// CacheBase<Derived, Entry>: the semantics every policy shares (spec C.1), written once.
//
// A policy derives from it (CRTP: no virtual calls on the per-request path) and provides four hooks:
//   void          on_insert(std::uint32_t slot);  // a new resident object (entry id/size are set)
//   void          on_hit(std::uint32_t slot);     // the resident object was requested again
//   std::uint32_t take_victim();                  // choose the next victim, unlink it, return its slot
//   void          unlink(std::uint32_t slot);     // forget a stale copy (size change in miss mode)
// Entry must have `std::uint64_t id, size;` members; the base allocates, indexes and frees entries.
// Index maps ids to slots (IdMap by default; bench/sim swaps in std::unordered_map to compare): find,
// probe + insert_probed, erase, size, set_sparse; it is constructed with the most it may be filled,
// in percent, and the most its sparse table may take, in bytes.
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
  bool access(std::uint64_t id, std::uint64_t size) { return step(id, size, stats_); }

  // Simulates the requests in order: the same as access() on each, but the counters are copied in
  // and out once per batch, not once per request. Requests: a range of objects with `id` and `size`.
  template <class Requests>
  void access_all(const Requests& requests) {
    CacheStats counters = stats_;
    for (const auto& r : requests) step(r.id, r.size, counters);
    stats_ = counters;
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

  // One request, counted in `c`: stats_ itself, or a batch's copy of it.
  bool step(std::uint64_t id, std::uint64_t size, CacheStats& c) {
    clock_ = ++c.requests;  // a plain store: now() for the hooks
    auto probe = index_.probe(id);
    if (probe.value != nullptr) {
      std::uint32_t slot = *probe.value;
      Entry& e = entries_[slot];
      if (config_.size_change == SizeChange::first_size || e.size == size) [[likely]] {
        ++c.hits;
        c.bytes_requested += e.size;
        c.bytes_hit += e.size;
        self().on_hit(slot);
        return true;
      }
      self().unlink(slot);  // miss mode, new size: the stale copy goes, then a normal miss
      release(slot);
      probe = index_.probe(id);  // the erase moved the index
    } else if (config_.size_change == SizeChange::first_size) {
      size = first_size_.try_emplace(id, size);
    }
    c.bytes_requested += size;
    if (size > config_.capacity) return false;  // bypass
    // Indexed before the victims go (they cannot be it: the policy has not seen it yet), so the
    // index is probed once per miss; the victims' erases may move it, which the index allows.
    std::uint32_t slot = claim(id, size);
    index_.insert_probed(probe, id, slot);
    if (size > config_.capacity - used_) {  // used_ <= capacity: no overflow
      evicted_ = true;
      do release(self().take_victim()); while (size > config_.capacity - used_);
    }
    used_ += size;
    self().on_insert(slot);
    if (++window_misses_ == kWindowMisses) [[unlikely]] retune(c.requests);  // by value: c stays in registers
    return false;
  }

  // Every kWindowMisses admissions once the cache has been full (while it fills, every request
  // misses): the index is sparse while at least one request in kSparseMissShare admits an object.
  // The misses' probes and erases are what sparseness speeds up; the hits pay for its larger table.
  void retune(std::uint64_t requests) {
    if (evicted_) index_.set_sparse(window_misses_ * kSparseMissShare >= requests - window_start_);
    window_start_ = requests;
    window_misses_ = 0;
  }

  // A slot for a new resident (entry id/size set); the caller indexes it and counts its bytes.
  std::uint32_t claim(std::uint64_t id, std::uint64_t size) {
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
    return slot;
  }

  void release(std::uint32_t slot) {
    const Entry& e = entries_[slot];
    used_ -= e.size;
    index_.erase(e.id);
    free_.push_back(slot);
  }

  static constexpr unsigned kResidentMaxLoadPercent = 35;
  static constexpr std::size_t kResidentSparseBytes = std::size_t{2} << 20;
  static constexpr std::uint64_t kWindowMisses = 4096;
  static constexpr std::uint64_t kSparseMissShare = 8;

  CacheConfig config_;
  CacheStats stats_;
  std::uint64_t used_ = 0;
  std::uint64_t clock_ = 0;
  std::uint64_t window_misses_ = 0;  // admissions since the last retune
  std::uint64_t window_start_ = 0;   // requests at the last retune
  bool evicted_ = false;             // the cache has been full
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> free_;
  // Resident id -> slot. It holds only the cached objects, and every miss both probes it without a
  // match and deletes from it (a backward shift to the end of the run), so its cost climbs steeply
  // with the load: on a 10M-request trace at 64 MiB, FIFO ran 23 ns a request at 70%, 14 at 35%.
  // While the cache misses often (1 request in 8 or more) and the table fits in 2 MiB (about
  // 13,000 residents), it is kept at most 10% full: that trace's FIFO, LRU and LFU then ran 20-25%
  // faster, and the paper's trace at 1 MiB (21% misses) FIFO 6.8 -> 5.2 ns a request. At a high hit
  // rate the larger table cost more than it saved, hence the rule (docs/sim.md). The first-size map,
  // every id of the trace, keeps 70%.
  Index<std::uint32_t> index_{kResidentMaxLoadPercent, kResidentSparseBytes};
  Index<std::uint64_t> first_size_;       // first-size mode: every id seen -> its first size
};

}  // namespace wasmhop::cache
