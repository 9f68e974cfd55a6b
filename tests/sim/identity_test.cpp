// The identities of prowgen_spec.md C.2, on random traces: GDS(c = s) == LRU and GDSF(c = s) ==
// LFU-DA hit for hit; with the cache holding all unique bytes, HR = 1 - distinct/requests and
// BHR = 1 - unique bytes / total bytes; LRU hits never fall as the cache grows; L never decreases.
#include <gtest/gtest.h>

#include <set>

#include "policy_test_util.hpp"

namespace wasmhop::sim::testing {
namespace {

using cache::Cost;
using cache::SizeChange;

TEST(Identities, GdsWithSizeCostIsLru) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    TraceShape shape;
    shape.requests = 5000;
    shape.size_change_prob = seed % 2 == 0 ? 0.03 : 0.0;
    auto trace = random_trace(seed, shape);
    for (SizeChange mode : {SizeChange::first_size, SizeChange::miss})
      for (std::uint64_t cap : {1u, 10u, 50u, 200u, 1000u}) {
        CacheConfig config{cap, mode, Cost::size};
        ASSERT_EQ(run_policy<cache::Gds>(config, trace).hits, run_policy<cache::Lru>(config, trace).hits)
            << "seed " << seed << " cap " << cap;
      }
  }
}

TEST(Identities, GdsfWithSizeCostIsLfuda) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    TraceShape shape;
    shape.requests = 5000;
    shape.size_change_prob = seed % 2 == 0 ? 0.03 : 0.0;
    auto trace = random_trace(seed, shape);
    for (SizeChange mode : {SizeChange::first_size, SizeChange::miss})
      for (std::uint64_t cap : {1u, 10u, 50u, 200u, 1000u}) {
        CacheConfig config{cap, mode, Cost::size};
        ASSERT_EQ(run_policy<cache::Gdsf>(config, trace).hits, run_policy<cache::Lfuda>(config, trace).hits)
            << "seed " << seed << " cap " << cap;
      }
  }
}

TEST(Identities, GdsWithEqualSizesIsLru) {
  TraceShape shape;
  shape.sizes = {5};
  auto trace = random_trace(3, shape);
  for (std::uint64_t cap : {5u, 25u, 100u}) {
    CacheConfig config{cap, SizeChange::first_size, Cost::one};
    EXPECT_EQ(run_policy<cache::Gds>(config, trace).hits, run_policy<cache::Lru>(config, trace).hits);
  }
}

TEST(Identities, CacheHoldingEverythingMissesOnlyFirstReferences) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    TraceShape shape;
    shape.requests = 4000;
    shape.size_change_prob = 0.05;  // first-size mode freezes them, so the identity still holds
    auto trace = random_trace(seed, shape);
    std::map<std::uint64_t, std::uint64_t> first;
    std::uint64_t total_bytes = 0;
    for (const Request& r : trace) total_bytes += first.emplace(r.id, r.size).first->second;
    std::uint64_t unique_bytes = 0;
    for (auto& [id, size] : first) unique_bytes += size;
    CacheConfig config{unique_bytes, SizeChange::first_size, Cost::one};
    for (const PolicyCase& pc : all_policy_cases()) {
      CacheStats s = pc.run(config, trace).stats;
      EXPECT_EQ(s.requests, trace.size());
      EXPECT_EQ(s.hits, trace.size() - first.size()) << pc.name;  // HR = 1 - distinct/requests
      EXPECT_EQ(s.bytes_requested, total_bytes) << pc.name;
      EXPECT_EQ(s.bytes_hit, total_bytes - unique_bytes) << pc.name;  // BHR = 1 - unique/total
    }
  }
}

