// The micro-benchmark's findings (one function each, in the order the report lists them): the
// cheapest sandboxed hop, every engine's cheapest call, the best ABI for arbitrary data, uncached
// lookups, the Debug host, compile + instantiate, batching, both directions, many calls per request.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "report/findings_helpers.hpp"

namespace wasmhop::report::findings_detail {
namespace {

// Per sandboxed engine, its cheapest memory-passing configuration of Table 1 (counted per
// configuration) and every such configuration's cost over that engine's cached Pair call.
struct AbiWins {
  std::map<std::string, int> wins;
  std::map<std::string, std::vector<double>> vs_pair;  // config -> (config / pair-cached-preload) per engine
};

AbiWins abi_wins(const FindingInputs& in) {
  AbiWins out;
  for (const auto& e : in.sandboxed) {
    const GroupSummary* best = nullptr;
    const GroupSummary* pair = micro_group(in.d, "table1", in.build, e, "pair-cached-preload");
    for (const auto& g : in.d.micro) {
      if (g.key.experiment != "table1" || g.key.host_build != in.build || g.key.engine != e) continue;
      if (g.abi == "pair" || g.abi == "native" || g.abi == "batch" || !finite_pos(g.ns_per_call.mean)) continue;
      if (pair && finite_pos(pair->ns_per_call.mean)) {
        out.vs_pair[g.key.config].push_back(g.ns_per_call.mean / pair->ns_per_call.mean);
      }
      if (!best || g.ns_per_call.mean < best->ns_per_call.mean) best = &g;
    }
    if (best) ++out.wins[best->key.config];
  }
  return out;
}

// Large payloads: per engine, the fastest configuration at the largest payload of the sweep and the
// spread across configurations ("; with ... )"), or nothing.
std::string large_payloads(const FindingInputs& in) {
  std::uint64_t largest = 0;
  for (const auto& g : in.d.micro) {
    if (g.key.experiment == "payload" && g.key.host_build == in.build && g.key.payload_bytes) {
      largest = std::max(largest, *g.key.payload_bytes);
    }
  }
  if (!largest) return {};
  std::vector<std::string> rates;
  int close = 0, engines_n = 0;
  for (const auto& e : in.sandboxed) {
    double lo = INFINITY, hi = 0;
    for (const auto& g : in.d.micro) {
      if (g.key.experiment == "payload" && g.key.host_build == in.build && g.key.engine == e &&
          g.key.payload_bytes == largest && finite_pos(g.ns_per_call.mean)) {
        lo = std::min(lo, g.ns_per_call.mean);
        hi = std::max(hi, g.ns_per_call.mean);
      }
    }
    if (!std::isfinite(lo)) continue;
    ++engines_n;
    close += hi / lo < 1.10;
    rates.push_back(fmt::format("{} {}", e, fmt_rate(double(largest) / lo * 1e9)));
  }
  if (engines_n == 0) return {};
  std::string s = fmt::format("; with {} payloads the ABIs come within 10% of each other on {} of {} engines (the copy "
                              "dominates; best throughput: ",
                              fmt_bytes(largest), close, engines_n);
  for (std::size_t i = 0; i < rates.size(); ++i) s += (i ? ", " : "") + rates[i];
  return s + ")";
}

// "<head>: a, b, c" for the findings that list one part per engine.
std::string listed(std::string head, const std::vector<std::string>& parts, const char* sep = ", ") {
  for (std::size_t i = 0; i < parts.size(); ++i) head += (i ? sep : "") + parts[i];
  return head;
}

}  // namespace

// 1. The cheapest sandboxed hop (one call per host request: pair-many's batches are 7c's).
std::optional<std::string> cheapest_hop(const FindingInputs& in) {
  const SuiteData& d = in.d;
  const std::string& build = in.build;
  const GroupSummary* best = nullptr;
  for (const auto& g : d.micro) {
    if (g.key.experiment != "table1" || g.key.host_build != build || g.key.config == "native") continue;
    if (g.key.config == kManyConfig) continue;
    if (!is_sandboxed(d, g.key.engine) || !finite_pos(g.ns_per_call.mean)) continue;
    if (!best || g.ns_per_call.mean < best->ns_per_call.mean) best = &g;
  }
  if (!best) return std::nullopt;
  const GroupSummary* same_native = micro_group(d, "table1", build, "native", best->key.config);
  const GroupSummary* plain = micro_group(d, "table1", build, "native", "native");
  if (!plain) plain = micro_group(d, "table1", build, best->key.engine, "native");
  std::string s = fmt::format("**The cheapest sandboxed hop is {} at {}/call** (`{}`, {} host, mean of {} × {} calls, "
                              "95% CI ±{})",
                              best->key.engine, fmt_ns(best->ns_per_call.mean), best->key.config, build,
                              best->ns_per_call.n, grouped(best->calls), fmt_ns(best->ns_per_call.ci_half_width));
  if (same_native && finite_pos(same_native->ns_per_call.mean)) {
    s += fmt::format(": **{:.2f}× the same call into the natively compiled script** (native engine, {})",
                     best->ns_per_call.mean / same_native->ns_per_call.mean, fmt_ns(same_native->ns_per_call.mean));
  }
  if (plain && finite_pos(plain->ns_per_call.mean)) {
    s += fmt::format(" and {} a plain C++ function call ({})",
                     fmt_ratio(best->ns_per_call.mean / plain->ns_per_call.mean), fmt_ns(plain->ns_per_call.mean));
  }
  return s + ".";
}

// 2. Every engine's cheapest call.
std::optional<std::string> cheapest_per_engine(const FindingInputs& in) {
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& e : in.engines) {
    double m = INFINITY;
    for (const auto& g : in.d.micro) {
      if (g.key.experiment == "table1" && g.key.host_build == in.build && g.key.engine == e &&
          g.key.config != "native" && g.key.config != kManyConfig && finite_pos(g.ns_per_call.mean) &&
          g.ns_per_call.mean < m) {
        m = g.ns_per_call.mean;
      }
    }
    if (std::isfinite(m)) ranked.emplace_back(m, fmt::format("{} {}", e, fmt_ns(m)));
  }
  std::sort(ranked.begin(), ranked.end());
  if (ranked.size() <= 1) return std::nullopt;
  std::string s = "Cheapest call per engine (" + in.build + " host): ";
  for (std::size_t i = 0; i < ranked.size(); ++i) s += (i ? ", " : "") + ranked[i].second;
  s += fmt::format(" — a {} spread between the fastest and the slowest engine.",
                   fmt_ratio(ranked.back().first / ranked.front().first));
  return s;
}

