#include "script_test_util.hpp"

#include <map>

#include <fmt/format.h>

#include "engine_fixture.hpp"
#include "sim/native_runner.hpp"

namespace wasmhop::sim::testing {

std::shared_ptr<ScriptEngine> shared_engine(const std::string& id) {
  static std::map<std::string, std::shared_ptr<ScriptEngine>> engines;
  auto it = engines.find(id);
  if (it == engines.end()) {
    auto e = ScriptEngine::create(id);
    if (!e && wasmhop::testing::left_out_by_build(e.error())) return nullptr;  // callers skip
    if (!e) {
      ADD_FAILURE() << "engine " << id << ": " << e.error().describe();
      return nullptr;
    }
    it = engines.emplace(id, std::move(*e)).first;
  }
  return it->second;
}

bool is_slow(const ScriptEngine& engine) { return engine.info().caps.interpreter; }

namespace {
std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The usual size of an id: mostly 512-byte steps (ties), some 0, 1, and larger than the cache.
std::uint64_t size_of_id(std::uint64_t id, std::uint64_t capacity) {
  std::uint64_t h = id * 0x2545f4914f6cdd1dull;
  h ^= h >> 29;
  switch (h % 20) {
    case 0: return 0;
    case 1: return 1;
    case 2: return capacity + 1 + (h >> 8) % 4096;
    default: return 512 * (1 + (h >> 8) % 8);
  }
}
}  // namespace

Trace synthetic_trace(std::uint64_t seed, std::size_t n, std::uint64_t capacity) {
  constexpr std::uint64_t kIds = 400;
  Trace t;
  t.path = fmt::format("synthetic(seed {}, {} requests)", seed, n);
  std::uint64_t state = seed;
  t.requests.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t a = splitmix(state) % kIds, b = splitmix(state) % kIds;
    const std::uint64_t id = std::min(a, b) + 1000;  // skewed towards small ids
    std::uint64_t size = size_of_id(id, capacity);
    if (splitmix(state) % 100 < 3) size = 512 * (1 + splitmix(state) % 12);  // a changed size
    t.requests.push_back(Request{id, size});
  }
  t.stats.records = n;
  return t;
}

std::vector<RunSpec> every_policy_runs(std::uint64_t capacity, std::vector<cache::SizeChange> modes) {
  auto policies = parse_policy_list("all,gds:packets,gds:size,gdsf:packets,gdsf:size", cache::Cost::one);
  EXPECT_TRUE(policies.has_value());
  std::vector<RunSpec> runs;
  for (cache::SizeChange mode : modes) {
    const std::uint64_t sizes[] = {capacity};
    for (RunSpec& r : make_runs(*policies, sizes, mode)) runs.push_back(std::move(r));
  }
  return runs;
}

RunnerSelection every_abi(const std::string& engine) {
  RunnerSelection s;
  s.engines = {engine};
  s.abis = {};  // every ABI
  s.cached = {true, false};
  s.guest_dir = WASMHOP_GUEST_DIR;
  return s;
}

std::size_t expect_native_counts(const Trace& trace, const std::vector<RunSpec>& runs,
                                 std::vector<std::unique_ptr<RunnerFactory>>& factories, std::uint64_t warmup) {
  SweepOptions options;
  options.warmup = warmup;
  NativeRunnerFactory native;
  auto expected = run_sweep(trace, runs, native, options);
  if (!expected) {
    ADD_FAILURE() << expected.error().describe();
    return 0;
  }
  options.threads = 1;
  std::size_t matched = 0;
  for (auto& factory : factories) {
    const RunnerLabel label = factory->label();
    auto got = run_sweep(trace, runs, *factory, options);
    if (!got) {
      ADD_FAILURE() << label.engine << "/" << label.abi << (label.cached ? "/cached" : "/uncached") << ": "
                    << got.error().describe();
      continue;
    }
    EXPECT_EQ(got->records.size(), expected->records.size());
    for (std::size_t i = 0; i < std::min(got->records.size(), expected->records.size()); ++i) {
      const SimRecord& g = got->records[i];
      const SimRecord& e = expected->records[i];
      const bool same = g.stats == e.stats && g.simulated == e.simulated;
      EXPECT_TRUE(same) << label.engine << "/" << label.abi << (label.cached ? "/cached" : "/uncached") << " "
                        << e.policy_label() << " " << cache::to_string(e.config.size_change) << " at "
                        << e.config.capacity << " B: requests " << g.stats.requests << " vs " << e.stats.requests
                        << ", hits " << g.stats.hits << " vs " << e.stats.hits << ", bytes requested "
                        << g.stats.bytes_requested << " vs " << e.stats.bytes_requested << ", bytes hit "
                        << g.stats.bytes_hit << " vs " << e.stats.bytes_hit;
      EXPECT_EQ(g.label.engine, label.engine);
      matched += same ? 1 : 0;
    }
  }
  return matched;
}

}  // namespace wasmhop::sim::testing
