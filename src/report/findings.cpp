#include "report/findings.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include <fmt/format.h>

namespace wasmhop::report {
namespace {

using nlohmann::json;

bool finite_pos(double v) { return std::isfinite(v) && v > 0; }

const GroupSummary* micro_group(const SuiteData& d, const std::string& experiment, const std::string& build,
                                const std::string& engine, const std::string& config,
                                std::optional<std::uint64_t> batch = std::nullopt,
                                std::optional<std::uint64_t> payload = std::nullopt) {
  for (const auto& g : d.micro) {
    if (g.key.experiment == experiment && g.key.host_build == build && g.key.engine == engine &&
        g.key.config == config && g.key.batch_size == batch && g.key.payload_bytes == payload) {
      return &g;
    }
  }
  return nullptr;
}

std::vector<std::string> plan_engines(const SuiteData& d) {
  std::vector<std::string> out;
  for (const auto& e : d.suite.value("params", json::object()).value("engines", json::array())) {
    out.push_back(e.value("id", std::string()));
  }
  if (out.empty()) {
    std::set<std::string> seen;
    for (const auto& g : d.micro) {
      if (seen.insert(g.key.engine).second) out.push_back(g.key.engine);
    }
  }
  return out;
}

std::vector<std::string> plan_policies(const SuiteData& d) {
  return d.suite.value("params", json::object()).value("sim_policies", std::vector<std::string>{});
}

// Table 1's configuration that makes many calls per host request (Instance::call_many): not one
// hop, so the cheapest-hop findings leave it out.
constexpr const char* kManyConfig = "pair-many";

bool paper_abi(const std::string& abi) { return abi == "pair" || abi == "bincode" || abi == "pod-static"; }

double median_of(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string config_words(const std::string& config) {
  static const std::map<std::string, std::string> names{
      {"pod-cached-static", "POD struct in a static buffer, exports cached"},
      {"pod-uncached-static", "POD struct in a static buffer, uncached"},
      {"pod-cached-dynamic", "POD struct in a fresh guest buffer per call, cached"},
      {"pod-uncached-dynamic", "POD struct in a fresh guest buffer per call, uncached"},
      {"bincode-cached", "Bincode, cached"},
      {"bincode-uncached", "Bincode, uncached"},
      {"flatbuffers-cached", "FlatBuffers, cached"},
  };
  auto it = names.find(config);
  return it == names.end() ? config : it->second;
}

// Bytes per second, readable.
std::string fmt_rate(double bps) {
  if (!std::isfinite(bps)) return "n/a";
  if (bps >= 1e9) return fmt::format("{:.1f} GB/s", bps / 1e9);
  if (bps >= 1e6) return fmt::format("{:.0f} MB/s", bps / 1e6);
  return fmt::format("{:.0f} kB/s", bps / 1e3);
}

// 100000 -> "100,000".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string policy_upper(const std::string& p) {
  if (p == "gds") return "GD-Size";
  if (p == "largest-first") return "largest-first";
  std::string out = p;
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string fmt_ns(double ns) {
  if (!std::isfinite(ns)) return "n/a";
  if (ns < 10) return fmt::format("{:.2f} ns", ns);
  if (ns < 100) return fmt::format("{:.1f} ns", ns);
  if (ns < 10000) return fmt::format("{:.0f} ns", ns);
  return fmt::format("{:.1f} µs", ns / 1000);
}

std::string fmt_ratio(double r) {
  if (!std::isfinite(r)) return "n/a";
  if (r < 10) return fmt::format("{:.1f}×", r);
  return fmt::format("{:.0f}×", r);
}

std::string fmt_seconds(double s) {
  if (!std::isfinite(s)) return "n/a";
  if (s < 1e-3) return fmt::format("{:.0f} µs", s * 1e6);
  if (s < 1) return fmt::format("{:.1f} ms", s * 1e3);
  if (s < 120) return fmt::format("{:.2f} s", s);
  return fmt::format("{:.0f} min {:02.0f} s", std::floor(s / 60), std::fmod(s, 60));
}

std::string fmt_bytes(std::uint64_t b) {
  const std::pair<const char*, std::uint64_t> units[] = {{"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10}};
  for (auto [u, k] : units) {
    if (b >= k && b % k == 0) return fmt::format("{} {}", b / k, u);
  }
  for (auto [u, k] : units) {
    if (b >= k) return fmt::format("{:.1f} {}", double(b) / double(k), u);
  }
  return fmt::format("{} B", b);
}

std::string fmt_pct(double f, int decimals) { return fmt::format("{:.{}f}%", 100.0 * f, decimals); }

constexpr const char* kPaperEngine = "wasmer-cranelift";

bool is_sandboxed(const SuiteData& d, const std::string& engine) {
  if (engine == "native" || engine == "native-direct") return false;
  for (const auto& e : d.suite.value("params", json::object()).value("engines", json::array())) {
    if (e.value("id", std::string()) == engine) return e.value("sandboxed", true);
  }
  return true;
}

std::string engine_tier(const SuiteData& d, const std::string& engine) {
  if (engine == "native" || engine == "native-direct") return "native";
  // environment.json records what it could: any part may be null.
  const json hosts = d.environment.is_object() ? d.environment.value("host_builds", json::object()) : json::object();
  for (const auto& [build, host] : hosts.items()) {
    if (!host.is_object() || !host.contains("engines") || !host["engines"].is_array()) continue;
    for (const auto& e : host["engines"]) {
      if (e.is_object() && e.value("id", std::string()) == engine && e.contains("tier") && e["tier"].is_string()) {
        return e["tier"].get<std::string>();
      }
    }
  }
  return {};
}

std::string engine_label(const SuiteData& d, const std::string& engine) {
  const std::string tier = engine_tier(d, engine);
  return tier.empty() || tier == "native" ? engine : fmt::format("{} ({})", engine, tier);
}

std::string headline_build(const SuiteData& d) {
  auto builds = d.suite.value("params", json::object()).value("builds", std::vector<std::string>{});
  if (std::find(builds.begin(), builds.end(), "release") != builds.end()) return "release";
  return builds.empty() ? "release" : builds.front();
}

DocTable penalty_table(const SuiteData& d, const std::string& build) {
  DocTable t;
  const auto pens = penalties(d.sim);
  const auto policies = plan_policies(d);
  t.header = {"engine"};
  for (const auto& p : policies) t.header.push_back(policy_upper(p));
  t.header.push_back("best scenario (geo-mean over policies)");
  t.header.push_back("paper (Wasmer Cranelift)");
  t.right.assign(t.header.size(), true);
  t.right[0] = false;
  t.right[t.header.size() - 2] = false;
  std::vector<std::string> engines = {"native"};
  for (const auto& e : plan_engines(d)) {
    if (e != "native") engines.push_back(e);
  }
  for (const auto& e : engines) {
    std::vector<std::string> row{e == "native" ? "native (no sandbox, same ABIs)" : engine_label(d, e)};
    bool any = false;
    for (const auto& pol : policies) {
      double lo = INFINITY, hi = 0;
      for (const auto& p : pens) {
        if (p.host_build == build && p.engine == e && policy_matches(p.policy, pol) && paper_abi(p.abi)) {
          lo = std::min(lo, p.ratio);
          hi = std::max(hi, p.ratio);
        }
      }
      if (std::isfinite(lo)) {
        any = true;
        row.push_back(fmt::format("{}–{}", fmt_ratio(lo), fmt_ratio(hi)));
      } else {
        row.push_back("–");
      }
    }
    // Best scenario: the lowest geometric mean over the policies (any ABI, batch included).
    std::map<std::string, std::vector<double>> by_scenario;
    for (const auto& p : pens) {
      if (p.host_build == build && p.engine == e && finite_pos(p.ratio)) by_scenario[p.scenario].push_back(p.ratio);
    }
    std::string best;
    double best_g = INFINITY;
    for (const auto& [s, v] : by_scenario) {
      double lg = 0;
      for (double r : v) lg += std::log(r);
      const double g = std::exp(lg / double(v.size()));
      if (g < best_g) {
        best_g = g;
        best = s;
      }
    }
    row.push_back(best.empty() ? "–" : fmt::format("{} {}", best, fmt_ratio(best_g)));
    // The paper measured Wasmer with Cranelift (its figures; Singlepass and LLVM only in the micro-benchmark).
    row.push_back(e == kPaperEngine ? "5–10×" : "");
    if (any || !best.empty()) t.rows.push_back(std::move(row));
  }
  return t;
}

std::vector<std::string> compute_findings(const SuiteData& d) {
  std::vector<std::string> f;
  const std::string build = headline_build(d);
  const auto engines = plan_engines(d);
  std::vector<std::string> sandboxed;
  for (const auto& e : engines) {
    if (is_sandboxed(d, e)) sandboxed.push_back(e);
  }

  // 1. The cheapest sandboxed hop (one call per host request: pair-many's batches are 7c's).
  {
    const GroupSummary* best = nullptr;
    for (const auto& g : d.micro) {
      if (g.key.experiment != "table1" || g.key.host_build != build || g.key.config == "native") continue;
      if (g.key.config == kManyConfig) continue;
      if (!is_sandboxed(d, g.key.engine) || !finite_pos(g.ns_per_call.mean)) continue;
      if (!best || g.ns_per_call.mean < best->ns_per_call.mean) best = &g;
    }
    if (best) {
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
      f.push_back(s + ".");
    }
  }

  // 2. Every engine's cheapest call.
  {
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& e : engines) {
      double m = INFINITY;
      std::string cfg;
      for (const auto& g : d.micro) {
        if (g.key.experiment == "table1" && g.key.host_build == build && g.key.engine == e && g.key.config != "native" &&
            g.key.config != kManyConfig && finite_pos(g.ns_per_call.mean) && g.ns_per_call.mean < m) {
          m = g.ns_per_call.mean;
          cfg = g.key.config;
        }
      }
      if (std::isfinite(m)) ranked.emplace_back(m, fmt::format("{} {}", e, fmt_ns(m)));
    }
    std::sort(ranked.begin(), ranked.end());
    if (ranked.size() > 1) {
      std::string s = "Cheapest call per engine (" + build + " host): ";
      for (std::size_t i = 0; i < ranked.size(); ++i) s += (i ? ", " : "") + ranked[i].second;
      s += fmt::format(" — a {} spread between the fastest and the slowest engine.",
                       fmt_ratio(ranked.back().first / ranked.front().first));
      f.push_back(s);
    }
  }

  // 3. The best ABI for arbitrary data (memory-passing configurations of Table 1, then payloads).
  {
    std::map<std::string, int> wins;
    std::map<std::string, std::vector<double>> vs_pair;  // config -> (config / pair-cached-preload) per engine
    std::vector<std::string> examples;
    for (const auto& e : sandboxed) {
      const GroupSummary* best = nullptr;
      const GroupSummary* pair = micro_group(d, "table1", build, e, "pair-cached-preload");
      for (const auto& g : d.micro) {
        if (g.key.experiment != "table1" || g.key.host_build != build || g.key.engine != e) continue;
        if (g.abi == "pair" || g.abi == "native" || g.abi == "batch" || !finite_pos(g.ns_per_call.mean)) continue;
        if (pair && finite_pos(pair->ns_per_call.mean)) vs_pair[g.key.config].push_back(g.ns_per_call.mean / pair->ns_per_call.mean);
        if (!best || g.ns_per_call.mean < best->ns_per_call.mean) best = &g;
      }
      if (best) {
        ++wins[best->key.config];
        examples.push_back(fmt::format("{} {}", e, fmt_ns(best->ns_per_call.mean)));
      }
    }
    if (!wins.empty()) {
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
      if (!others.empty()) {
        s += " (";
        for (std::size_t i = 0; i < others.size(); ++i) s += (i ? ", " : "") + others[i];
        s += ")";
      }
      // Large payloads: the highest throughput at the largest payload of the sweep.
      std::uint64_t largest = 0;
      for (const auto& g : d.micro) {
        if (g.key.experiment == "payload" && g.key.host_build == build && g.key.payload_bytes) {
          largest = std::max(largest, *g.key.payload_bytes);
        }
      }
      if (largest) {
        // Per engine: the fastest configuration at the largest payload and the spread across configurations.
        std::vector<std::string> rates;
        int close = 0, engines_n = 0;
        for (const auto& e : sandboxed) {
          double lo = INFINITY, hi = 0;
          for (const auto& g : d.micro) {
            if (g.key.experiment == "payload" && g.key.host_build == build && g.key.engine == e &&
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
        if (engines_n > 0) {
          s += fmt::format("; with {} payloads the ABIs come within 10% of each other on {} of {} engines (the copy "
                           "dominates; best throughput: ",
                           fmt_bytes(largest), close, engines_n);
          for (std::size_t i = 0; i < rates.size(); ++i) s += (i ? ", " : "") + rates[i];
          s += ")";
        }
      }
      f.push_back(s + ".");
    }
  }

  // 3b. The component model's canonical ABI.
  if (auto c = canonical_finding(d, build)) f.push_back(*c);

  // 4. The simulator: scripted / native penalty per engine (paper: 5-10x).
  {
    const auto pens = penalties(d.sim);
    std::vector<std::string> parts;
    for (const auto& e : engines) {
      if (!is_sandboxed(d, e)) continue;
      double lo = INFINITY, hi = 0;
      std::vector<double> batch;
      for (const auto& p : pens) {
        if (p.host_build != build || p.engine != e) continue;
        if (paper_abi(p.abi)) {
          lo = std::min(lo, p.ratio);
          hi = std::max(hi, p.ratio);
        }
        if (p.abi == "batch" && p.cached) batch.push_back(p.ratio);
      }
      if (!std::isfinite(lo)) continue;
      std::string part = fmt::format("{} {}–{}", e, fmt_ratio(lo), fmt_ratio(hi));
      if (!batch.empty()) part += fmt::format(" (batched: {})", fmt_ratio(median_of(batch)));
      parts.push_back(part);
    }
    if (!parts.empty()) {
      std::string s = fmt::format("**Simulator penalty, scripted vs native** ({} host, {} cache, CPU time, range over "
                                  "the paper's six ABI scenarios and the policies; paper, Wasmer Cranelift: **5–10×**): ",
                                  build, d.suite.value("params", json::object()).value("sim_cache", std::string("4MiB")));
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? "; " : "") + parts[i];
      f.push_back(s + ". Per policy in the table below.");
    }
  }

  // 5. Reference caching and the Debug host.
  {
    std::vector<double> gain;
    for (const auto& e : sandboxed) {
      auto* u = micro_group(d, "table1", build, e, "pair-uncached-preload");
      auto* c = micro_group(d, "table1", build, e, "pair-cached-preload");
      if (u && c && finite_pos(c->ns_per_call.mean)) gain.push_back(u->ns_per_call.mean / c->ns_per_call.mean - 1.0);
    }
    if (!gain.empty()) {
      auto [mn, mx] = std::minmax_element(gain.begin(), gain.end());
      f.push_back(fmt::format("Looking the export up by name on every call (uncached Pair) costs {:+.0f}% to {:+.0f}% "
                              "per call over a cached handle across the sandboxed engines (paper: up to 15%).",
                              100 * *mn, 100 * *mx));
    }
    std::vector<std::pair<std::string, double>> dbg;
    for (const auto& e : engines) {
      auto* r = micro_group(d, "table1", "release", e, "pair-cached-preload-srs");
      auto* g = micro_group(d, "table1", "debug", e, "pair-cached-preload-srs");
      if (r && g && finite_pos(r->ns_per_call.mean)) dbg.emplace_back(e, g->ns_per_call.mean / r->ns_per_call.mean);
    }
    if (!dbg.empty()) {
      std::string s = "The Debug host makes the same hop (Pair, cached, self-referential struct) ";
      for (std::size_t i = 0; i < dbg.size(); ++i) s += (i ? ", " : "") + fmt::format("{} {}", dbg[i].first, fmt_ratio(dbg[i].second));
      f.push_back(s + " slower than the Release host (paper, Wasmer: about 10×): the host's own layer is what the build type changes.");
    }
  }

  // 6. Compile + instantiate (Figure 5).
  {
    std::vector<std::string> parts;
    for (const auto& e : sandboxed) {
      auto* g = micro_group(d, "table1", build, e, "pair-cached-preload");
      if (!g) continue;
      const double setup = g->compile_s.mean + g->instantiate_s.mean;
      const double calls = g->ns_per_call.mean > 0 ? setup * 1e9 / g->ns_per_call.mean : NAN;
      parts.push_back(fmt::format("{} {} (= {:.0f} calls)", e, fmt_seconds(setup), calls));
    }
    if (!parts.empty()) {
      std::string s = "Compiling + instantiating the micro-benchmark module costs ";
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
      f.push_back(s + " — paid once per script load (wasm2c's compiled objects are cached on disk).");
    }
  }

  // 7. Batching (micro sweep).
  {
    std::vector<std::string> parts;
    std::uint64_t largest = 0;
    for (const auto& g : d.micro) {
      if (g.key.experiment == "batch" && g.key.batch_size) largest = std::max(largest, *g.key.batch_size);
    }
    for (const auto& e : sandboxed) {
      auto* one = micro_group(d, "batch", build, e, "batch-pod-static", 1);
      auto* big = micro_group(d, "batch", build, e, "batch-pod-static", largest);
      if (one && big && finite_pos(big->ns_per_call.mean)) {
        const double per_rec = big->ns_per_call.mean / double(largest);
        parts.push_back(fmt::format("{} {} → {}", e, fmt_ns(one->ns_per_call.mean), fmt_ns(per_rec)));
      }
    }
    if (!parts.empty() && largest > 1) {
      std::string s = fmt::format("Batching amortizes the hop: per record, 1 → {} records per call: ", largest);
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
      f.push_back(s + ".");
    }
  }

  // 7b. Both directions of the hop (guest-to-host: guest loops calling a host function).
  {
    std::vector<std::string> parts;
    for (const auto& e : plan_engines(d)) {
      auto* in = micro_group(d, "table1", build, e, "pair-typed");
      auto* out = micro_group(d, "hostcall", build, e, "host-pair");
      if (in && out && finite_pos(in->ns_per_call.mean) && finite_pos(out->ns_per_call.mean)) {
        parts.push_back(fmt::format("{} {} / {}", e, fmt_ns(in->ns_per_call.mean), fmt_ns(out->ns_per_call.mean)));
      }
    }
    if (!parts.empty()) {
      std::string s = "One hop each way, host → guest / guest → host (two i32 in, one out; mean per call): ";
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
      f.push_back(s + ".");
    }
  }

  // 7c. Many calls per host request (Instance::call_many) against one at a time.
  {
    std::vector<std::string> parts;
    for (const auto& e : plan_engines(d)) {
      auto* one = micro_group(d, "table1", build, e, "pair-typed");
      auto* many = micro_group(d, "table1", build, e, kManyConfig);
      if (one && many && finite_pos(one->ns_per_call.mean) && finite_pos(many->ns_per_call.mean)) {
        parts.push_back(fmt::format("{} {} / {} ({:.2f}×)", e, fmt_ns(many->ns_per_call.mean), fmt_ns(one->ns_per_call.mean),
                                    many->ns_per_call.mean / one->ns_per_call.mean));
      }
    }
    if (!parts.empty()) {
      std::string s = "Many calls per host request (`pair-many`: 1024 per `Instance::call_many`) / one at a time "
                      "(`pair-typed`), mean per call; engines that make the calls themselves "
                      "(`call_many` capability: V8, from a JS loop) gain, the others loop in wasmhop: ";
      for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
      f.push_back(s + ".");
    }
  }

  // 8. Hit rates beside the paper's, and correctness.
  {
    auto rates_at = [&](const std::string& trace, std::uint64_t size) {
      std::vector<std::pair<std::string, double>> out;
      for (const auto& pol : std::vector<std::string>{"fifo", "lru", "lfu", "gds", "largest-first"}) {
        for (const auto& g : d.sim) {
          if (g.purpose == "sweep" && g.trace == trace && g.engine == "native-direct" && policy_matches(g.policy, pol) &&
              g.cache_bytes == size && g.size_change == "first-size") {
            out.emplace_back(pol, g.hit_rate());
          }
        }
      }
      return out;
    };
    const std::uint64_t four = 4ull << 20;
    auto w = rates_at("workload", four);
    if (!w.empty()) {
      std::string s = "Hit rates at 4 MiB on the generated workload: ";
      for (std::size_t i = 0; i < w.size(); ++i) s += (i ? ", " : "") + fmt::format("{} {}", policy_upper(w[i].first), fmt_pct(w[i].second, 1));
      auto p = rates_at("paper-trace", four);
      if (!p.empty()) {
        s += "; on the paper's own trace: ";
        for (std::size_t i = 0; i < p.size(); ++i) s += (i ? ", " : "") + fmt::format("{} {}", policy_upper(p[i].first), fmt_pct(p[i].second, 1));
      }
      s += " (paper: FIFO ~91%, LRU ~94%, LFU ~96.5%, GD-Size ~95.5% — its GD-Size behaves like our largest-first).";
      // Plateau: the smallest size where every policy is within 0.01% of its largest-size value.
      f.push_back(s);
    }
    const auto& cs = d.check_sample;
    const auto& ct = d.check_time;
    if (cs.compared + ct.compared > 0) {
      if (cs.mismatches + ct.mismatches == 0) {
        f.push_back(fmt::format("**Every engine reproduced the native hit counts exactly**: {} sampled sweep runs ({} "
                                "engines) and {} timed runs.",
                                cs.compared, cs.engines.size(), ct.compared));
      } else {
        f.push_back(fmt::format("**{} runs did not reproduce the native hit counts** (of {} compared): {}",
                                cs.mismatches + ct.mismatches, cs.compared + ct.compared,
                                cs.details.empty() ? (ct.details.empty() ? std::string() : ct.details.front())
                                                   : cs.details.front()));
      }
    }
  }

  // 9. What did not run.
  {
    std::vector<std::string> failed;
    for (const auto& s : d.steps) {
      if (!s.done) failed.push_back(s.id);
    }
    if (!failed.empty()) {
      std::string s = fmt::format("**{} step(s) did not complete** and are missing from these results: ", failed.size());
      for (std::size_t i = 0; i < failed.size() && i < 8; ++i) s += (i ? ", " : "") + ("`" + failed[i] + "`");
      if (failed.size() > 8) s += ", …";
      f.push_back(s + ".");
    }
  }

  // 10. Noise the records cannot show: a single-threaded child that got much less than a core (its
  // wall time well above its CPU time) shared the machine with something else, and its times are inflated.
  {
    std::vector<std::string> busy;
    for (const auto& s : d.steps) {
      if (s.done && s.cpu_s > 0.5 && s.wall_s > 1.3 * s.cpu_s) {
        busy.push_back(fmt::format("`{}` ({:.1f} s wall, {:.1f} s CPU)", s.id, s.wall_s, s.cpu_s));
      }
    }
    if (!busy.empty()) {
      std::string s = fmt::format("**The machine was busy during {} step(s)**: their process got less than 77% of a "
                                  "core, so their times are inflated (rerun them on a quiet machine): ",
                                  busy.size());
      for (std::size_t i = 0; i < busy.size() && i < 8; ++i) s += (i ? ", " : "") + busy[i];
      if (busy.size() > 8) s += ", …";
      f.push_back(s + ".");
    }
  }
  return f;
}

}  // namespace wasmhop::report
