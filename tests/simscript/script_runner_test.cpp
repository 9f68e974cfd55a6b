// Scripted runners on the engine under test (WASMHOP_ENGINES; ctest runs one process per engine):
// every ABI, cached and uncached, gives exactly the native counts for every policy, on a synthetic
// trace with the awkward cases and in slices of every shape; labels and ABI names.
#include <gtest/gtest.h>

#include <cstdio>

#include "engine_fixture.hpp"
#include "script_test_util.hpp"
#include "sim/native_runner.hpp"

namespace wasmhop::sim {
namespace {

using testing::every_abi;
using testing::every_policy_runs;
using testing::expect_native_counts;
using testing::shared_engine;

constexpr std::uint64_t kCapacity = 64 * 1024;

class ScriptRunner : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    engine_ = shared_engine(GetParam());
    if (engine_ == nullptr) GTEST_SKIP() << "engine left out by this build (or failed: see above)";
  }
  [[nodiscard]] bool slow() const { return testing::is_slow(*engine_); }
  [[nodiscard]] std::vector<std::unique_ptr<RunnerFactory>> factories(const RunnerSelection& s) {
    auto f = make_script_runner_factories(engine_, s);
    EXPECT_TRUE(f.has_value()) << f.error().describe();
    return f ? std::move(*f) : std::vector<std::unique_ptr<RunnerFactory>>{};
  }
  std::shared_ptr<ScriptEngine> engine_;
};

// In the registry's order: every core-module ABI cached and uncached; an ABI of the component
// model (canonical) once, cached, and only on engines with components.
TEST_P(ScriptRunner, FactoriesCoverEveryAbiCachedAndUncached) {
  auto all = factories(every_abi(GetParam()));
  const bool component = engine_->info().caps.component;
  std::vector<std::string> want;
  for (const abi::AbiInfo* a : abi::abi_infos()) {
    if (!a->needs_component) {
      want.push_back(std::string(a->name) + "+");
      want.push_back(std::string(a->name) + "-");
    } else if (component) {
      want.push_back(std::string(a->name) + "+");
    }
  }
  ASSERT_GE(want.size(), 12u);  // pair, bincode, pod-dynamic, pod-static, batch, flatbuffers at least
  std::vector<std::string> seen;
  for (auto& f : all) {
    const RunnerLabel l = f->label();
    EXPECT_EQ(l.engine, GetParam());
    EXPECT_EQ(l.tier, engine_->info().tier);
    seen.push_back(l.abi + (l.cached ? "+" : "-"));
  }
  EXPECT_EQ(seen, want);
  const bool thread_bound = engine_->info().name == "V8";
  EXPECT_EQ(all.front()->max_concurrency(), thread_bound ? 1u : 0u);
}

// The seven scenarios of the paper (plus POD dynamic and batch), every policy and cost, both
// size-change modes, with a warm-up prefix (so the counters are also read mid-run).
TEST_P(ScriptRunner, EveryAbiGivesTheNativeCountsOnASyntheticTrace) {
  const Trace trace = testing::synthetic_trace(42, slow() ? 1500 : 6000, kCapacity);
  const auto runs = every_policy_runs(kCapacity, {cache::SizeChange::first_size, cache::SizeChange::miss});
  auto all = factories(every_abi(GetParam()));
  const std::size_t matched = expect_native_counts(trace, runs, all, 100);
  EXPECT_EQ(matched, runs.size() * all.size());
  std::printf("%s: %zu runs (%zu policy configurations x %zu engine/ABI/cached factories) equal to native on %zu "
              "synthetic requests\n",
              GetParam().c_str(), matched, runs.size(), all.size(), trace.requests.size());
}

// Slices of every shape reach the runner (1 request, batch boundaries, more than the static
// buffer), and odd batch sizes: the same counts as feeding the policy directly.
TEST_P(ScriptRunner, SlicesAndBatchSizesDoNotChangeTheCounts) {
  const Trace trace = testing::synthetic_trace(7, slow() ? 1200 : 10000, kCapacity);
  RunnerSelection s = every_abi(GetParam());
  s.abis = {"pair", "pod-static", "batch:1", "batch:7", "batch", "batch:4096"};
  s.cached = {true};
  auto all = factories(s);
  ASSERT_EQ(all.size(), 6u);
  const std::size_t cuts[] = {1, 2, 1023, 1024, 1025, 4095, 4097, 5000};
  for (const char* policy : {"lru", "gdsf"}) {
    const RunSpec spec{policy, cache::CacheConfig{kCapacity, cache::SizeChange::miss, cache::Cost::packets}};
    NativeRunnerFactory native_factory;
    auto native = native_factory.create(spec);
    ASSERT_TRUE(native.has_value());
    ASSERT_TRUE((*native)->access_batch(trace.requests).has_value());
    const cache::CacheStats want = *(*native)->stats();
    for (auto& f : all) {
      auto runner = f->create(spec);
      ASSERT_TRUE(runner.has_value()) << runner.error().describe();
      std::span<const Request> rest(trace.requests);
      for (std::size_t i = 0; !rest.empty(); ++i) {
        const std::size_t n = std::min(rest.size(), cuts[i % std::size(cuts)]);
        auto st = (*runner)->access_batch(rest.first(n));
        ASSERT_TRUE(st.has_value()) << st.error().describe();
        rest = rest.subspan(n);
      }
      ASSERT_TRUE((*runner)->access_batch({}).has_value());  // an empty slice is fine
      auto got = (*runner)->stats();
      ASSERT_TRUE(got.has_value()) << got.error().describe();
      EXPECT_EQ(*got, want) << f->label().abi << " " << policy;
    }
  }
}

// A policy module that is not there, and an init the guest refuses.
TEST_P(ScriptRunner, SetupErrorsAreValues) {
  RunnerSelection s = every_abi(GetParam());
  s.abis = {"pair"};
  s.cached = {true};
  s.guest_dir = "/nonexistent/guests";
  auto missing = factories(s);
  ASSERT_EQ(missing.size(), 1u);
  auto r = missing[0]->create(RunSpec{"lru", cache::CacheConfig{kCapacity}});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("policy_lru"), std::string::npos) << r.error().describe();

  auto unknown = factories(every_abi(GetParam()))[0]->create(RunSpec{"nope", cache::CacheConfig{kCapacity}});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().kind, ErrorKind::invalid_argument);

  cache::CacheConfig bad{kCapacity};
  bad.cost = static_cast<cache::Cost>(9);
  auto refused = factories(every_abi(GetParam()))[0]->create(RunSpec{"gds", bad});
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("refused"), std::string::npos) << refused.error().describe();
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(ScriptRunner);

TEST(ScriptAbiNames, ParseAndLabel) {
  auto all = parse_abi_list({});
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), abi::abi_infos().size());  // canonical included (dropped per engine without components)
  auto b = parse_abi("batch:256");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->abi->name, "batch");
  EXPECT_EQ(b->batch, 256u);
  EXPECT_EQ(b->label(), "batch:256");
  EXPECT_EQ(parse_abi("batch")->label(), "batch");
  EXPECT_EQ(parse_abi("pod-static")->label(), "pod-static");
  for (const char* bad : {"pod", "batch:0", "batch:4097", "batch:x", "pair:3", "", "batch:"}) {
    auto r = parse_abi(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_NE(r.error().message.find("valid:"), std::string::npos);
  }
}

}  // namespace
}  // namespace wasmhop::sim
