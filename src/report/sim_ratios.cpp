#include "report/sim_ratios.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "report/micro_summary.hpp"

namespace wasmhop::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

RatioRange range_of(const std::vector<double>& ratios) {
  if (ratios.empty()) return {kNaN, kNaN, kNaN};
  double log_sum = 0;
  for (double r : ratios) log_sum += std::log(r);
  const auto [lo, hi] = std::minmax_element(ratios.begin(), ratios.end());
  return {std::exp(log_sum / double(ratios.size())), *lo, *hi};
}

std::string num(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

}  // namespace

std::vector<SimRatios> summarize_ratios(const std::vector<SimGroup>& groups) {
  using Key = std::tuple<std::string, std::string, std::string, std::uint64_t, std::string, std::string, std::string,
                         std::string, bool>;
  std::map<Key, std::pair<SimRatios, std::pair<std::vector<double>, std::vector<double>>>> by;
  auto usable = [](double r) { return std::isfinite(r) && r > 0; };
  for (const auto& g : groups) {
    if (g.engine == "native-direct" || !usable(g.ratio_cpu_median)) continue;
    auto [it, fresh] = by.try_emplace(
        Key{g.purpose, g.trace, g.host_build, g.cache_bytes, g.size_change, g.engine, g.tier, g.abi, !g.cached});
    auto& [r, values] = it->second;
    if (fresh) {
      r = SimRatios{g.purpose, g.trace, g.host_build, g.size_change, g.engine, g.tier, g.scenario, g.abi,
                    g.cached,  g.cache_bytes, g.requests, 0, {}, {}};
    }
    ++r.policies;
    values.first.push_back(g.ratio_cpu_median);
    if (usable(g.ratio_wall_median)) values.second.push_back(g.ratio_wall_median);
  }
  std::vector<SimRatios> out;
  for (auto& [k, entry] : by) {
    auto& [r, values] = entry;
    r.cpu = range_of(values.first);
    r.wall = range_of(values.second);
    out.push_back(std::move(r));
  }
  return out;
}

Status write_sim_ratios_csv(const std::filesystem::path& path, const std::vector<SimRatios>& ratios) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", path.string()));
  out << "purpose,trace,host_build,cache_bytes,size_change,engine,tier,scenario,abi,cached,requests,policies,"
         "cpu_ratio_geomean,cpu_ratio_min,cpu_ratio_max,wall_ratio_geomean,wall_ratio_min,wall_ratio_max,schema\r\n";
  for (const auto& r : ratios) {
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_escape(r.purpose),
                       csv_escape(r.trace), csv_escape(r.host_build), r.cache_bytes, csv_escape(r.size_change),
                       csv_escape(r.engine), csv_escape(r.tier), csv_escape(r.scenario), csv_escape(r.abi),
                       r.cached ? "true" : "false", r.requests, r.policies, num(r.cpu.geomean), num(r.cpu.min),
                       num(r.cpu.max), num(r.wall.geomean), num(r.wall.min), num(r.wall.max), kSimSummarySchema);
  }
  if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", path.string()));
  return {};
}

Status write_sim_summaries(const std::filesystem::path& dir, const std::vector<SimGroup>& groups) {
  if (auto st = write_sim_summary_csv(dir / "sim_summary.csv", groups); !st) return st;
  return write_sim_ratios_csv(dir / "sim_ratios.csv", summarize_ratios(groups));
}

}  // namespace wasmhop::report
