// Guests that lie: impossible counters (through the real script around a lying policy, on every
// engine) and impossible answers on the wire (a hand-written module, wasm engines only). Each one
// is an error value, never a count.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "engine_fixture.hpp"
#include "script_test_util.hpp"

namespace wasmhop::sim {
namespace {

namespace fs = std::filesystem;

// A guest directory where `module` (a guest the build made) poses as the LRU policy.
fs::path posing_as_lru(const std::string& module) {
  static int counter = 0;
  const fs::path dir =
      fs::temp_directory_path() / ("wasmhop-simscript-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  const fs::path from(WASMHOP_GUEST_DIR);
  fs::copy_file(from / (module + ".wasm"), dir / "policy_lru.wasm", fs::copy_options::overwrite_existing);
  if (fs::exists(from / (module + ".native.so")))
    fs::copy_file(from / (module + ".native.so"), dir / "policy_lru.native.so", fs::copy_options::overwrite_existing);
  return dir;
}

class LyingGuest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    engine_ = testing::shared_engine(GetParam());
    if (engine_ == nullptr) GTEST_SKIP() << "engine left out by this build (or failed: see above)";
  }
  void TearDown() override {
    std::error_code ec;
    for (const auto& d : dirs_) fs::remove_all(d, ec);
  }
  std::vector<std::unique_ptr<RunnerFactory>> factories(const std::string& module, std::vector<std::string> abis) {
    dirs_.push_back(posing_as_lru(module));
    RunnerSelection s = testing::every_abi(GetParam());
    s.abis = std::move(abis);
    s.guest_dir = dirs_.back().string();
    auto f = make_script_runner_factories(engine_, s);
    EXPECT_TRUE(f.has_value()) << f.error().describe();
    return f ? std::move(*f) : std::vector<std::unique_ptr<RunnerFactory>>{};
  }
  std::shared_ptr<ScriptEngine> engine_;
  std::vector<fs::path> dirs_;
};

const std::vector<Request> kRequests{{1, 10}, {2, 20}, {1, 10}, {3, 0}};

TEST_P(LyingGuest, ImpossibleCountersAreErrors) {
  auto all = factories("policy_lying", {"pair", "batch"});
  ASSERT_EQ(all.size(), 4u);
  struct Case {
    std::uint64_t lie;
    const char* says;
  };
  const Case cases[] = {{1, "hits out of"}, {2, "bytes hit out of"}, {3, "requests, the host sent"},
                        {4, "hits, its answers said"}};
  for (auto& f : all) {
    // The honest variant first: the same module passes when it tells the truth.
    auto honest = f->create(RunSpec{"lru", cache::CacheConfig{0}});
    ASSERT_TRUE(honest.has_value()) << honest.error().describe();
    ASSERT_TRUE((*honest)->access_batch(kRequests).has_value());
    auto ok = (*honest)->stats();
    ASSERT_TRUE(ok.has_value()) << ok.error().describe();
    EXPECT_EQ(ok->requests, kRequests.size());
    for (const Case& c : cases) {
      auto runner = f->create(RunSpec{"lru", cache::CacheConfig{c.lie}});
      ASSERT_TRUE(runner.has_value()) << runner.error().describe();
      ASSERT_TRUE((*runner)->access_batch(kRequests).has_value());
      auto s = (*runner)->stats();
      ASSERT_FALSE(s.has_value()) << f->label().abi << ": lie " << c.lie << " accepted";
      EXPECT_NE(s.error().message.find("impossible"), std::string::npos) << s.error().describe();
      EXPECT_NE(s.error().message.find(c.says), std::string::npos) << s.error().describe();
    }
  }
}

TEST_P(LyingGuest, ImpossibleAnswersAreErrors) {
  if (!engine_->info().caps.loads_wasm) GTEST_SKIP() << "a hand-written module has no native build";
  // The core-module ABIs: the liar is a hand-written core module (no component of it).
  auto all = factories("policy_wire_liar", {"pair", "bincode", "pod-dynamic", "pod-static", "batch", "flatbuffers"});
  ASSERT_EQ(all.size(), 12u);
  for (auto& f : all) {
    const RunnerLabel l = f->label();
    auto runner = f->create(RunSpec{"lru", cache::CacheConfig{1 << 20}});
    ASSERT_TRUE(runner.has_value()) << l.abi << ": " << runner.error().describe();
    auto st = (*runner)->access_batch(kRequests);
    ASSERT_FALSE(st.has_value()) << l.abi << (l.cached ? " cached" : " uncached") << ": a lie accepted";
    if (l.abi == "bincode" || l.abi == "pod-dynamic" || l.abi == "flatbuffers") {
      EXPECT_EQ(st.error().kind, ErrorKind::out_of_bounds) << st.error().describe();
    } else {
      EXPECT_NE(st.error().message.find("impossible"), std::string::npos) << st.error().describe();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, LyingGuest, ::testing::ValuesIn(::wasmhop::testing::engines_under_test()),
                         ::wasmhop::testing::engine_param_name);

}  // namespace
}  // namespace wasmhop::sim
