// Lookups in a suite's summaries for the findings: micro groups, the plan's engines and policies,
// which engines are sandboxed and their tiers, the headline host build.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "report/findings_helpers.hpp"

namespace wasmhop::report {

using nlohmann::json;

namespace findings_detail {

bool finite_pos(double v) { return std::isfinite(v) && v > 0; }

const GroupSummary* micro_group(const SuiteData& d, const std::string& experiment, const std::string& build,
                                const std::string& engine, const std::string& config,
                                std::optional<std::uint64_t> batch, std::optional<std::uint64_t> payload) {
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

bool paper_abi(const std::string& abi) { return abi == "pair" || abi == "bincode" || abi == "pod-static"; }

double median_of(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace findings_detail

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

}  // namespace wasmhop::report
