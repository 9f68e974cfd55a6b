// engine_overhead: the cost of wasmhop's layer over each engine's raw API, for a Pair call
// (two i32 in, one i32 out, every result checked), measured side by side in one process.
//
//   engine_overhead --engine wasm2c        one engine (a V8 tier needs its own process)
//   engine_overhead --engine all           every engine, each in a child process, one table
//   engine_overhead --engine wasm3 --side raw --reps 1
//                                          one side only, for counting instructions per call
//                                          (scripts/call_cost.sh runs it under callgrind)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/engines/raw_pair.hpp"
#include "bench/engines/raw_plugin_abi.h"
#include "engines/plugin/plugin_loader.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::bench {
namespace {

// A plugin engine's baseline: raw-<folder>.so beside the plugins (raw_plugin_abi.h). Up to
// `max_variants` of its loops run (the first is the fair one: the engine's fastest checked path).
RawPairBench raw_plugin_bench(const EngineEntry& entry, int max_variants) {
  auto sym = plugin::load_symbol("raw-" + entry.plugin, WHP_RAW_PAIR_ENTRY, entry.id);
  if (!sym) return nullptr;
  const auto fn = reinterpret_cast<whp_raw_pair_fn>(*sym);
  return [fn, max_variants, config = entry.config](const std::string&, const std::filesystem::path& wasm,
                                     std::int64_t calls) -> Result<std::vector<RawVariant>> {
    whp_raw_variant out[8] = {};
    int n = 0;
    char err[1024] = {};
    if (fn(config.c_str(), wasm.c_str(), calls, out, max_variants, &n, err, sizeof err) != 0) {
      return fail(ErrorKind::internal, err);
    }
    std::vector<RawVariant> variants;
    for (int i = 0; i < n && i < 8; ++i) variants.push_back({out[i].name, out[i].seconds, out[i].checksum});
    return variants;
  };
}

RawPairBench raw_bench_for(const std::string& id, int max_variants) {
  for (const auto& entry : engine_registry()) {
    if (entry.id == id && !entry.plugin.empty()) return raw_plugin_bench(entry, max_variants);
  }
  if (id == "native") return &raw_pair_native;
#ifdef WASMHOP_HAVE_RAW_WABT_INTERP
  if (id == "wabt-interp") return &raw_pair_wabt_interp;
#endif
#ifdef WASMHOP_HAVE_RAW_V8
  if (id.starts_with("v8")) return &raw_pair_v8;
#endif
#ifdef WASMHOP_HAVE_RAW_WASM2C
  if (id == "wasm2c") return &raw_pair_wasm2c;
#endif
  return nullptr;
}

// A distribution-free 95% confidence interval of the median: order statistics (j, k) of the
// sorted sample with P(X_(j) <= median <= X_(k)) >= 0.95 under Binomial(n, 1/2); the whole range
// when n is too small for 95%.
std::pair<double, double> median_ci95(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const int n = static_cast<int>(v.size());
  std::vector<double> pmf(n + 1);
  for (int i = 0; i <= n; ++i) pmf[i] = std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) - n * std::log(2.0));
  int j = 0;  // widen symmetric ranks from the middle until the coverage reaches 95%
  for (int lo = n / 2; lo >= 0; --lo) {
    double cover = 0;
    for (int i = lo + 1; i <= n - lo - 1; ++i) cover += pmf[i];  // lo < #below-median <= n-lo-1
    if (cover >= 0.95) { j = lo; break; }
  }
  return {v[j], v[n - 1 - j]};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

