#include "report/sim_summary.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "report/micro_summary.hpp"

namespace wasmhop::report {
namespace {

std::string fmt_num(double v) {
  if (!(v == v)) return "";
  return fmt::format("{}", v);
}

constexpr double kNaN = SimGroup::kNone;

using BaselineKey = std::tuple<std::string, std::string, std::string, std::string, std::uint64_t, std::string>;

BaselineKey baseline_key(const SimGroup& g) {
  return {g.purpose, g.trace, g.host_build, g.policy, g.cache_bytes, g.size_change};
}

// Every scripted group against the native direct group on the same trace, policy and cache.
void add_baselines(std::vector<SimGroup>& groups) {
  std::map<BaselineKey, const SimGroup*> native;
  for (const auto& g : groups) {
    if (g.engine == "native-direct") native.emplace(baseline_key(g), &g);
  }
  std::vector<std::pair<double, double>> base(groups.size(), {kNaN, kNaN});
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (groups[i].engine == "native-direct") continue;
    if (auto it = native.find(baseline_key(groups[i])); it != native.end()) {
      base[i] = {it->second->cpu_s.median, it->second->wall_s.median};
    }
  }
  auto ratio = [](double t, double b) { return b > 0 && std::isfinite(t) ? t / b : kNaN; };
  for (std::size_t i = 0; i < groups.size(); ++i) {
    SimGroup& g = groups[i];
    std::tie(g.native_cpu_s_median, g.native_wall_s_median) = base[i];
    g.ratio_cpu_median = ratio(g.cpu_s.median, g.native_cpu_s_median);
    g.ratio_wall_median = ratio(g.wall_s.median, g.native_wall_s_median);
  }
}

}  // namespace

std::vector<SimGroup> summarize_sim(const std::vector<SimRecord>& rows, double confidence) {
  using Key = std::tuple<std::string, std::string, std::string, std::string, std::uint64_t, std::string, std::string,
                         std::string, std::string, bool>;
  std::map<Key, std::vector<const SimRecord*>> by;
  for (const auto& r : rows) {
    by[Key{r.purpose, r.trace, r.host_build, r.policy_label(), r.cache_bytes, r.size_change, r.engine_id(), r.tier,
           r.abi, !r.cached}]
        .push_back(&r);
  }
  std::vector<SimGroup> out;
  for (const auto& [k, v] : by) {
    SimGroup g;
    const SimRecord& f = *v.front();
    g.purpose = f.purpose;
    g.trace = f.trace;
    g.host_build = f.host_build;
    g.policy = f.policy_label();
    g.size_change = f.size_change;
    g.cache_bytes = f.cache_bytes;
    g.engine = f.engine_id();
    g.tier = f.tier;
    g.abi = f.abi;
    g.cached = f.cached;
    g.scenario = f.scenario();
    g.requests = f.requests;
    g.hits = f.hits;
    g.bytes_requested = f.bytes_requested;
    g.bytes_hit = f.bytes_hit;
    std::vector<double> cpu, wall, setup;
    for (const SimRecord* r : v) {
      g.counts_agree = g.counts_agree && r->hits == f.hits && r->requests == f.requests && r->bytes_hit == f.bytes_hit;
      cpu.push_back(r->sim_cpu_s);
      wall.push_back(r->sim_s);
      setup.push_back(r->setup_s);
    }
    g.cpu_s = summarize(cpu, confidence);
    g.wall_s = summarize(wall, confidence);
    g.setup_s = summarize(setup, confidence);
    out.push_back(std::move(g));
  }
  add_baselines(out);
  return out;
}

CountCheck check_counts(const std::vector<SimRecord>& rows, const std::string& purpose) {
  using Key = std::tuple<std::string, std::string, std::uint64_t, std::string>;
  std::map<Key, const SimRecord*> native;
  for (const auto& r : rows) {
    if (r.purpose == purpose && r.direct() && r.engine == "native") {
      native.emplace(Key{r.trace, r.policy_label(), r.cache_bytes, r.size_change}, &r);
    }
  }
  CountCheck c;
  for (const auto& r : rows) {
    if (r.purpose != purpose || r.direct()) continue;
    if (std::find(c.engines.begin(), c.engines.end(), r.engine_id()) == c.engines.end()) c.engines.push_back(r.engine_id());
    auto it = native.find(Key{r.trace, r.policy_label(), r.cache_bytes, r.size_change});
    if (it == native.end()) {
      ++c.without_reference;
      continue;
    }
    ++c.compared;
    const SimRecord& n = *it->second;
    if (r.requests != n.requests || r.hits != n.hits || r.bytes_requested != n.bytes_requested ||
        r.bytes_hit != n.bytes_hit) {
      ++c.mismatches;
      if (c.details.size() < 10) {
        c.details.push_back(fmt::format("{} {} ({} host) {} at {} B: hits {} vs native {}, bytes hit {} vs {}", r.engine_id(),
                                        r.scenario(), r.host_build, r.policy_label(), r.cache_bytes, r.hits, n.hits,
                                        r.bytes_hit, n.bytes_hit));
      }
    }
  }
  return c;
}

