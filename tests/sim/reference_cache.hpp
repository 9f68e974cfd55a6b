// A deliberately simple reference cache for the golden tests: objects in a plain vector, every
// victim found by a linear scan, first sizes in a std::map. Written from prowgen_spec.md section C,
// independently of guest/policies (no shared code besides the config/stats structs).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wasmhop/cache/types.hpp"

namespace wasmhop::sim::testing {

enum class RefPolicy { fifo, lru, lfu, gds, gdsf, lfuda, largest_first };

class ReferenceCache {
 public:
  ReferenceCache(RefPolicy policy, cache::CacheConfig config) : policy_(policy), config_(config) {}

  bool access(std::uint64_t id, std::uint64_t size) {
    ++now_;
    ++stats_.requests;
    for (std::size_t i = 0; i < objects_.size(); ++i) {
      Object& o = objects_[i];
      if (o.id != id) continue;
      if (config_.size_change == cache::SizeChange::first_size || o.size == size) {
        ++stats_.hits;
        stats_.bytes_requested += o.size;
        stats_.bytes_hit += o.size;
        o.last = now_;
        o.freq += 1;
        o.h = value_of(o);
        o.k = lfuda_ + o.freq;
        return true;
      }
      objects_.erase(objects_.begin() + static_cast<std::ptrdiff_t>(i));  // stale copy; L unchanged
      break;
    }
    if (config_.size_change == cache::SizeChange::first_size) {
      auto [it, fresh] = first_size_.emplace(id, size);
      size = it->second;
    }
    stats_.bytes_requested += size;
    if (size > config_.capacity) return false;
    while (used() + size > config_.capacity) evict();
    Object o{id, size, now_, now_, 1, 0.0, 0};
    o.h = value_of(o);
    o.k = lfuda_ + 1;
    objects_.push_back(o);
    return false;
  }

  [[nodiscard]] const cache::CacheStats& stats() const { return stats_; }
  [[nodiscard]] std::uint64_t used() const {
    std::uint64_t total = 0;
    for (const Object& o : objects_) total += o.size;
    return total;
  }
  [[nodiscard]] double inflation() const { return l_; }

 private:
  struct Object {
    std::uint64_t id, size;
    std::uint64_t inserted, last;  // request numbers
    std::uint64_t freq;
    double h;                      // GDS / GDSF value
    std::uint64_t k;               // LFU-DA key
  };

  // GDS: L + c/s; GDSF: L + f * (c/s); s = max(size, 1).
  double value_of(const Object& o) const {
    double s = o.size == 0 ? 1.0 : static_cast<double>(o.size);
    double c = 1.0;
    if (config_.cost == cache::Cost::packets) c = 2.0 + s / 536.0;
    if (config_.cost == cache::Cost::size) c = s;
    double per_byte = c / s;
    if (policy_ == RefPolicy::gdsf) return l_ + static_cast<double>(o.freq) * per_byte;
    return l_ + per_byte;
  }

  // True when a should be evicted before b.
  bool before(const Object& a, const Object& b) const {
    switch (policy_) {
      case RefPolicy::fifo: return a.inserted < b.inserted;
      case RefPolicy::lru: return a.last < b.last;
      case RefPolicy::lfu: return a.freq != b.freq ? a.freq < b.freq : a.last < b.last;
      case RefPolicy::gds:
      case RefPolicy::gdsf: return a.h != b.h ? a.h < b.h : a.last < b.last;
      case RefPolicy::lfuda: return a.k != b.k ? a.k < b.k : a.last < b.last;
      case RefPolicy::largest_first: return a.size != b.size ? a.size > b.size : a.last < b.last;
    }
    return false;
  }

  void evict() {
    std::size_t v = 0;
    for (std::size_t i = 1; i < objects_.size(); ++i)
      if (before(objects_[i], objects_[v])) v = i;
    if (policy_ == RefPolicy::gds || policy_ == RefPolicy::gdsf) l_ = objects_[v].h;
    if (policy_ == RefPolicy::lfuda) lfuda_ = objects_[v].k;
    objects_.erase(objects_.begin() + static_cast<std::ptrdiff_t>(v));
  }

  RefPolicy policy_;
  cache::CacheConfig config_;
  cache::CacheStats stats_;
  std::vector<Object> objects_;
  std::map<std::uint64_t, std::uint64_t> first_size_;
  std::uint64_t now_ = 0;
  double l_ = 0;
  std::uint64_t lfuda_ = 0;
};

}  // namespace wasmhop::sim::testing
