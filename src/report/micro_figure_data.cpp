#include "report/micro_figure_data.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace wasmhop::report {
namespace {

// Whether one '-'-separated word of the configuration name is "native".
bool native_word(const std::string& config) {
  for (std::size_t start = 0;;) {
    const std::size_t end = config.find('-', start);
    if (config.substr(start, end - start) == "native") return true;
    if (end == std::string::npos) return false;
    start = end + 1;
  }
}

bool is_reference_config(const GroupSummary& g) { return g.abi == "native" || native_word(g.key.config); }

}  // namespace

std::vector<ReplicationUnits> replication_units(std::span<const GroupSummary> groups) {
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, ReplicationUnits> by;
  auto add = [&](const GroupSummary& g, Key k) {
    auto [it, fresh] = by.try_emplace(k);
    ReplicationUnits& u = it->second;
    if (fresh) {
      std::tie(u.experiment, u.host_build, u.engine, u.config) = k;
      u.n_min = std::numeric_limits<std::size_t>::max();
      u.calls_min = std::numeric_limits<std::uint64_t>::max();
    }
    u.n_min = std::min(u.n_min, g.ns_per_call.n);
    u.n_max = std::max(u.n_max, g.ns_per_call.n);
    if (g.calls) u.calls_min = std::min(u.calls_min, g.calls), u.calls_max = std::max(u.calls_max, g.calls);
  };
  for (const auto& g : groups) {
    const auto& k = g.key;
    add(g, Key{k.experiment, "", "", ""});
    add(g, Key{k.experiment, k.host_build, "", ""});
    add(g, Key{k.experiment, k.host_build, k.engine, ""});
    add(g, Key{k.experiment, "", "", k.config});
  }
  std::vector<ReplicationUnits> out;
  for (auto& [k, u] : by) {
    if (u.calls_max == 0) u.calls_min = 0;
    out.push_back(std::move(u));
  }
  return out;
}

std::vector<BatchReference> batch_references(std::span<const GroupSummary> groups) {
  std::map<std::string, std::vector<const GroupSummary*>> by_build;
  for (const auto& g : groups) {
    if (g.key.experiment == "batch" && g.key.batch_size && *g.key.batch_size > 0) by_build[g.key.host_build].push_back(&g);
  }
  std::vector<BatchReference> out;
  for (const auto& [build, members] : by_build) {
    BatchReference r;
    r.host_build = build;
    std::vector<const GroupSummary*> refs;
    for (const auto* g : members) {
      if (!is_reference_config(*g)) continue;
      refs.push_back(g);
      if (std::find(r.configs.begin(), r.configs.end(), g->key.config) == r.configs.end()) r.configs.push_back(g->key.config);
    }
    if (refs.empty()) {
      r.from_native_config = false;
      for (const auto* g : members) {
        if (g->key.engine == "native") r.batch_size = std::max(r.batch_size, *g->key.batch_size);
      }
      for (const auto* g : members) {
        if (g->key.engine == "native" && *g->key.batch_size == r.batch_size) refs.push_back(g);
      }
    }
    double best = std::numeric_limits<double>::infinity();
    for (const auto* g : refs) {
      if (std::isfinite(g->ns_per_record.median)) best = std::min(best, g->ns_per_record.median);
    }
    if (!std::isfinite(best)) continue;  // no reference in this build: no line
    r.ns_per_record = best;
    out.push_back(std::move(r));
  }
  return out;
}

nlohmann::json to_json(const ReplicationUnits& u) {
  return {{"experiment", u.experiment}, {"host_build", u.host_build}, {"engine", u.engine}, {"config", u.config},
          {"n_min", u.n_min},           {"n_max", u.n_max},           {"calls_min", u.calls_min},
          {"calls_max", u.calls_max}};
}

nlohmann::json to_json(const BatchReference& r) {
  return {{"host_build", r.host_build}, {"ns_per_record", r.ns_per_record},
          {"from_native_config", r.from_native_config}, {"batch_size", r.batch_size}, {"configs", r.configs}};
}

}  // namespace wasmhop::report
