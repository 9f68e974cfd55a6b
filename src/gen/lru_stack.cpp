#include "gen/lru_stack.hpp"

#include <algorithm>

namespace wasmhop::gen {

LruStack::LruStack(std::uint32_t capacity, bool with_weights)
    : capacity_(std::max<std::uint32_t>(capacity, 1)), with_weights_(with_weights) {
  std::uint64_t w = 64;
  while (w < 4ull * capacity_) w <<= 1;
  slots_ = static_cast<std::uint32_t>(w);
  slot_doc_.assign(slots_, kEmpty);
  slot_weight_.assign(slots_, 0);
  count_tree_.assign(slots_ + 1, 0);
  if (with_weights_) weight_tree_.assign(slots_ + 1, 0);
}

std::uint32_t LruStack::kth_occupied(std::uint32_t k) const noexcept {
  // Largest prefix of slots holding fewer than k elements; the next slot holds the k-th.
  std::uint32_t pos = 0;
  for (std::uint32_t step = slots_; step > 0; step >>= 1) {
    const std::uint32_t nxt = pos + step;
    if (nxt <= slots_ && count_tree_[nxt] < k) {
      pos = nxt;
      k -= count_tree_[nxt];
    }
  }
  return pos;  // 0-based slot
}

std::uint32_t LruStack::slot_at_position(std::uint32_t j) const noexcept { return kth_occupied(n_ - j); }

std::uint32_t LruStack::slot_by_weight(std::uint64_t t) const noexcept {
  // Cumulative weight from the top down to slot s is total - prefix(s). The wanted slot is the highest s
  // with total - prefix(s) >= t, i.e. the longest prefix with weight <= total - t ends right before it.
  std::uint64_t rem = total_weight_ - t;
  std::uint32_t pos = 0;
  for (std::uint32_t step = slots_; step > 0; step >>= 1) {
    const std::uint32_t nxt = pos + step;
    if (nxt <= slots_ && weight_tree_[nxt] <= rem) {
      pos = nxt;
      rem -= weight_tree_[nxt];
    }
  }
  return pos;
}

void LruStack::remove(std::uint32_t slot) noexcept {
  const std::uint32_t w = slot_weight_[slot];
  slot_doc_[slot] = kEmpty;
  slot_weight_[slot] = 0;
  for (std::uint32_t i = slot + 1; i <= slots_; i += i & (0u - i)) --count_tree_[i];
  if (with_weights_) {
    for (std::uint32_t i = slot + 1; i <= slots_; i += i & (0u - i)) weight_tree_[i] -= w;
  }
  total_weight_ -= w;
  --n_;
}

void LruStack::push_top(std::uint32_t doc, std::uint32_t weight) {
  if (next_slot_ == slots_) compact();
  const std::uint32_t slot = next_slot_++;
  slot_doc_[slot] = doc;
  slot_weight_[slot] = weight;
  for (std::uint32_t i = slot + 1; i <= slots_; i += i & (0u - i)) ++count_tree_[i];
  if (with_weights_) {
    for (std::uint32_t i = slot + 1; i <= slots_; i += i & (0u - i)) weight_tree_[i] += weight;
  }
  total_weight_ += weight;
  ++n_;
}

void LruStack::compact() {
  // Renumber the live elements 0..n-1 in stack order (bottom first) and rebuild both trees in O(W).
  std::uint32_t out = 0;
  for (std::uint32_t s = 0; s < next_slot_; ++s) {
    if (slot_doc_[s] == kEmpty) continue;
    slot_doc_[out] = slot_doc_[s];
    slot_weight_[out] = slot_weight_[s];
    ++out;
  }
  std::fill(slot_doc_.begin() + out, slot_doc_.end(), kEmpty);
  std::fill(slot_weight_.begin() + out, slot_weight_.end(), 0);
  next_slot_ = out;
  std::fill(count_tree_.begin(), count_tree_.end(), 0);
  if (with_weights_) std::fill(weight_tree_.begin(), weight_tree_.end(), 0);
  for (std::uint32_t i = 1; i <= slots_; ++i) {
    if (i <= out) {
      count_tree_[i] += 1;
      if (with_weights_) weight_tree_[i] += slot_weight_[i - 1];
    }
    const std::uint32_t parent = i + (i & (0u - i));
    if (parent <= slots_) {
      count_tree_[parent] += count_tree_[i];
      if (with_weights_) weight_tree_[parent] += weight_tree_[i];
    }
  }
}

}  // namespace wasmhop::gen
