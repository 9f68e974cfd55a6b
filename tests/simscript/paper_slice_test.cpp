// The paper's trace (../shared/traces/paper-trace.dat.gz, read in place; skipped with a message where
// it is absent): its first 50,000 requests (5,000 on an interpreter) at 4 MiB, every policy, through
// every ABI cached and uncached on the engine under test, give exactly the native counts.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "engine_fixture.hpp"
#include "script_test_util.hpp"

#ifndef WASMHOP_SHARED_DIR
#define WASMHOP_SHARED_DIR "../shared"
#endif

namespace wasmhop::sim {
namespace {

const Trace* paper_trace(std::string* error) {
  static const std::string path = std::string(WASMHOP_SHARED_DIR) + "/traces/paper-trace.dat.gz";
  static std::optional<Trace> trace;
  static std::string failure;
  static bool tried = false;
  if (!tried) {
    tried = true;
    if (std::filesystem::exists(path)) {
      TraceOptions o;
      o.path = path;
      auto t = read_trace(o);
      if (t) trace = std::move(*t);
      else failure = t.error().describe();
    }
  }
  *error = failure;
  return trace ? &*trace : nullptr;
}

class PaperSlice : public ::testing::TestWithParam<std::string> {};

TEST_P(PaperSlice, EveryAbiGivesTheNativeCountsAt4MiB) {
  std::string error;
  const Trace* full = paper_trace(&error);
  ASSERT_TRUE(error.empty()) << error;
  if (full == nullptr) GTEST_SKIP() << "paper trace not found under " WASMHOP_SHARED_DIR "/traces; skipping";
  auto engine = testing::shared_engine(GetParam());
  if (engine == nullptr) GTEST_SKIP() << "engine left out by this build (or failed: see above)";
  const std::size_t n = std::min<std::size_t>(full->requests.size(), testing::is_slow(*engine) ? 5000 : 50000);
  Trace slice;
  slice.path = full->path;
  slice.requests.assign(full->requests.begin(), full->requests.begin() + static_cast<std::ptrdiff_t>(n));

  auto policies = parse_policy_list("all,gds:packets", cache::Cost::one);
  ASSERT_TRUE(policies.has_value());
  const std::uint64_t sizes[] = {4u << 20};
  const std::vector<RunSpec> runs = make_runs(*policies, sizes, cache::SizeChange::first_size);
  auto factories = make_script_runner_factories(engine, testing::every_abi(GetParam()));
  ASSERT_TRUE(factories.has_value()) << factories.error().describe();
  const std::size_t matched = testing::expect_native_counts(slice, runs, *factories, 0);
  EXPECT_EQ(matched, runs.size() * factories->size());
  std::printf("%s: %zu runs equal to native on the paper trace's first %zu requests at 4 MiB\n", GetParam().c_str(),
              matched, n);
}

INSTANTIATE_TEST_SUITE_P(Engines, PaperSlice, ::testing::ValuesIn(::wasmhop::testing::engines_under_test()),
                         ::wasmhop::testing::engine_param_name);

}  // namespace
}  // namespace wasmhop::sim