// 3. The best ABI for arbitrary data (memory-passing configurations of Table 1, then payloads).
std::optional<std::string> best_abi(const FindingInputs& in) {
  auto [wins, vs_pair] = abi_wins(in);
  if (wins.empty()) return std::nullopt;
  auto top = std::max_element(wins.begin(), wins.end(), [](auto& a, auto& b) { return a.second < b.second; });
  int total = 0;
  for (auto& [k, v] : wins) total += v;
  std::string s = fmt::format("**Best ABI for arbitrary data: {}** (`{}`), the cheapest memory-passing "
                              "configuration on {} of {} sandboxed engines",
                              config_words(top->first), top->first, top->second, total);
  if (!vs_pair[top->first].empty()) {
    s += fmt::format("; it costs {} a Pair call (median over engines)", fmt_ratio(median_of(vs_pair[top->first])));
  }
  std::vector<std::string> others;
  for (const char* c : {"bincode-cached", "pod-cached-dynamic", "flatbuffers-cached"}) {
    if (c != top->first && !vs_pair[c].empty()) others.push_back(fmt::format("{} {}", c, fmt_ratio(median_of(vs_pair[c]))));
  }
  if (!others.empty()) s += listed(" (", others) + ")";
  return s + large_payloads(in) + ".";
}

// 5a. Reference caching: the export looked up by name on every call.
std::optional<std::string> uncached_lookup(const FindingInputs& in) {
  std::vector<double> gain;
  for (const auto& e : in.sandboxed) {
    auto* u = micro_group(in.d, "table1", in.build, e, "pair-uncached-preload");
    auto* c = micro_group(in.d, "table1", in.build, e, "pair-cached-preload");
    if (u && c && finite_pos(c->ns_per_call.mean)) gain.push_back(u->ns_per_call.mean / c->ns_per_call.mean - 1.0);
  }
  if (gain.empty()) return std::nullopt;
  auto [mn, mx] = std::minmax_element(gain.begin(), gain.end());
  return fmt::format("Looking the export up by name on every call (uncached Pair) costs {:+.0f}% to {:+.0f}% "
                     "per call over a cached handle across the sandboxed engines (paper: up to 15%).",
                     100 * *mn, 100 * *mx);
}

