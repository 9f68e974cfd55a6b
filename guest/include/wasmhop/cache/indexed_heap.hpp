// IndexedHeap<Key>: a binary min-heap of object slots ordered by (key, seq), with each slot's heap
// position kept in a side array so that update and erase of any member are O(log n) (spec C.3).
// seq is the global request counter at the object's last access, so ties go least recently used
// first (spec C.1 "Ties"); seq values are unique, which makes the order total and deterministic.
//
// Keys are unsigned integers or non-negative doubles. Both are stored as their 64-bit pattern
// (for doubles >= +0.0 the bit pattern orders like the value), so (key, seq) compares as one
// unsigned 128-bit number: branch-free comparisons on the sift paths.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace wasmhop::cache {

template <class Key>
class IndexedHeap {
 public:
  static constexpr std::uint32_t kAbsent = ~std::uint32_t{0};

  [[nodiscard]] bool empty() const noexcept { return nodes_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
  [[nodiscard]] bool contains(std::uint32_t slot) const noexcept {
    return slot < pos_.size() && pos_[slot] != kAbsent;
  }
  // Requires !empty().
  [[nodiscard]] std::uint32_t top_slot() const noexcept { return nodes_[0].slot; }
  [[nodiscard]] Key top_key() const noexcept { return from_bits(nodes_[0].key); }
  [[nodiscard]] Key key_of(std::uint32_t slot) const noexcept { return from_bits(nodes_[pos_[slot]].key); }

  void push(std::uint32_t slot, Key key, std::uint64_t seq) {
    if (slot >= pos_.size()) pos_.resize(static_cast<std::size_t>(slot) + 1, kAbsent);
    nodes_.push_back(Node{to_bits(key), seq, slot});
    pos_[slot] = static_cast<std::uint32_t>(nodes_.size() - 1);
    sift_up(nodes_.size() - 1);
  }

  // New key/seq for a member; moves it either way.
  void update(std::uint32_t slot, Key key, std::uint64_t seq) noexcept {
    std::size_t i = pos_[slot];
    Node old = nodes_[i];
    nodes_[i].key = to_bits(key);
    nodes_[i].seq = seq;
    if (less(nodes_[i], old)) sift_up(i); else sift_down(i);
  }

  void pop() noexcept { erase(nodes_[0].slot); }

  void erase(std::uint32_t slot) noexcept {
    std::size_t i = pos_[slot];
    pos_[slot] = kAbsent;
    std::size_t last = nodes_.size() - 1;
    if (i != last) {
      Node moved = nodes_[last];
      Node removed = nodes_[i];
      nodes_[i] = moved;
      pos_[moved.slot] = static_cast<std::uint32_t>(i);
      nodes_.pop_back();
      if (less(moved, removed)) sift_up(i); else sift_down(i);
    } else {
      nodes_.pop_back();
    }
  }

  // Calls f(key&) on every member, then restores the heap order (O(n)). Used by the rebase guard.
  template <class F>
  void transform_keys(F f) {
    for (Node& n : nodes_) {
      Key k = from_bits(n.key);
      f(k);
      n.key = to_bits(k);
    }
    for (std::size_t i = nodes_.size() / 2; i-- > 0;) sift_down(i);
  }

 private:
  static_assert(std::is_same_v<Key, double> || (std::is_unsigned_v<Key> && sizeof(Key) <= 8),
                "keys are non-negative doubles or unsigned integers");

  struct Node {
    std::uint64_t key;  // to_bits(key)
    std::uint64_t seq;
    std::uint32_t slot;
  };

  static std::uint64_t to_bits(Key k) noexcept {
    if constexpr (std::is_same_v<Key, double>) {
      return std::bit_cast<std::uint64_t>(k + 0.0);  // -0.0 -> +0.0
    } else {
      return k;
    }
  }
  static Key from_bits(std::uint64_t b) noexcept {
    if constexpr (std::is_same_v<Key, double>) {
      return std::bit_cast<double>(b);
    } else {
      return static_cast<Key>(b);
    }
  }

  static bool less(const Node& a, const Node& b) noexcept {
    using U128 = unsigned __int128;
    return ((U128{a.key} << 64) | a.seq) < ((U128{b.key} << 64) | b.seq);
  }

  void sift_up(std::size_t i) noexcept {
    Node n = nodes_[i];
    while (i > 0) {
      std::size_t parent = (i - 1) / 2;
      if (!less(n, nodes_[parent])) break;
      nodes_[i] = nodes_[parent];
      pos_[nodes_[i].slot] = static_cast<std::uint32_t>(i);
      i = parent;
    }
    nodes_[i] = n;
    pos_[n.slot] = static_cast<std::uint32_t>(i);
  }

  void sift_down(std::size_t i) noexcept {
    Node n = nodes_[i];
    std::size_t count = nodes_.size();
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= count) break;
      if (child + 1 < count && less(nodes_[child + 1], nodes_[child])) ++child;
      if (!less(nodes_[child], n)) break;
      nodes_[i] = nodes_[child];
      pos_[nodes_[i].slot] = static_cast<std::uint32_t>(i);
      i = child;
    }
    nodes_[i] = n;
    pos_[n.slot] = static_cast<std::uint32_t>(i);
  }

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> pos_;  // slot -> index in nodes_, kAbsent when not a member
};

}  // namespace wasmhop::cache
