// IdMap and IndexedHeap against std::map / std::set under random operations.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "wasmhop/cache/id_map.hpp"
#include "wasmhop/cache/indexed_heap.hpp"

namespace wasmhop::cache {
namespace {

TEST(IdMap, RandomOperationsMatchStdMap) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    std::mt19937_64 rng(seed);
    // Both loads in use: the default (the first-size map) and the resident index's 35%, and the
    // switch to and from the sparse load now and then (seed 2: a 64 KiB range; seed 3: a 1 KiB one,
    // which the table outgrows).
    IdMap<std::uint32_t> map(seed % 2 == 0 ? 35 : 70, seed == 2 ? std::size_t{64} << 10 : seed == 3 ? 1024 : 0);
    std::map<std::uint64_t, std::uint32_t> want;
    // A small key universe (many collisions, long probe runs, erase/re-insert) plus special ids.
    std::vector<std::uint64_t> keys{0, ~std::uint64_t{0}, 1ull << 63};
    for (int i = 0; i < 300; ++i) keys.push_back(seed == 1 ? static_cast<std::uint64_t>(i) << 32 : rng());
    for (int step = 0; step < 200000; ++step) {
      std::uint64_t k = keys[rng() % keys.size()];
      switch (rng() % 4) {
        case 0: {
          auto v = static_cast<std::uint32_t>(rng());
          std::uint32_t got = map.try_emplace(k, v);
          auto [it, fresh] = want.emplace(k, v);
          ASSERT_EQ(got, it->second);
          break;
        }
        case 1:
          ASSERT_EQ(map.erase(k), want.erase(k) == 1);
          break;
        case 2: {  // the miss path's probe, then an insert through it
          auto p = map.probe(k);
          auto it = want.find(k);
          ASSERT_EQ(p.value != nullptr, it != want.end());
          if (p.value != nullptr) {
            ASSERT_EQ(*p.value, it->second);
          } else {
            auto v = static_cast<std::uint32_t>(rng());
            map.insert_probed(p, k, v);
            want.emplace(k, v);
          }
          break;
        }
        default: {
          auto* p = map.find(k);
          auto it = want.find(k);
          ASSERT_EQ(p != nullptr, it != want.end());
          if (p != nullptr) {
            ASSERT_EQ(*p, it->second);
          }
        }
      }
      ASSERT_EQ(map.size(), want.size());
      if (step % 5000 == 0) map.set_sparse(step % 10000 == 0);
    }
    for (auto& [k, v] : want) ASSERT_EQ(*map.find(k), v);
  }
}

// The owner switches the load: sparse only while its table fits, ordinary sizing otherwise.
TEST(IdMap, SetSparseSwitchesTheLoadWithinTheRange) {
  IdMap<std::uint32_t> map(35, std::size_t{64} << 10);  // sparse range: 4096 slots
  IdMap<std::uint32_t> dense(35);
  for (std::uint32_t n = 0; n < 300; ++n) {
    map.try_emplace(n, n);
    dense.try_emplace(n, n);
  }
  ASSERT_FALSE(map.sparse());  // ordinary until asked
  EXPECT_EQ(map.capacity(), dense.capacity());
  map.set_sparse(true);
  ASSERT_TRUE(map.sparse());
  EXPECT_EQ(map.capacity(), 4096u);  // 300 ids at 10%
  map.set_sparse(false);
  EXPECT_FALSE(map.sparse());
  EXPECT_EQ(map.capacity(), dense.capacity());
  map.set_sparse(true);
  EXPECT_TRUE(map.sparse());
  EXPECT_EQ(map.capacity(), 4096u);
  for (std::uint32_t n = 300; n < 409; ++n) {  // it grows within the range at 10%
    map.try_emplace(n, n);
    dense.try_emplace(n, n);
    ASSERT_LE(map.size() * 100, map.capacity() * IdMap<std::uint32_t>::kSparseLoadPercent) << n;
  }
  EXPECT_TRUE(map.sparse());
  for (std::uint32_t n = 409; n < 1000; ++n) map.try_emplace(n, n);  // grows out of the range
  EXPECT_FALSE(map.sparse());
  for (std::uint32_t n = 409; n < 1000; ++n) dense.try_emplace(n, n);
  EXPECT_EQ(map.capacity(), dense.capacity());  // sized for the ordinary load, not doubled
  map.set_sparse(true);  // 1000 ids at 10% would take 16384 slots: refused
  EXPECT_FALSE(map.sparse());
  for (std::uint32_t n = 0; n < 1000; ++n) ASSERT_EQ(*map.find(n), n);
}

TEST(IndexedHeap, RandomOperationsMatchStdSet) {
  std::mt19937_64 rng(3);
  IndexedHeap<double> heap;
  std::set<std::tuple<double, std::uint64_t, std::uint32_t>> want;
  std::map<std::uint32_t, std::pair<double, std::uint64_t>> member;
  std::uint64_t seq = 0;
  for (int step = 0; step < 100000; ++step) {
    auto slot = static_cast<std::uint32_t>(rng() % 500);
    double key = static_cast<double>(rng() % 50);  // many equal keys: the seq decides
    ++seq;
    int op = static_cast<int>(rng() % 4);
    if (op == 0 && !member.count(slot)) {
      heap.push(slot, key, seq);
      want.insert({key, seq, slot});
      member[slot] = {key, seq};
    } else if (op == 1 && member.count(slot)) {
      auto [k, s] = member[slot];
      want.erase({k, s, slot});
      heap.update(slot, key, seq);
      want.insert({key, seq, slot});
      member[slot] = {key, seq};
      ASSERT_EQ(heap.key_of(slot), key);
    } else if (op == 2 && member.count(slot)) {
      auto [k, s] = member[slot];
      want.erase({k, s, slot});
      heap.erase(slot);
      member.erase(slot);
    } else if (op == 3 && !want.empty()) {
      auto [k, s, top] = *want.begin();
      ASSERT_EQ(heap.top_slot(), top);
      ASSERT_EQ(heap.top_key(), k);
      heap.pop();
      want.erase(want.begin());
      member.erase(top);
    }
    ASSERT_EQ(heap.size(), want.size());
    for (std::uint32_t s = 0; s < 5; ++s) ASSERT_EQ(heap.contains(s), member.count(s) == 1);
  }
}

TEST(IndexedHeap, TransformKeysKeepsAValidHeap) {
  IndexedHeap<double> heap;
  for (std::uint32_t i = 0; i < 100; ++i) heap.push(i, 1e17 + static_cast<double>((i * 37) % 100) * 16, 100 - i);
  heap.transform_keys([](double& k) { k -= 1e17; });
  double last = -1;
  std::uint64_t n = 0;
  while (!heap.empty()) {
    ASSERT_GE(heap.top_key(), last);
    last = heap.top_key();
    heap.pop();
    ++n;
  }
  EXPECT_EQ(n, 100u);
}

}  // namespace
}  // namespace wasmhop::cache
