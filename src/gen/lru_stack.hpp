// The finite LRU stack of step 6, with O(log M) operations instead of the original's O(M) shifts and
// cumulative-probability recomputation.
//
// Each element sits in a "slot" numbered by the time it was last put on top; the top of the stack is the
// highest occupied slot. Two Fenwick trees over the slots count the elements and sum their integer weights
// (initial frequencies f_d), so "the element at stack position j" and "the highest position whose
// cumulative weight from the top reaches t" are tree descents. When the slots run out the live elements
// are renumbered 0..n-1 (O(W), once every >= 3M pushes, so O(1) amortized).
#pragma once

#include <cstdint>
#include <vector>

namespace wasmhop::gen {

class LruStack {
 public:
  // capacity >= 1; with_weights: keep the weight tree (the dynamic model needs it).
  LruStack(std::uint32_t capacity, bool with_weights);

  [[nodiscard]] std::uint32_t size() const noexcept { return n_; }
  [[nodiscard]] std::uint32_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] bool full() const noexcept { return n_ == capacity_; }
  [[nodiscard]] std::uint64_t total_weight() const noexcept { return total_weight_; }
  [[nodiscard]] std::uint32_t doc_at_slot(std::uint32_t slot) const noexcept { return slot_doc_[slot]; }

  // Slot of the element at position j (0 = top), j < size().
  [[nodiscard]] std::uint32_t slot_at_position(std::uint32_t j) const noexcept;
  // Slot of the bottom element (size() > 0).
  [[nodiscard]] std::uint32_t bottom_slot() const noexcept { return kth_occupied(1); }
  // Slot of the smallest position j whose cumulative weight (positions 0..j) is >= t,
  // for 1 <= t <= total_weight().
  [[nodiscard]] std::uint32_t slot_by_weight(std::uint64_t t) const noexcept;

  void remove(std::uint32_t slot) noexcept;
  // Puts doc on top (the caller keeps size() < capacity()).
  void push_top(std::uint32_t doc, std::uint32_t weight);

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  [[nodiscard]] std::uint32_t kth_occupied(std::uint32_t k) const noexcept;  // 1-based from the bottom
  void compact();

  std::uint32_t capacity_;
  bool with_weights_;
  std::uint32_t slots_;  // W, a power of two >= 4 * capacity
  std::uint32_t next_slot_ = 0;
  std::uint32_t n_ = 0;
  std::uint64_t total_weight_ = 0;
  std::vector<std::uint32_t> slot_doc_;     // doc in each slot, kEmpty if none
  std::vector<std::uint32_t> slot_weight_;  // its weight
  std::vector<std::uint32_t> count_tree_;   // Fenwick, 1-based
  std::vector<std::uint64_t> weight_tree_;  // Fenwick, 1-based (dynamic model only)
};

}  // namespace wasmhop::gen
