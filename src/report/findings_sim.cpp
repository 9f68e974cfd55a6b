// The simulator's findings (one function each): the scripted / native penalty per engine beside the
// paper's 5-10x, hit rates beside the paper's, and whether every engine reproduced the native counts.
#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "report/findings_helpers.hpp"

namespace wasmhop::report::findings_detail {
namespace {

using nlohmann::json;

// "<POLICY> <hit rate>, ..." of the native-direct sweep runs of `trace` at `size` (first-size mode),
// in the paper's policy order; empty when there are none.
std::string rates_at(const SuiteData& d, const std::string& trace, std::uint64_t size) {
  std::string out;
  for (const auto& pol : std::vector<std::string>{"fifo", "lru", "lfu", "gds", "largest-first"}) {
    for (const auto& g : d.sim) {
      if (g.purpose == "sweep" && g.trace == trace && g.engine == "native-direct" && policy_matches(g.policy, pol) &&
          g.cache_bytes == size && g.size_change == "first-size") {
        out += (out.empty() ? "" : ", ") + fmt::format("{} {}", policy_upper(pol), fmt_pct(g.hit_rate(), 1));
      }
    }
  }
  return out;
}

}  // namespace

// 4. The simulator: scripted / native penalty per engine (paper: 5-10x).
std::optional<std::string> sim_penalty(const FindingInputs& in) {
  const auto pens = penalties(in.d.sim);
  std::vector<std::string> parts;
  for (const auto& e : in.sandboxed) {
    double lo = INFINITY, hi = 0;
    std::vector<double> batch;
    for (const auto& p : pens) {
      if (p.host_build != in.build || p.engine != e) continue;
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
  if (parts.empty()) return std::nullopt;
  std::string s = fmt::format("**Simulator penalty, scripted vs native** ({} host, {} cache, CPU time, range over "
                              "the paper's six ABI scenarios and the policies; paper, Wasmer Cranelift: **5–10×**): ",
                              in.build,
                              in.d.suite.value("params", json::object()).value("sim_cache", std::string("4MiB")));
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? "; " : "") + parts[i];
  return s + ". Per policy in the table below.";
}

// 8a. Hit rates beside the paper's.
std::optional<std::string> hit_rates(const FindingInputs& in) {
  const std::uint64_t four = 4ull << 20;
  const std::string w = rates_at(in.d, "workload", four);
  if (w.empty()) return std::nullopt;
  std::string s = "Hit rates at 4 MiB on the generated workload: " + w;
  const std::string p = rates_at(in.d, "paper-trace", four);
  if (!p.empty()) s += "; on the paper's own trace: " + p;
  return s + " (paper: FIFO ~91%, LRU ~94%, LFU ~96.5%, GD-Size ~95.5% — its GD-Size behaves like our largest-first).";
}

// 8b. Correctness: every engine's hit counts against the native ones.
std::optional<std::string> exact_counts(const FindingInputs& in) {
  const auto& cs = in.d.check_sample;
  const auto& ct = in.d.check_time;
  if (cs.compared + ct.compared == 0) return std::nullopt;
  if (cs.mismatches + ct.mismatches == 0) {
    return fmt::format("**Every engine reproduced the native hit counts exactly**: {} sampled sweep runs ({} "
                       "engines) and {} timed runs.",
                       cs.compared, cs.engines.size(), ct.compared);
  }
  return fmt::format("**{} runs did not reproduce the native hit counts** (of {} compared): {}",
                     cs.mismatches + ct.mismatches, cs.compared + ct.compared,
                     cs.details.empty() ? (ct.details.empty() ? std::string() : ct.details.front())
                                        : cs.details.front());
}

}  // namespace wasmhop::report::findings_detail
