// IndexedHeap<Key>: a min-heap of object slots ordered by (key, seq), with each slot's heap
// position kept in a side array so that update and erase of any member are O(log n) (spec C.3).
// seq is the global request counter at the object's last access, so ties go least recently used
// first (spec C.1 "Ties"); seq values are unique, which makes the order total and deterministic
// (and the minimum the same whatever the heap's shape).
//
// Keys are unsigned integers or non-negative doubles. Both are stored as their 64-bit pattern
// (for doubles >= +0.0 the bit pattern orders like the value), so (key, seq) compares as one
// unsigned 128-bit number: branch-free comparisons on the sift paths.
//
// The heap is 4-ary, its 16-byte (key, seq) nodes apart from their slots, and placed so that the
// four children of a node fill one 64-byte line: a level down reads one line and picks the least
// child without a branch (positions past the last node hold the largest pair), at half a binary
// heap's depth (GDSF: 18% less time a request than the binary heap it replaced; docs/sim.md).
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

  IndexedHeap() { reserve(64); }

  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] bool contains(std::uint32_t slot) const noexcept {
    return slot < pos_.size() && pos_[slot] != kAbsent;
  }
  // Requires !empty().
  [[nodiscard]] std::uint32_t top_slot() const noexcept { return slots_[0]; }
  [[nodiscard]] Key top_key() const noexcept { return from_bits(node(0).key); }
  [[nodiscard]] Key key_of(std::uint32_t slot) const noexcept { return from_bits(node(pos_[slot]).key); }

  void push(std::uint32_t slot, Key key, std::uint64_t seq) {
    if (slot >= pos_.size()) pos_.resize(static_cast<std::size_t>(slot) + 1, kAbsent);
    if (count_ + kArity > slots_.size()) reserve(2 * slots_.size());
    const std::size_t i = count_++;
    node(i) = Node{to_bits(key), seq};
    slots_[i] = slot;
    pos_[slot] = static_cast<std::uint32_t>(i);
    sift_up(i);
  }

  // New key/seq for a member; moves it either way.
  void update(std::uint32_t slot, Key key, std::uint64_t seq) noexcept {
    const std::size_t i = pos_[slot];
    const Node old = node(i);
    node(i) = Node{to_bits(key), seq};
    if (less(node(i), old)) sift_up(i); else sift_down(i);
  }

  void pop() noexcept { erase(slots_[0]); }

  void erase(std::uint32_t slot) noexcept {
    const std::size_t i = pos_[slot];
    pos_[slot] = kAbsent;
    const std::size_t last = --count_;
    if (i == last) {
      node(last) = kPast;
      return;
    }
    const Node removed = node(i);
    move(i, last);  // the last node fills the hole, then goes where it belongs
    node(last) = kPast;
    if (less(node(i), removed)) sift_up(i); else sift_down(i);
  }

  // Calls f(key&) on every member, then restores the heap order (O(n)). Used by the rebase guard.
  template <class F>
  void transform_keys(F f) {
    for (std::size_t i = 0; i < count_; ++i) {
      Key k = from_bits(node(i).key);
      f(k);
      node(i).key = to_bits(k);
    }
    if (count_ > 1) {
      for (std::size_t i = (count_ - 2) / kArity + 1; i-- > 0;) sift_down(i);
    }
  }

 private:
  static_assert(std::is_same_v<Key, double> || (std::is_unsigned_v<Key> && sizeof(Key) <= 8),
                "keys are non-negative doubles or unsigned integers");

  static constexpr std::size_t kArity = 4;
  // Node i's children are kArity * i + 1 .. kArity * i + kArity.
  struct Node {
    std::uint64_t key;  // to_bits(key)
    std::uint64_t seq;
  };
  static constexpr Node kPast{~std::uint64_t{0}, ~std::uint64_t{0}};  // what lies past the last node

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

  // Node i lives at store_[first_ + i]. first_ puts node 1 at the start of a 64-byte line when the
  // allocator's alignment allows (a speed hint only: any placement is correct).
  Node& node(std::size_t i) noexcept { return store_[first_ + i]; }
  const Node& node(std::size_t i) const noexcept { return store_[first_ + i]; }

  // Room for `nodes` nodes, every position from count_ on holding kPast.
  void reserve(std::size_t nodes) {
    std::vector<Node> store(nodes + 2 * kArity, kPast);
    const auto addr = reinterpret_cast<std::uintptr_t>(store.data());
    const std::size_t first = (kArity - 1 + (64 - addr % 64) / sizeof(Node)) % kArity;
    for (std::size_t i = 0; i < count_; ++i) store[first + i] = node(i);
    store_.swap(store);
    first_ = first;
    slots_.resize(nodes, 0);
  }

  void move(std::size_t to, std::size_t from) noexcept {
    node(to) = node(from);
    slots_[to] = slots_[from];
    pos_[slots_[to]] = static_cast<std::uint32_t>(to);
  }

  void sift_up(std::size_t i) noexcept {
    const Node n = node(i);
    const std::uint32_t slot = slots_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / kArity;
      if (!less(n, node(parent))) break;
      move(i, parent);
      i = parent;
    }
    node(i) = n;
    slots_[i] = slot;
    pos_[slot] = static_cast<std::uint32_t>(i);
  }

  void sift_down(std::size_t i) noexcept {
    const Node n = node(i);
    const std::uint32_t slot = slots_[i];
    for (;;) {
      const std::size_t c = kArity * i + 1;
      if (c >= count_) break;
      // The least of the four children; absent ones are kPast, so no bounds test.
      const std::size_t a = less(node(c + 1), node(c)) ? c + 1 : c;
      const std::size_t b = less(node(c + 3), node(c + 2)) ? c + 3 : c + 2;
      const std::size_t least = less(node(b), node(a)) ? b : a;
      if (!less(node(least), n)) break;
      move(i, least);
      i = least;
    }
    node(i) = n;
    slots_[i] = slot;
    pos_[slot] = static_cast<std::uint32_t>(i);
  }

  std::vector<Node> store_;          // the nodes, from first_ on
  std::size_t first_ = 0;
  std::size_t count_ = 0;
  std::vector<std::uint32_t> slots_;  // index in the heap -> slot
  std::vector<std::uint32_t> pos_;    // slot -> index in the heap, kAbsent when not a member
};

}  // namespace wasmhop::cache
