// IdMap<V>: a small open-addressing hash map from 64-bit object ids to a trivially copyable value.
// Linear probing, power-of-two table, backward-shift deletion (no tombstones), load at most 70%
// unless the owner asks for less (CacheBase's resident index does), or 10% while the owner wants it
// sparse and the table is small.
// Faster than std::unordered_map on the simulator's hot path (one probe, no node allocation);
// bench/sim measures both. Any 64-bit id is allowed: the one id equal to the empty marker is kept aside.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__) && !defined(__wasm__)
#include <sys/mman.h>

#include <cstdlib>
#include <new>
#endif

namespace wasmhop::cache {

#if defined(__linux__) && !defined(__wasm__)
// Host builds: a table of 4 MiB or more is 2 MiB-aligned and asks for transparent huge pages
// (MADV_HUGEPAGE; this machine's THP mode is madvise). A map of millions of ids (first-size mode
// remembers every id of a trace) is probed at random, and without huge pages nearly every probe is a
// TLB miss too: a 10M-request trace with 3M ids spent most of its time there. Contents and results
// do not change; wasm32 guests use the plain allocator.
template <class T>
struct TableAllocator {
  using value_type = T;
  TableAllocator() = default;
  template <class U>
  TableAllocator(const TableAllocator<U>&) noexcept {}
  static constexpr std::size_t kHuge = std::size_t{2} << 20;
  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < 2 * kHuge) return static_cast<T*>(::operator new(bytes));
    // aligned_alloc and free, not an aligned operator new: native guests build without exceptions.
    void* p = std::aligned_alloc(kHuge, (bytes + kHuge - 1) / kHuge * kHuge);
    if (p == nullptr) p = std::malloc(bytes);
    if (p == nullptr) std::__throw_bad_alloc();  // as a plain vector fails (aborts without exceptions)
    madvise(p, bytes, MADV_HUGEPAGE);  // a hint: without it the table still works
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < 2 * kHuge) ::operator delete(p);
    else std::free(p);
  }
  friend bool operator==(const TableAllocator&, const TableAllocator&) noexcept { return true; }
};
#else
template <class T>
using TableAllocator = std::allocator<T>;
#endif

template <class V>
class IdMap {
 public:
  // The table doubles before more than max_load_percent of it is full. An owner that passes
  // sparse_bytes may ask for it sparse instead (set_sparse): at most kSparseLoadPercent full, while
  // that takes at most sparse_bytes; growth beyond them makes it ordinary again. Shorter probe runs
  // make every lookup, insert and erase cheaper, but hits pay the larger table's cache misses, so
  // the owner decides when it pays (CacheBase: while the cache misses often).
  explicit IdMap(unsigned max_load_percent = 70, std::size_t sparse_bytes = 0)
      : max_load_percent_(max_load_percent < 10 ? 10 : max_load_percent > 90 ? 90 : max_load_percent),
        sparse_slots_(sparse_bytes / sizeof(Slot)) {
    rehash(kMinSlots);
  }

  static constexpr unsigned kSparseLoadPercent = 10;

  [[nodiscard]] std::size_t size() const noexcept { return size_ + (has_marker_ ? 1u : 0u); }
  [[nodiscard]] std::size_t capacity() const noexcept { return slots_.size(); }  // slots, full or not
  [[nodiscard]] bool sparse() const noexcept { return sparse_; }

  // Asks for the sparse load or the ordinary one, and rehashes to the size that load wants when
  // that changes it. Sparse is refused when its table would exceed sparse_bytes.
  void set_sparse(bool want) {
    std::size_t capacity = capacity_for(size_, want ? kSparseLoadPercent : max_load_percent_);
    if (want && capacity > sparse_slots_) {
      want = false;
      capacity = capacity_for(size_, max_load_percent_);
    }
    if (want == sparse_) return;
    sparse_ = want;
    rehash(capacity);
  }

