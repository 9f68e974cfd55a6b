// SlotList: an intrusive doubly-linked list threaded through entries addressed by slot index
// (O(1) push, unlink, move). Entries need `std::uint32_t prev, next;` members.
#pragma once

#include <cstdint>

namespace wasmhop::cache {

inline constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};

// The entry of FIFO and LRU.
struct ListEntry {
  std::uint64_t id = 0;
  std::uint64_t size = 0;
  std::uint32_t prev = kNoSlot;
  std::uint32_t next = kNoSlot;
};

struct SlotList {
  std::uint32_t head = kNoSlot;  // oldest
  std::uint32_t tail = kNoSlot;  // newest

  [[nodiscard]] bool empty() const noexcept { return head == kNoSlot; }

  // `at(slot)` returns the entry of a slot (a lambda over the owner's storage).
  template <class At>
  void push_back(At&& at, std::uint32_t slot) noexcept {
    auto& e = at(slot);
    e.prev = tail;
    e.next = kNoSlot;
    if (tail != kNoSlot) at(tail).next = slot; else head = slot;
    tail = slot;
  }

  template <class At>
  void unlink(At&& at, std::uint32_t slot) noexcept {
    auto& e = at(slot);
    if (e.prev != kNoSlot) at(e.prev).next = e.next; else head = e.next;
    if (e.next != kNoSlot) at(e.next).prev = e.prev; else tail = e.prev;
    e.prev = e.next = kNoSlot;
  }

  template <class At>
  void move_to_back(At&& at, std::uint32_t slot) noexcept {
    if (tail == slot) return;
    unlink(at, slot);
    push_back(at, slot);
  }
};

}  // namespace wasmhop::cache