Result<double> wasmhop_loop(const TypedFunc<std::int32_t(std::int32_t, std::int32_t)>& add,
                            std::int64_t calls, std::int64_t& checksum) {
  using Clock = std::chrono::steady_clock;
  std::int64_t sum = 0;
  const auto t0 = Clock::now();
  for (std::int64_t i = 0; i < calls; ++i) {
    const auto a = static_cast<std::int32_t>(i);
    auto r = add(a, 7);
    if (!r || *r != a + 7) [[unlikely]] {
      return fail(ErrorKind::internal, r ? "wrong result" : r.error().describe());
    }
    sum += *r;
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  checksum = sum;
  return s;
}

// Which loops run_one times: both (the comparison), or one of them alone, so that a profiler's
// count over the whole process is that side's (the raw side then runs its fair variant only).
enum class Side { both, wasmhop, raw };

// Runs one engine in this process; prints one JSON object.
int run_one(const std::string& id, std::int64_t calls, int reps, Side side) {
  auto engine = create_engine(id);
  auto die = [&](const Error& e) {
    fmt::print("{}\n", nlohmann::json{{"engine", id}, {"error", e.describe()}}.dump());
    return 1;
  };
  if (!engine) return die(engine.error());
  // Interpreters take 20x fewer calls per loop (the loop still lasts long enough to time).
  if ((*engine)->info().caps.interpreter) calls = std::max<std::int64_t>(calls / 20, 1000);
  const auto wasm = std::filesystem::path(WASMHOP_GUEST_DIR) / "conformance.wasm";
  auto module = (*engine)->load(wasm);
  if (!module) return die(module.error());
  auto inst = (*module)->instantiate();
  if (!inst) return die(inst.error());
  auto add = (*inst)->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  if (!add) return die(add.error());
  RawPairBench raw = side == Side::wasmhop ? nullptr : raw_bench_for(id, side == Side::raw ? 1 : 8);

  std::map<std::string, std::vector<double>> ns;  // variant -> ns/call per repetition
  std::int64_t checksum = 0;
  // Warm-up: JIT tiers, caches, page faults.
  if (side != Side::raw) {
    if (auto w = wasmhop_loop(*add, std::max<std::int64_t>(calls / 10, 1000), checksum); !w) return die(w.error());
  }
  for (int rep = 0; rep < reps; ++rep) {
    // Alternate the order so that drift does not favour one side.
    auto ours = [&]() -> Status {
      if (side == Side::raw) return {};
      auto s = wasmhop_loop(*add, calls, checksum);
      if (!s) return tl::unexpected(s.error());
      ns["wasmhop typed handle"].push_back(*s * 1e9 / static_cast<double>(calls));
      return {};
    };
    auto theirs = [&]() -> Status {
      if (raw == nullptr) return {};
      auto r = raw(id, wasm, calls);
      if (!r) return tl::unexpected(r.error());
      for (const auto& v : *r) {
        if (side == Side::both && v.checksum != checksum) return fail(ErrorKind::internal, "raw checksum differs from wasmhop's");
        ns["raw: " + v.name].push_back(v.seconds * 1e9 / static_cast<double>(calls));
      }
      return {};
    };
    Status a = rep % 2 ? theirs() : ours();
    Status b = rep % 2 ? ours() : theirs();
    if (!a) return die(a.error());
    if (!b) return die(b.error());
  }
  nlohmann::json out{{"engine", id}, {"calls", calls}, {"reps", reps}, {"version", (*engine)->info().version}};
  for (auto& [name, v] : ns) {
    out["median_ns"][name] = median(v);
    const auto [lo, hi] = median_ci95(v);
    out["median_ci95_ns"][name] = {lo, hi};
  }
  fmt::print("{}\n", out.dump());
  return 0;
}

int run_all(const char* self, std::int64_t calls, int reps, bool json) {
  std::vector<nlohmann::json> rows;
  for (const auto& id : engine_ids()) {
    const std::string cmd = fmt::format("'{}' --engine {} --calls {} --reps {}", self, id, calls, reps);
    FILE* p = popen(cmd.c_str(), "r");
    std::string text;
    char buf[4096];
    while (p != nullptr && fgets(buf, sizeof buf, p) != nullptr) text += buf;
    if (p != nullptr) pclose(p);
    try {
      rows.push_back(nlohmann::json::parse(text));
    } catch (const std::exception&) {
      rows.push_back({{"engine", id}, {"error", "child produced no result: " + text}});
    }
  }
  if (json) {
    fmt::print("{}\n", nlohmann::json(rows).dump(2));
    return 0;
  }
  fmt::print("Pair call (add_i32, 2 x i32 -> i32, every result checked), median ns/call\n");
  fmt::print("{:<18} {:>10} {:>18} {:>10} {:>8} {:>7}  {}\n", "engine", "wasmhop", "95% CI of median", "raw", "ratio",
             "diff", "raw variant (all variants below)");
  for (const auto& r : rows) {
    if (r.contains("error")) {
      fmt::print("{:<18} error: {}\n", r["engine"].get<std::string>(), r["error"].get<std::string>());
      continue;
    }
    const double ours = r["median_ns"]["wasmhop typed handle"];
    // The fair baseline: the raw variant with the same safety (trap-guarded where the built-in engines
    // have one); for plugin engines, whose variants are all checked calls, the fastest.
    std::string best_name = "-";
    double best = 0;
    bool guarded = false;
    for (auto& [name, v] : r["median_ns"].items()) guarded |= name.starts_with("raw: ") && name.find("guard") != std::string::npos;
    for (auto& [name, v] : r["median_ns"].items()) {
      if (!name.starts_with("raw: ")) continue;
      const bool pick = guarded ? name.find("guard") != std::string::npos : (best_name == "-" || v.get<double>() < best);
      if (pick) {
        best_name = name;
        best = v;
      }
    }
    std::string ci = "";
    if (r.contains("median_ci95_ns")) {
      const auto& c = r["median_ci95_ns"]["wasmhop typed handle"];
      ci = fmt::format("[{:.2f}, {:.2f}]", c[0].get<double>(), c[1].get<double>());
    }
    fmt::print("{:<18} {:>10.2f} {:>18} {:>10.2f} {:>8.3f} {:>+7.2f}  {}\n", r["engine"].get<std::string>(), ours, ci, best,
               best > 0 ? ours / best : 0.0, ours - best, best_name);
    for (auto& [name, v] : r["median_ns"].items()) {
      if (name.starts_with("raw: ")) fmt::print("{:<18} {:>10} {:>18} {:>10.2f}                   {}\n", "", "", "", v.get<double>(), name);
    }
  }
  return 0;
}

}  // namespace
}  // namespace wasmhop::bench

int main(int argc, char** argv) {
  CLI::App app{"Cost of wasmhop's layer over each engine's raw API (Pair call)"};
  std::string engine = "all";
  std::int64_t calls = 2'000'000;
  int reps = 7;
  bool json = false;
  wasmhop::bench::Side side = wasmhop::bench::Side::both;
  app.add_option("--engine", engine, "Engine id, or 'all' (one child process per engine)")->capture_default_str();
  app.add_option("--calls", calls, "Calls per timed loop")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--reps", reps, "Repetitions (the median is reported)")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_flag("--json", json, "JSON output (with --engine all)");
  app.add_option("--side", side, "Time both loops, or only one (one engine; raw: its fair variant only)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, wasmhop::bench::Side>{
          {"both", wasmhop::bench::Side::both}, {"wasmhop", wasmhop::bench::Side::wasmhop},
          {"raw", wasmhop::bench::Side::raw}}));
  CLI11_PARSE(app, argc, argv);
  if (engine == "all") return wasmhop::bench::run_all(argv[0], calls, reps, json);
  return wasmhop::bench::run_one(engine, calls, reps, side);
}