  // Where `id` is, or where it would go: the one probe loop, which find, insert and erase share, and
  // which a miss can insert through without probing again.
  struct Probe {
    V* value;         // the present id's value, or nullptr
    std::size_t pos;  // its slot, or the empty one that ends its probe run (kNoPos for the marker id)
  };
  [[nodiscard]] Probe probe(std::uint64_t id) noexcept {
    if (id == kEmpty) [[unlikely]] return {has_marker_ ? &marker_value_ : nullptr, kNoPos};
    for (std::size_t i = home(id);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == id) return {&s.value, i};
      if (s.key == kEmpty) return {nullptr, i};
    }
  }

  // Pointer to the value of `id`, or nullptr. Valid until the next insert/erase.
  [[nodiscard]] V* find(std::uint64_t id) noexcept { return probe(id).value; }

  // Inserts the id that `p` found absent; nothing may have been inserted or erased since the probe.
  void insert_probed(const Probe& p, std::uint64_t id, V value) {
    if (p.pos == kNoPos || size_ >= grow_at_) [[unlikely]] {  // the marker id, or the table doubles first
      try_emplace(id, value);
      return;
    }
    place(p.pos, id, value);
  }

  // Inserts (id, value) unless id is present; returns the stored value either way.
  V& try_emplace(std::uint64_t id, V value) {
    if (id == kEmpty) [[unlikely]] {
      if (!has_marker_) { has_marker_ = true; marker_value_ = value; }
      return marker_value_;
    }
    if (size_ >= grow_at_) grow();
    Probe p = probe(id);
    return p.value != nullptr ? *p.value : place(p.pos, id, value);
  }

  // Inserts or overwrites.
  void insert_or_assign(std::uint64_t id, V value) { try_emplace(id, value) = value; }

  // Removes id if present; returns whether it was.
  bool erase(std::uint64_t id) noexcept {
    if (id == kEmpty) [[unlikely]] {
      bool had = has_marker_;
      has_marker_ = false;
      return had;
    }
    const Probe p = probe(id);
    if (p.value == nullptr) return false;
    // Backward-shift: pull later members of the probe run into the hole when their home allows it.
    std::size_t hole = p.pos;
    for (std::size_t j = (hole + 1) & mask_;; j = (j + 1) & mask_) {
      std::uint64_t k = slots_[j].key;
      if (k == kEmpty) break;
      std::size_t h = home(k);
      // Move k into the hole if its home is not in the cyclic range (hole, j].
      if (((j - h) & mask_) >= ((j - hole) & mask_)) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole].key = kEmpty;
    --size_;
    return true;
  }

  void clear() {
    size_ = 0;
    has_marker_ = false;
    sparse_ = false;
    rehash(kMinSlots);
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  static constexpr std::size_t kNoPos = ~std::size_t{0};
  static constexpr std::size_t kMinSlots = 16;
  struct Slot {
    std::uint64_t key = kEmpty;
    V value{};
  };

  [[nodiscard]] std::size_t home(std::uint64_t id) const noexcept {
    // A cheap mixer (splitmix-style) so dense ids and ids with zero low bits both spread; high bits used.
    std::uint64_t x = (id ^ (id >> 31)) * 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(x >> shift_);
  }

  V& place(std::size_t pos, std::uint64_t id, V value) noexcept {
    slots_[pos].key = id;
    slots_[pos].value = value;
    ++size_;
    return slots_[pos].value;
  }

  // The fewest slots (a power of two) that hold n ids under `load` percent, with room for one more.
  static std::size_t capacity_for(std::size_t n, unsigned load) noexcept {
    std::size_t capacity = kMinSlots;
    while (capacity * load / 100 <= n) capacity *= 2;
    return capacity;
  }

  void grow() {
    std::size_t capacity = slots_.size() * 2;
    if (sparse_ && capacity > sparse_slots_) {  // out of the sparse range: sized for the ordinary load
      sparse_ = false;
      capacity = capacity_for(size_, max_load_percent_);
    }
    rehash(capacity);
  }

  void rehash(std::size_t capacity) {
    std::vector<Slot, TableAllocator<Slot>> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    unsigned bits = 0;
    while ((std::size_t{1} << bits) < capacity) ++bits;
    shift_ = 64u - bits;
    unsigned load = sparse_ && kSparseLoadPercent < max_load_percent_ ? kSparseLoadPercent : max_load_percent_;
    grow_at_ = capacity * load / 100;
    size_ = 0;
    for (const Slot& s : old) {
      if (s.key == kEmpty) continue;
      std::size_t i = home(s.key);
      while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
      ++size_;
    }
  }

  std::vector<Slot, TableAllocator<Slot>> slots_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t size_ = 0;  // excluding the marker id
  unsigned max_load_percent_;
  std::size_t sparse_slots_;  // the sparse range: at most this many slots
  bool sparse_ = false;        // kSparseLoadPercent, not max_load_percent_
  std::size_t grow_at_ = 0;  // size_ at which the next insert doubles the table
  bool has_marker_ = false;
  V marker_value_{};
};

}  // namespace wasmhop::cache