bool policy_matches(const std::string& label, const std::string& name) {
  return label == name || label == name + "(one)";
}

std::vector<Penalty> penalties(const std::vector<SimGroup>& groups) {
  using Key = std::tuple<std::string, std::string, std::string, std::uint64_t, std::string>;
  std::map<Key, const SimGroup*> native;
  for (const auto& g : groups) {
    if (g.purpose == "time" && g.engine == "native-direct") {
      native.emplace(Key{g.trace, g.host_build, g.policy, g.cache_bytes, g.size_change}, &g);
    }
  }
  std::vector<Penalty> out;
  for (const auto& g : groups) {
    if (g.purpose != "time" || g.engine == "native-direct") continue;
    auto it = native.find(Key{g.trace, g.host_build, g.policy, g.cache_bytes, g.size_change});
    if (it == native.end() || !(it->second->cpu_s.mean > 0)) continue;
    Penalty p;
    p.host_build = g.host_build;
    p.engine = g.engine;
    p.tier = g.tier;
    p.scenario = g.scenario;
    p.abi = g.abi;
    p.cached = g.cached;
    p.policy = g.policy;
    p.scripted_s = g.cpu_s.mean;
    p.native_s = it->second->cpu_s.mean;
    p.ratio = p.scripted_s / p.native_s;
    out.push_back(std::move(p));
  }
  return out;
}

Status write_sim_summary_csv(const std::filesystem::path& path, const std::vector<SimGroup>& groups) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path);
  if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", path.string()));
  out << "purpose,trace,host_build,policy,cache_bytes,size_change,engine,tier,scenario,abi,cached,requests,hits,"
         "bytes_requested,bytes_hit,hit_rate,byte_hit_rate,counts_agree,n,cpu_s_mean,cpu_s_sd,cpu_s_median,"
         "cpu_s_ci_low,cpu_s_ci_high,cpu_s_ci_half,wall_s_mean,wall_s_median,wall_s_ci_half,setup_s_mean,"
         "ns_per_request,native_cpu_s_median,native_wall_s_median,ratio_cpu_median,ratio_wall_median,schema\r\n";
  for (const auto& g : groups) {
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},",
                       csv_escape(g.purpose), csv_escape(g.trace), csv_escape(g.host_build), csv_escape(g.policy),
                       g.cache_bytes, csv_escape(g.size_change), csv_escape(g.engine), csv_escape(g.tier),
                       csv_escape(g.scenario), csv_escape(g.abi), g.cached ? "true" : "false", g.requests, g.hits,
                       g.bytes_requested, g.bytes_hit, fmt_num(g.hit_rate()), fmt_num(g.byte_hit_rate()),
                       g.counts_agree ? "true" : "false", g.cpu_s.n, fmt_num(g.cpu_s.mean), fmt_num(g.cpu_s.sd),
                       fmt_num(g.cpu_s.median), fmt_num(g.cpu_s.ci_low), fmt_num(g.cpu_s.ci_high),
                       fmt_num(g.cpu_s.ci_half_width), fmt_num(g.wall_s.mean), fmt_num(g.wall_s.median),
                       fmt_num(g.wall_s.ci_half_width), fmt_num(g.setup_s.mean), fmt_num(g.ns_per_request()));
    out << fmt::format("{},{},{},{},{}\r\n", fmt_num(g.native_cpu_s_median), fmt_num(g.native_wall_s_median),
                       fmt_num(g.ratio_cpu_median), fmt_num(g.ratio_wall_median), kSimSummarySchema);
  }
  if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", path.string()));
  return {};
}

}  // namespace wasmhop::report
