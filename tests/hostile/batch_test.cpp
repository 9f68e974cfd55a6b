// A policy script that traps in the middle of a batch (unreachable, divide by zero, a wild store),
// run by the simulator's scripted runners through every ABI, cached and uncached, on every engine:
// the batch fails with the trap kind and the export that ran it; the same runner's later batches and
// counters, and the next runner of each configuration, carry on. (Impossible statistics from a
// policy are tested in tests/simscript/lying_guest_test.cpp.)
#include <chrono>
#include <filesystem>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "engine_fixture.hpp"
#include "hostile/hostile_policy.hpp"
#include "sim/script_runner.hpp"

namespace wasmhop::testing {
namespace {

namespace fs = std::filesystem;
using test::HostilePolicy;

class HostileBatch : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    static std::shared_ptr<sim::ScriptEngine> engine;  // one per process (a V8 tier is process-global)
    if (!engine) {
      auto e = sim::ScriptEngine::create(GetParam());
      if (!e && left_out_by_build(e.error())) GTEST_SKIP() << e.error().message;
      ASSERT_TRUE(e.has_value()) << e.error().describe();
      engine = *e;
    }
    engine_ = engine;
    // The hostile policy poses as LRU.
    dir_ = fs::temp_directory_path() / fmt::format("wasmhop-hostile-{}", getpid());
    fs::create_directories(dir_);
    const fs::path from(WASMHOP_GUEST_DIR);
    fs::copy_file(from / "policy_hostile.wasm", dir_ / "policy_lru.wasm", fs::copy_options::overwrite_existing);
    fs::copy_file(from / "policy_hostile.native.so", dir_ / "policy_lru.native.so",
                  fs::copy_options::overwrite_existing);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::shared_ptr<sim::ScriptEngine> engine_;
  fs::path dir_;
};

TEST_P(HostileBatch, TrapsInTheMiddleOfABatch) {
  sim::RunnerSelection s;
  s.engines = {GetParam()};
  s.abis = {"pair", "bincode", "pod-dynamic", "pod-static", "batch"};  // the core-module ABIs: a hand-written module
  s.cached = {true, false};
  s.guest_dir = dir_.string();
  auto factories = sim::make_script_runner_factories(engine_, s);
  ASSERT_TRUE(factories.has_value()) << factories.error().describe();
  ASSERT_EQ(factories->size(), 10u);
  struct Case {
    std::uint64_t id;
    TrapKind kind;
  };
  const Case cases[] = {{HostilePolicy::kUnreachable, TrapKind::unreachable},
                        {HostilePolicy::kDivide, TrapKind::integer_divide_by_zero},
                        {HostilePolicy::kWildStore, TrapKind::out_of_bounds_memory}};
  std::vector<sim::Request> clean;
  for (std::uint64_t i = 0; i < 100; ++i) clean.push_back({i + 1, 100});
  for (auto& f : *factories) {
    const sim::RunnerLabel label = f->label();
    for (const Case& c : cases) {
      SCOPED_TRACE(fmt::format("{} {} id {}", label.abi, label.cached ? "cached" : "uncached", c.id));
      auto runner = f->create(sim::RunSpec{"lru", cache::CacheConfig{1 << 20}});
      ASSERT_TRUE(runner.has_value()) << runner.error().describe();
      std::vector<sim::Request> batch = clean;
      batch[50] = {c.id, 100};  // in the middle of the batch
      auto st = (*runner)->access_batch(batch);
      ASSERT_FALSE(st.has_value()) << "the trap went unnoticed";
      EXPECT_EQ(st.error().kind, ErrorKind::trap) << st.error().describe();
      EXPECT_EQ(st.error().trap, c.kind) << st.error().describe();
      EXPECT_NE(st.error().message.find("export 'access"), std::string::npos) << st.error().message;
      // The next runner of this configuration runs a clean trace to the end, with exact counters.
      auto next = f->create(sim::RunSpec{"lru", cache::CacheConfig{1 << 20}});
      ASSERT_TRUE(next.has_value()) << next.error().describe();
      ASSERT_TRUE((*next)->access_batch(clean).has_value());
      auto stats = (*next)->stats();
      ASSERT_TRUE(stats.has_value()) << stats.error().describe();
      EXPECT_EQ(stats->requests, clean.size());
      EXPECT_EQ(stats->bytes_requested, clean.size() * 100);
    }
  }
}

// A policy that never returns in the middle of a batch: interruptible engines stop the call at the
// simulator's call time limit (`wasmhop sim --call-timeout`) and the next runner carries on; the
// others refuse the limit up front and say what to use instead.
TEST_P(HostileBatch, AnEndlessLoopStopsAtTheCallTimeLimit) {
  using namespace std::chrono_literals;
  const bool interruptible = engine_->info().caps.interruptible;
  auto limited = engine_->set_limits(300ms, 0);
  if (!interruptible) {
    ASSERT_FALSE(limited.has_value());
    EXPECT_EQ(limited.error().kind, ErrorKind::engine_unavailable);
    EXPECT_NE(limited.error().message.find("--step-timeout"), std::string::npos) << limited.error().message;
    return;
  }
  ASSERT_TRUE(limited.has_value()) << limited.error().describe();
  sim::RunnerSelection s;
  s.engines = {GetParam()};
  s.abis = {"pod-static", "batch"};
  s.cached = {true};
  s.guest_dir = dir_.string();
  auto factories = sim::make_script_runner_factories(engine_, s);
  ASSERT_TRUE(factories.has_value()) << factories.error().describe();
  std::vector<sim::Request> clean;
  for (std::uint64_t i = 0; i < 100; ++i) clean.push_back({i + 1, 100});
  for (auto& f : *factories) {
    SCOPED_TRACE(f->label().abi);
    auto runner = f->create(sim::RunSpec{"lru", cache::CacheConfig{1 << 20}});
    ASSERT_TRUE(runner.has_value()) << runner.error().describe();
    std::vector<sim::Request> batch = clean;
    batch[50] = {HostilePolicy::kSpin, 100};
    const auto t0 = std::chrono::steady_clock::now();
    auto st = (*runner)->access_batch(batch);
    const auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_FALSE(st.has_value()) << "the endless loop returned";
    EXPECT_EQ(st.error().kind, ErrorKind::timeout) << st.error().describe();
    EXPECT_NE(st.error().message.find("export 'access"), std::string::npos) << st.error().message;
    EXPECT_LT(took, 30s);
    auto next = f->create(sim::RunSpec{"lru", cache::CacheConfig{1 << 20}});
    ASSERT_TRUE(next.has_value()) << next.error().describe();
    ASSERT_TRUE((*next)->access_batch(clean).has_value());
  }
  ASSERT_TRUE(engine_->set_limits(0ns, 0).has_value());  // the engine is shared by this process's tests
}

INSTANTIATE_TEST_SUITE_P(Engines, HostileBatch, ::testing::ValuesIn(engines_under_test()), engine_param_name);

}  // namespace
}  // namespace wasmhop::testing
