// Golden tests of every policy: hand-made traces with hand-worked answers, and random traces
// (ties, bypassed objects, zero/one-byte objects, size changes) against the reference cache.
#include <gtest/gtest.h>

#include <map>

#include "policy_test_util.hpp"

namespace wasmhop::sim::testing {
namespace {

using cache::Cost;
using cache::SizeChange;

std::vector<Request> T(std::initializer_list<std::pair<std::uint64_t, std::uint64_t>> reqs) {
  std::vector<Request> out;
  for (auto [id, size] : reqs) out.push_back({id, size});
  return out;
}

struct HandCase {
  const char* trace_name;
  std::vector<Request> trace;
  std::map<std::string, std::string> expected;  // policy -> hit pattern
};

// Worked by hand (see the comments for the non-obvious steps). Capacity 10, first-size, cost one.
std::vector<HandCase> hand_cases() {
  return {
      {"equal sizes",
       T({{1, 4}, {2, 4}, {1, 4}, {3, 4}, {2, 4}, {1, 4}}),
       {{"fifo", "..H.H."}, {"lru", "..H..."}, {"lfu", "..H..H"}, {"gds", "..H..."},
        {"gdsf", "..H..."}, {"lfuda", "..H..."}, {"largest-first", "..H..."}}},
      // 4(5) needs room: FIFO evicts 1; LRU evicts 2, 3, 1; largest-first and GDS evict the 6-byte 1;
      // LFU evicts the f=1 objects 2, 3 first, then 1.
      {"mixed sizes",
       T({{1, 6}, {2, 2}, {3, 2}, {1, 6}, {4, 5}, {2, 2}, {3, 2}, {1, 6}}),
       {{"fifo", "...H.HH."}, {"lru", "...H...."}, {"lfu", "...H...."}, {"gds", "...H.HH."},
        {"gdsf", "...H.HH."}, {"lfuda", "...H...."}, {"largest-first", "...H.HH."}}},
      // 9(11) is larger than the cache: a miss, nothing admitted or evicted. 5 has size 0.
      {"bypass and zero size",
       T({{1, 4}, {9, 11}, {1, 4}, {5, 0}, {2, 6}, {5, 0}, {3, 10}, {5, 0}, {1, 4}}),
       {{"fifo", "..H..H..."}, {"lru", "..H..H.H."}}},
  };
}

TEST(PolicyGolden, HandMadeTraces) {
  CacheConfig config{10, SizeChange::first_size, Cost::one};
  for (const HandCase& hc : hand_cases()) {
    for (const PolicyCase& pc : all_policy_cases()) {
      auto it = hc.expected.find(pc.name);
      if (it == hc.expected.end()) continue;
      EXPECT_EQ(pc.run(config, hc.trace).hits, it->second) << pc.name << " on " << hc.trace_name;
      EXPECT_EQ(run_reference(pc.ref, config, hc.trace).hits, it->second) << "reference " << pc.name;
    }
  }
}

TEST(PolicyGolden, BypassCountsBytesInBothDenominators) {
  CacheConfig config{10, SizeChange::first_size, Cost::one};
  auto trace = T({{1, 4}, {9, 11}, {1, 4}, {5, 0}, {2, 6}, {5, 0}, {3, 10}, {5, 0}, {1, 4}});
  Outcome lru = run_policy<cache::Lru>(config, trace);
  EXPECT_EQ(lru.stats, (CacheStats{9, 3, 39, 4}));
}

TEST(PolicyGolden, SizeChangeModes) {
  auto trace = T({{1, 4}, {1, 6}, {1, 6}, {1, 4}});
  for (const PolicyCase& pc : all_policy_cases()) {
    Outcome first = pc.run({10, SizeChange::first_size, Cost::one}, trace);
    EXPECT_EQ(first.hits, ".HHH") << pc.name;
    EXPECT_EQ(first.stats, (CacheStats{4, 3, 16, 12})) << pc.name;
    Outcome miss = pc.run({10, SizeChange::miss, Cost::one}, trace);
    EXPECT_EQ(miss.hits, "..H.") << pc.name;
    EXPECT_EQ(miss.stats, (CacheStats{4, 1, 20, 6})) << pc.name;
  }
}

TEST(PolicyGolden, LfuForgetsTheStaleCopysFrequency) {
  auto trace = T({{1, 2}, {1, 2}, {1, 2}, {2, 4}, {1, 3}, {3, 4}, {2, 4}});
  // miss mode: 1 comes back with size 3 and f = 1, so 2 then 1 are evicted (LRU among f = 1).
  EXPECT_EQ(run_policy<cache::Lfu>({10, SizeChange::miss, Cost::one}, trace).hits, ".HH....");
  EXPECT_EQ(run_policy<cache::Lfu>({10, SizeChange::first_size, Cost::one}, trace).hits, ".HH.H.H");
}

TEST(PolicyGolden, ObjectLargerThanCacheEvictsNothing) {
  for (const PolicyCase& pc : all_policy_cases()) {
    auto trace = T({{1, 5}, {2, 5}, {3, 11}, {1, 5}, {2, 5}});
    EXPECT_EQ(pc.run({10, SizeChange::first_size, Cost::one}, trace).hits, "...HH") << pc.name;
    // Exactly the capacity fits (size > C bypasses, size == C does not).
    auto exact = T({{1, 5}, {3, 10}, {3, 10}, {1, 5}});
    EXPECT_EQ(pc.run({10, SizeChange::first_size, Cost::one}, exact).hits, "..H.") << pc.name;
  }
}

TEST(PolicyGolden, ZeroCapacityAdmitsOnlyZeroSizeObjects) {
  for (const PolicyCase& pc : all_policy_cases()) {
    auto trace = T({{1, 1}, {1, 1}, {2, 0}, {2, 0}});
    EXPECT_EQ(pc.run({0, SizeChange::first_size, Cost::one}, trace).hits, "...H") << pc.name;
  }
}

TEST(PolicyGolden, HugeSizesDoNotOverflowTheByteCount) {
  constexpr std::uint64_t kHalf = std::uint64_t{1} << 63;
  auto trace = T({{1, kHalf}, {2, kHalf}, {1, kHalf}, {3, 1}, {1, kHalf}});
  for (const PolicyCase& pc : all_policy_cases()) {
    // used + size would wrap to 0 here; the two halves must not both fit in 2^64 - 1 bytes.
    EXPECT_EQ(pc.run({~std::uint64_t{0}, SizeChange::first_size, Cost::one}, trace).hits, "....H") << pc.name;
  }
}

// Random traces against the reference, every policy, both size-change modes, every cost.
TEST(PolicyGolden, RandomTracesMatchReference) {
  const std::vector<std::uint64_t> capacities{0, 1, 5, 17, 64, 100, 300, 1000, 100000};
  int compared = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    TraceShape shape;
    shape.requests = 1500;
    shape.ids = 20 + seed * 10;
    shape.size_change_prob = seed % 3 == 0 ? 0.0 : 0.05;
    auto trace = random_trace(seed, shape);
    for (SizeChange mode : {SizeChange::first_size, SizeChange::miss}) {
      for (Cost cost : {Cost::one, Cost::packets, Cost::size}) {
        for (std::uint64_t cap : capacities) {
          CacheConfig config{cap, mode, cost};
          for (const PolicyCase& pc : all_policy_cases()) {
            if (cost != Cost::one && pc.name != "gds" && pc.name != "gdsf") continue;
            Outcome got = pc.run(config, trace);
            Outcome want = run_reference(pc.ref, config, trace);
            ASSERT_EQ(got.hits, want.hits) << pc.name << " seed " << seed << " cap " << cap << " mode "
                                           << cache::to_string(mode) << " cost " << cache::to_string(cost);
            ASSERT_EQ(got.stats, want.stats) << pc.name;
            ++compared;
          }
        }
      }
    }
  }
  EXPECT_GT(compared, 1000);
}

// Many equal keys: all sizes equal, so GDS/GDSF/LFU-DA/largest-first decide mostly by the tie rule.
TEST(PolicyGolden, TieHeavyTracesMatchReference) {
  for (std::uint64_t seed = 100; seed < 110; ++seed) {
    TraceShape shape;
    shape.requests = 3000;
    shape.ids = 40;
    shape.sizes = {seed % 2 == 0 ? 1u : 7u};
    auto trace = random_trace(seed, shape);
    for (std::uint64_t cap : {3u, 10u, 49u, 140u}) {
      for (const PolicyCase& pc : all_policy_cases()) {
        CacheConfig config{cap, SizeChange::miss, Cost::one};
        ASSERT_EQ(pc.run(config, trace).hits, run_reference(pc.ref, config, trace).hits)
            << pc.name << " seed " << seed << " cap " << cap;
      }
    }
  }
}

TEST(PolicyGolden, LargeIdsAndTheAllOnesId) {
  // Ids spread over 64 bits, including 0 and the id equal to IdMap's empty marker.
  std::vector<Request> trace;
  std::mt19937_64 rng(7);
  std::vector<std::uint64_t> ids{0, ~std::uint64_t{0}, 1ull << 63, 42};
  for (int i = 0; i < 40; ++i) ids.push_back(rng());
  for (int i = 0; i < 4000; ++i) trace.push_back({ids[rng() % ids.size()], 1 + rng() % 5});
  for (const PolicyCase& pc : all_policy_cases()) {
    for (SizeChange mode : {SizeChange::first_size, SizeChange::miss}) {
      CacheConfig config{30, mode, Cost::one};
      ASSERT_EQ(pc.run(config, trace).hits, run_reference(pc.ref, config, trace).hits) << pc.name;
    }
  }
}

}  // namespace
}  // namespace wasmhop::sim::testing
