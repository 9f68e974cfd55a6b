// PriorityCache<Derived, Key>: the GreedyDual family on an indexed min-heap (spec C.2-C.4).
// The derived policy provides `Key priority(const PriorityEntry&)`, computed with the current
// inflation L at insertion (freq = 1) and at every hit (freq already incremented). Evicting takes
// the minimum (key, seq) and sets L to its key, so L never decreases.
#pragma once

#include <cstdint>

#include "wasmhop/cache/cache_base.hpp"
#include "wasmhop/cache/indexed_heap.hpp"

namespace wasmhop::cache {

struct PriorityEntry {
  std::uint64_t id = 0;
  std::uint64_t size = 0;
  std::uint64_t freq = 0;  // in-cache frequency: 1 at admission, +1 per hit
};

// c(p)/s(p) with s = max(size, 1) as in Squid (spec C.1 "Zero-size objects").
[[nodiscard]] inline double cost_per_byte(Cost cost, std::uint64_t size) noexcept {
  double s = size == 0 ? 1.0 : static_cast<double>(size);
  switch (cost) {
    case Cost::packets: return (2.0 + s / 536.0) / s;
    case Cost::size: return 1.0;  // s/s, exactly
    case Cost::one: break;
  }
  return 1.0 / s;
}

template <class Derived, class Key>
class PriorityCache : public CacheBase<Derived, PriorityEntry> {
  using Base = CacheBase<Derived, PriorityEntry>;
  friend Base;

 public:
  explicit PriorityCache(const CacheConfig& config) : Base(config) {}

  [[nodiscard]] Key inflation() const noexcept { return inflation_; }  // L
  [[nodiscard]] std::uint64_t rebases() const noexcept { return rebases_; }

 protected:
  // L + increment for double keys, with the rebase guard of spec C.4: when the increment no
  // longer changes L, subtract L from every key (order kept, O(n), rare) and restart from L = 0.
  double inflate(double increment) {
    double h = inflation_ + increment;
    if (!(h > inflation_)) [[unlikely]] {
      double l = inflation_;
      heap_.transform_keys([l](double& key) { key = key > l ? key - l : 0.0; });
      inflation_ = 0.0;
      ++rebases_;
      h = increment;
    }
    return h;
  }

  Key inflation_{};

 private:
  Derived& self() noexcept { return static_cast<Derived&>(*this); }

  void on_insert(std::uint32_t slot) {
    PriorityEntry& e = this->entry(slot);
    e.freq = 1;
    heap_.push(slot, self().priority(e), this->now());
  }
  void on_hit(std::uint32_t slot) {
    PriorityEntry& e = this->entry(slot);
    ++e.freq;
    heap_.update(slot, self().priority(e), this->now());
  }
  std::uint32_t take_victim() {
    std::uint32_t victim = heap_.top_slot();
    inflation_ = heap_.top_key();
    heap_.pop();
    return victim;
  }
  void unlink(std::uint32_t slot) { heap_.erase(slot); }

  IndexedHeap<Key> heap_;
  std::uint64_t rebases_ = 0;
};

}  // namespace wasmhop::cache