// 5b. The Debug host beside the Release host.
std::optional<std::string> debug_host(const FindingInputs& in) {
  std::vector<std::string> dbg;
  for (const auto& e : in.engines) {
    auto* r = micro_group(in.d, "table1", "release", e, "pair-cached-preload-srs");
    auto* g = micro_group(in.d, "table1", "debug", e, "pair-cached-preload-srs");
    if (r && g && finite_pos(r->ns_per_call.mean)) {
      dbg.push_back(fmt::format("{} {}", e, fmt_ratio(g->ns_per_call.mean / r->ns_per_call.mean)));
    }
  }
  if (dbg.empty()) return std::nullopt;
  return listed("The Debug host makes the same hop (Pair, cached, self-referential struct) ", dbg) +
         " slower than the Release host (paper, Wasmer: about 10×): the host's own layer is what the build type changes.";
}

// 6. Compile + instantiate (Figure 5).
std::optional<std::string> setup_cost(const FindingInputs& in) {
  std::vector<std::string> parts;
  for (const auto& e : in.sandboxed) {
    auto* g = micro_group(in.d, "table1", in.build, e, "pair-cached-preload");
    if (!g) continue;
    const double setup = g->compile_s.mean + g->instantiate_s.mean;
    const double calls = g->ns_per_call.mean > 0 ? setup * 1e9 / g->ns_per_call.mean : NAN;
    parts.push_back(fmt::format("{} {} (= {:.0f} calls)", e, fmt_seconds(setup), calls));
  }
  if (parts.empty()) return std::nullopt;
  return listed("Compiling + instantiating the micro-benchmark module costs ", parts) +
         " — paid once per script load (wasm2c's compiled objects are cached on disk).";
}

// 7. Batching (micro sweep).
std::optional<std::string> batching(const FindingInputs& in) {
  std::vector<std::string> parts;
  std::uint64_t largest = 0;
  for (const auto& g : in.d.micro) {
    if (g.key.experiment == "batch" && g.key.batch_size) largest = std::max(largest, *g.key.batch_size);
  }
  for (const auto& e : in.sandboxed) {
    auto* one = micro_group(in.d, "batch", in.build, e, "batch-pod-static", 1);
    auto* big = micro_group(in.d, "batch", in.build, e, "batch-pod-static", largest);
    if (one && big && finite_pos(big->ns_per_call.mean)) {
      const double per_rec = big->ns_per_call.mean / double(largest);
      parts.push_back(fmt::format("{} {} → {}", e, fmt_ns(one->ns_per_call.mean), fmt_ns(per_rec)));
    }
  }
  if (parts.empty() || largest <= 1) return std::nullopt;
  return listed(fmt::format("Batching amortizes the hop: per record, 1 → {} records per call: ", largest), parts) + ".";
}

// 7b. Both directions of the hop (guest-to-host: guest loops calling a host function).
std::optional<std::string> both_directions(const FindingInputs& in) {
  std::vector<std::string> parts;
  for (const auto& e : in.engines) {
    auto* to_guest = micro_group(in.d, "table1", in.build, e, "pair-typed");
    auto* to_host = micro_group(in.d, "hostcall", in.build, e, "host-pair");
    if (to_guest && to_host && finite_pos(to_guest->ns_per_call.mean) && finite_pos(to_host->ns_per_call.mean)) {
      parts.push_back(fmt::format("{} {} / {}", e, fmt_ns(to_guest->ns_per_call.mean), fmt_ns(to_host->ns_per_call.mean)));
    }
  }
  if (parts.empty()) return std::nullopt;
  return listed("One hop each way, host → guest / guest → host (two i32 in, one out; mean per call): ", parts) + ".";
}

// 7c. Many calls per host request (Instance::call_many) against one at a time.
std::optional<std::string> many_calls(const FindingInputs& in) {
  std::vector<std::string> parts;
  for (const auto& e : in.engines) {
    auto* one = micro_group(in.d, "table1", in.build, e, "pair-typed");
    auto* many = micro_group(in.d, "table1", in.build, e, kManyConfig);
    if (one && many && finite_pos(one->ns_per_call.mean) && finite_pos(many->ns_per_call.mean)) {
      parts.push_back(fmt::format("{} {} / {} ({:.2f}×)", e, fmt_ns(many->ns_per_call.mean), fmt_ns(one->ns_per_call.mean),
                                  many->ns_per_call.mean / one->ns_per_call.mean));
    }
  }
  if (parts.empty()) return std::nullopt;
  return listed("Many calls per host request (`pair-many`: 1024 per `Instance::call_many`) / one at a time "
                "(`pair-typed`), mean per call; engines that make the calls themselves "
                "(`call_many` capability: V8, from a JS loop) gain, the others loop in wasmhop: ",
                parts) +
         ".";
}

}  // namespace wasmhop::report::findings_detail
