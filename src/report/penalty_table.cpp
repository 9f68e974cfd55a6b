// The penalty table beside the findings: per engine, the scripted / native range over the paper's
// ABI scenarios for each policy, and the scenario with the lowest geometric mean.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "report/findings_helpers.hpp"

namespace wasmhop::report {
namespace {

using namespace findings_detail;

// The engine the paper measured its simulator with (Wasmer with Cranelift; Singlepass and LLVM only
// in its micro-benchmark).
constexpr const char* kPaperEngine = "wasmer-cranelift";

// Best scenario: the lowest geometric mean over the policies (any ABI, batch included), as
// "<scenario> <ratio>"; empty when the engine has none.
std::string best_scenario(const std::vector<Penalty>& pens, const std::string& build, const std::string& e) {
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
  return best.empty() ? best : fmt::format("{} {}", best, fmt_ratio(best_g));
}

}  // namespace

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
    const std::string best = best_scenario(pens, build, e);
    row.push_back(best.empty() ? "–" : best);
    row.push_back(e == kPaperEngine ? "5–10×" : "");
    if (any || !best.empty()) t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace wasmhop::report
