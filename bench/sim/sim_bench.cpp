// Native simulator throughput: every policy over the paper trace at 4 MiB (first-size mode), the
// trace read into memory once; reading is measured apart (BM_ReadTrace). Also: the same LRU through
// the PolicyRunner interface (the driver's path) and over std::unordered_map instead of IdMap.
//
//   taskset -c 1 build/.../bench/sim/wasmhop_sim_bench [--benchmark_repetitions=5]
// The trace: $WASMHOP_SIM_TRACE, else ../shared/traces/paper-trace.dat.gz next to the source tree.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "policies/fifo.hpp"
#include "policies/gds.hpp"
#include "policies/gdsf.hpp"
#include "policies/largest_first.hpp"
#include "policies/lfu.hpp"
#include "policies/lfuda.hpp"
#include "policies/lru.hpp"
#include "sim/native_runner.hpp"
#include "trace/reader.hpp"

namespace {

using namespace wasmhop;

std::string trace_path() {
  if (const char* env = std::getenv("WASMHOP_SIM_TRACE")) return env;
  return WASMHOP_SHARED_DIR "/traces/paper-trace.dat.gz";
}

const std::vector<cache::Request>* paper_trace() {
  static const std::vector<cache::Request>* trace = [] {
    trace::TraceOptions o;
    o.path = trace_path();
    auto t = trace::read_trace(o);
    if (!t) {
      std::fprintf(stderr, "sim bench: %s\n", t.error().message.c_str());
      return static_cast<std::vector<cache::Request>*>(nullptr);
    }
    return new std::vector<cache::Request>(std::move(t->requests));
  }();
  return trace;
}

constexpr cache::CacheConfig kConfig{4u << 20, cache::SizeChange::first_size, cache::Cost::one};

template <class Policy>
void BM_Policy(benchmark::State& state) {
  const auto* trace = paper_trace();
  if (trace == nullptr) {
    state.SkipWithError("paper trace not found (set WASMHOP_SIM_TRACE)");
    return;
  }
  std::uint64_t hits = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto policy = std::make_unique<Policy>(kConfig);
    state.ResumeTiming();
    for (const cache::Request& r : *trace) policy->access(r.id, r.size);
    hits = policy->stats().hits;
    benchmark::DoNotOptimize(hits);
    state.PauseTiming();
    policy.reset();
    state.ResumeTiming();
  }
  state.counters["hit_rate"] = static_cast<double>(hits) / static_cast<double>(trace->size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace->size()));
}

// The driver's path: one virtual access_batch over the whole trace.
void BM_LruThroughRunner(benchmark::State& state) {
  const auto* trace = paper_trace();
  if (trace == nullptr) {
    state.SkipWithError("paper trace not found");
    return;
  }
  sim::NativeRunnerFactory factory;
  for (auto _ : state) {
    state.PauseTiming();
    auto runner = *factory.create(sim::RunSpec{"lru", kConfig});
    state.ResumeTiming();
    if (!runner->access_batch(*trace)) state.SkipWithError("runner failed");
    state.PauseTiming();
    runner.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace->size()));
}

// LRU over std::unordered_map, to justify IdMap.
template <class V>
class StdIndex {
 public:
  explicit StdIndex(unsigned /*max load*/ = 0, std::size_t /*sparse bytes: std::unordered_map keeps its own*/ = 0) {}
  V* find(std::uint64_t id) {
    auto it = map_.find(id);
    return it == map_.end() ? nullptr : &it->second;
  }
  struct Probe {
    V* value;
  };
  Probe probe(std::uint64_t id) { return {find(id)}; }
  void insert_probed(const Probe&, std::uint64_t id, V v) { map_.try_emplace(id, v); }
  V& try_emplace(std::uint64_t id, V v) { return map_.try_emplace(id, v).first->second; }
  void set_sparse(bool) {}
  bool erase(std::uint64_t id) { return map_.erase(id) == 1; }
  std::size_t size() const { return map_.size(); }

 private:
  std::unordered_map<std::uint64_t, V> map_;
};

class LruStdMap final : public cache::CacheBase<LruStdMap, cache::ListEntry, StdIndex> {
 public:
  explicit LruStdMap(const cache::CacheConfig& c) : CacheBase(c) {}

 private:
  friend CacheBase;
  auto at() { return [this](std::uint32_t s) -> cache::ListEntry& { return entry(s); }; }
  void on_insert(std::uint32_t s) { list_.push_back(at(), s); }
  void on_hit(std::uint32_t s) { list_.move_to_back(at(), s); }
  std::uint32_t take_victim() {
    std::uint32_t v = list_.head;
    list_.unlink(at(), v);
    return v;
  }
  void unlink(std::uint32_t s) { list_.unlink(at(), s); }
  cache::SlotList list_;
};

void BM_ReadTrace(benchmark::State& state) {
  trace::TraceOptions o;
  o.path = trace_path();
  std::size_t n = 0;
  for (auto _ : state) {
    auto t = trace::read_trace(o);
    if (!t) {
      state.SkipWithError(t.error().message.c_str());
      return;
    }
    n = t->requests.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

BENCHMARK(BM_ReadTrace)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Policy<cache::Fifo>)->Name("fifo")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Policy<cache::Lru>)->Name("lru")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Policy<cache::Lfu>)->Name("lfu")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Policy<cache::Gds>)->Name("gds")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Policy<cache::Gdsf>)->Name("gdsf")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Policy<cache::Lfuda>)->Name("lfuda")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Policy<cache::LargestFirst>)->Name("largest-first")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LruThroughRunner)->Name("lru/runner")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Policy<LruStdMap>)->Name("lru/std::unordered_map")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
