// The paper's own trace (1M requests, ../shared/traces/paper-trace.dat.gz), read in place.
// Skipped with a message where ../shared is absent. Prints the hit-rate table; checks every policy
// at 4 MiB against the reference cache, the identities, and the all-fits limit.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <set>

#include "policy_test_util.hpp"
#include "sim/driver.hpp"
#include "sim/native_runner.hpp"
#include "sim/size_parse.hpp"
#include "trace/reader.hpp"

#ifndef WASMHOP_SHARED_DIR
#define WASMHOP_SHARED_DIR "../shared"
#endif

namespace wasmhop::sim {
namespace {

class PaperTrace : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string path = std::string(WASMHOP_SHARED_DIR) + "/traces/paper-trace.dat.gz";
    if (!std::filesystem::exists(path)) return;
    TraceOptions o;
    o.path = path;
    auto t = read_trace(o);
    if (t) trace_ = new Trace(std::move(*t));
    else error_ = new std::string(t.error().message);
  }
  static void TearDownTestSuite() {
    delete trace_;
    trace_ = nullptr;
  }
  void SetUp() override {
    if (error_ != nullptr) FAIL() << *error_;
    if (trace_ == nullptr) GTEST_SKIP() << "paper trace not found under " WASMHOP_SHARED_DIR "/traces; skipping";
  }
  static inline Trace* trace_ = nullptr;
  static inline std::string* error_ = nullptr;
};

constexpr std::uint64_t kMiB = 1u << 20;

TEST_F(PaperTrace, Shape) {
  EXPECT_EQ(trace_->requests.size(), 1000000u);
  std::set<std::uint64_t> ids;
  for (auto& r : trace_->requests) ids.insert(r.id);
  EXPECT_EQ(ids.size(), 5550u);
  std::printf("paper trace: %zu requests, %zu distinct ids, read in %.3f s\n", trace_->requests.size(), ids.size(),
              trace_->read_seconds);
}

TEST_F(PaperTrace, EveryPolicyMatchesTheReferenceAt4MiB) {
  for (cache::SizeChange mode : {cache::SizeChange::first_size, cache::SizeChange::miss}) {
    cache::CacheConfig config{4 * kMiB, mode, cache::Cost::one};
    for (const auto& pc : testing::all_policy_cases()) {
      auto got = pc.run(config, trace_->requests);
      auto want = testing::run_reference(pc.ref, config, trace_->requests);
      EXPECT_EQ(got.stats, want.stats) << pc.name << " " << cache::to_string(mode);
      EXPECT_EQ(got.hits, want.hits) << pc.name;
      std::printf("%-10s %-14s 4 MiB: hits %llu  HR %.4f%%  BHR %.4f%%\n", cache::to_string(mode), pc.name.c_str(),
                  static_cast<unsigned long long>(got.stats.hits),
                  100.0 * static_cast<double>(got.stats.hits) / static_cast<double>(got.stats.requests),
                  100.0 * static_cast<double>(got.stats.bytes_hit) / static_cast<double>(got.stats.bytes_requested));
    }
  }
}

TEST_F(PaperTrace, HitRateTableFirstSize) {
  auto policies = parse_policy_list("all,gds:packets", cache::Cost::one);
  auto sizes = parse_size_list("1MiB:256MiB");
  auto runs = make_runs(*policies, *sizes, cache::SizeChange::first_size);
  NativeRunnerFactory factory;
  auto result = run_sweep(*trace_, runs, factory, SweepOptions{.threads = 0, .warmup = 0, .chunk_records = 0});
  ASSERT_TRUE(result) << result.error().message;
  std::printf("%-15s", "HR % (BHR %)");
  for (auto s : *sizes) std::printf(" %16s", format_size(s).c_str());
  std::printf("\n");
  for (std::size_t p = 0; p < policies->size(); ++p) {
    std::printf("%-15s", result->records[p * sizes->size()].policy_label().c_str());
    for (std::size_t s = 0; s < sizes->size(); ++s) {
      const SimRecord& r = result->records[p * sizes->size() + s];
      std::printf("  %6.3f (%6.3f)", 100 * r.hit_rate(), 100 * r.byte_hit_rate());
    }
    std::printf("\n");
  }
  // From 128 MiB everything fits (unique bytes of first sizes: about 70 MiB): HR = 1 - 5550/1e6.
  for (const SimRecord& r : result->records) {
    if (r.config.capacity >= 128 * kMiB) {
      EXPECT_EQ(r.stats.hits, 1000000u - 5550u) << r.policy_label();
    }
  }
}

TEST_F(PaperTrace, Identities) {
  for (std::uint64_t mib : {1u, 4u, 16u}) {
    cache::CacheConfig c{mib * kMiB, cache::SizeChange::miss, cache::Cost::size};
    EXPECT_EQ(testing::run_policy<cache::Gds>(c, trace_->requests).hits,
              testing::run_policy<cache::Lru>(c, trace_->requests).hits);
    EXPECT_EQ(testing::run_policy<cache::Gdsf>(c, trace_->requests).hits,
              testing::run_policy<cache::Lfuda>(c, trace_->requests).hits);
  }
}

}  // namespace
}  // namespace wasmhop::sim
