// compute_findings: the report's findings in order, one function per finding (the micro-benchmark's
// in findings_micro.cpp, the simulator's in findings_sim.cpp, the run's own below).
#include "report/findings.hpp"

#include <utility>

#include <fmt/format.h>

#include "report/findings_helpers.hpp"

namespace wasmhop::report {
namespace {

using namespace findings_detail;

// 9. What did not run.
std::optional<std::string> incomplete_steps(const FindingInputs& in) {
  std::vector<std::string> failed;
  for (const auto& s : in.d.steps) {
    if (!s.done) failed.push_back(s.id);
  }
  if (failed.empty()) return std::nullopt;
  std::string s = fmt::format("**{} step(s) did not complete** and are missing from these results: ", failed.size());
  for (std::size_t i = 0; i < failed.size() && i < 8; ++i) s += (i ? ", " : "") + ("`" + failed[i] + "`");
  if (failed.size() > 8) s += ", …";
  return s + ".";
}

// 10. Noise the records cannot show: a single-threaded child that got much less than a core (its
// wall time well above its CPU time) shared the machine with something else, and its times are inflated.
std::optional<std::string> busy_machine(const FindingInputs& in) {
  std::vector<std::string> busy;
  for (const auto& s : in.d.steps) {
    if (s.done && s.cpu_s > 0.5 && s.wall_s > 1.3 * s.cpu_s) {
      busy.push_back(fmt::format("`{}` ({:.1f} s wall, {:.1f} s CPU)", s.id, s.wall_s, s.cpu_s));
    }
  }
  if (busy.empty()) return std::nullopt;
  std::string s = fmt::format("**The machine was busy during {} step(s)**: their process got less than 77% of a "
                              "core, so their times are inflated (rerun them on a quiet machine): ",
                              busy.size());
  for (std::size_t i = 0; i < busy.size() && i < 8; ++i) s += (i ? ", " : "") + busy[i];
  if (busy.size() > 8) s += ", …";
  return s + ".";
}

// 3b. The component model's canonical ABI (findings_canonical.cpp).
std::optional<std::string> canonical(const FindingInputs& in) { return canonical_finding(in.d, in.build); }

}  // namespace

std::vector<std::string> compute_findings(const SuiteData& d) {
  FindingInputs in{d, headline_build(d), plan_engines(d), {}};
  for (const auto& e : in.engines) {
    if (is_sandboxed(d, e)) in.sandboxed.push_back(e);
  }
  using Finding = std::optional<std::string> (*)(const FindingInputs&);
  // Most important first: the numbers of the hop, then the simulator's, then what the run itself shows.
  static constexpr Finding kFindings[] = {
      cheapest_hop, cheapest_per_engine, best_abi, canonical,                          // 1-3b
      sim_penalty,                                                                     // 4
      uncached_lookup, debug_host, setup_cost, batching, both_directions, many_calls,  // 5-7c
      hit_rates, exact_counts, incomplete_steps, busy_machine,                         // 8-10
  };
  std::vector<std::string> f;
  for (Finding finding : kFindings) {
    if (auto s = finding(in)) f.push_back(std::move(*s));
  }
  return f;
}

}  // namespace wasmhop::report