// Holds when every object fits the smallest cache and sizes are >= 1. It fails otherwise:
//  * an object larger than the small cache is bypassed there but flushes the larger cache;
//  * zero-size objects never force an eviction, so a tiny cache keeps them while a larger LRU cache
//    pushes them out in passing.
// (See LruInclusionNeedsNoBypassAndNoZeroSizes for minimal cases.)
TEST(Identities, LruHitsNeverFallAsTheCacheGrows) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    TraceShape shape;
    shape.sizes = {1, 1, 2, 3, 4, 4, 8, 8, 16, 30, 64, 200};
    shape.requests = 3000;
    shape.size_change_prob = seed % 2 == 0 ? 0.05 : 0.0;
    auto trace = random_trace(seed, shape);
    for (SizeChange mode : {SizeChange::first_size, SizeChange::miss}) {
      std::uint64_t previous = 0;
      for (std::uint64_t cap = 200; cap <= 3000; cap += 7) {
        std::uint64_t hits = run_policy<cache::Lru>({cap, mode, Cost::one}, trace).stats.hits;
        ASSERT_GE(hits, previous) << "seed " << seed << " cap " << cap << " " << cache::to_string(mode);
        previous = hits;
      }
    }
  }
}

TEST(Identities, LruInclusionNeedsNoBypassAndNoZeroSizes) {
  // C = 0 keeps the zero-size object 2 forever; C = 1 evicts it when 1 must make room for 3.
  std::vector<Request> zero{{2, 0}, {1, 1}, {3, 1}, {2, 0}};
  EXPECT_EQ(run_policy<cache::Lru>({0, SizeChange::first_size, Cost::one}, zero).hits, "...H");
  EXPECT_EQ(run_policy<cache::Lru>({1, SizeChange::first_size, Cost::one}, zero).hits, "....");
  // C = 2 bypasses the 3-byte object 9 and keeps 1 and 2; C = 3 admits 9, which flushes them.
  std::vector<Request> big{{1, 1}, {2, 1}, {9, 3}, {1, 1}, {2, 1}};
  EXPECT_EQ(run_policy<cache::Lru>({2, SizeChange::first_size, Cost::one}, big).hits, "...HH");
  EXPECT_EQ(run_policy<cache::Lru>({3, SizeChange::first_size, Cost::one}, big).hits, ".....");
}

template <class Policy>
void check_inflation_never_decreases(const std::vector<Request>& trace, const CacheConfig& config) {
  Policy p(config);
  auto last = p.inflation();
  for (const Request& r : trace) {
    p.access(r.id, r.size);
    ASSERT_GE(p.inflation(), last);
    last = p.inflation();
  }
  EXPECT_EQ(p.rebases(), 0u);
}

TEST(Identities, InflationNeverDecreases) {
  auto trace = random_trace(11, TraceShape{});
  for (Cost cost : {Cost::one, Cost::packets, Cost::size}) {
    check_inflation_never_decreases<cache::Gds>(trace, {100, SizeChange::miss, cost});
    check_inflation_never_decreases<cache::Gdsf>(trace, {100, SizeChange::miss, cost});
  }
  check_inflation_never_decreases<cache::Lfuda>(trace, {100, SizeChange::miss, Cost::one});
}

// The rebase guard (spec C.4): a policy whose L starts so high that L + c/s == L rebases to L = 0
// and then behaves exactly like GDS.
class HugeStartGds final : public cache::PriorityCache<HugeStartGds, double> {
 public:
  explicit HugeStartGds(const CacheConfig& config) : PriorityCache(config) { inflation_ = 1e300; }

 private:
  friend PriorityCache;
  double priority(const cache::PriorityEntry& e) { return inflate(cache::cost_per_byte(config().cost, e.size)); }
};

TEST(Identities, RebaseGuardKeepsOrder) {
  auto trace = random_trace(5, TraceShape{});
  CacheConfig config{60, SizeChange::miss, Cost::one};
  HugeStartGds huge(config);
  std::string hits;
  for (const Request& r : trace) hits += huge.access(r.id, r.size) ? 'H' : '.';
  EXPECT_EQ(huge.rebases(), 1u);
  EXPECT_EQ(hits, run_policy<cache::Gds>(config, trace).hits);
}

}  // namespace
}  // namespace wasmhop::sim::testing
