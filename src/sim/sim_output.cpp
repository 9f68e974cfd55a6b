#include "sim/sim_output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/policies.hpp"
#include "sim/size_parse.hpp"

namespace wasmhop::sim {
namespace {

std::string cost_column(const SimRecord& r) { return r.uses_cost ? cache::to_string(r.config.cost) : "-"; }

}  // namespace

std::string format_table(const SweepResult& result) {
  std::string out;
  const TraceSummary& t = result.trace;
  out += fmt::format("trace {} ({}, compression {}): {} requests", t.path, to_string(t.format), t.compression,
                     t.records);
  if (t.skipped != 0) out += fmt::format(", {} bad records skipped", t.skipped);
  out += fmt::format("; read {:.3f} s{}\n", t.read_seconds,
                     t.read_ahead ? " (streamed, read ahead on a thread of its own)" : t.streamed ? " (streamed)" : "");
  if (result.warmup != 0) out += fmt::format("warm-up: first {} requests excluded from the counts\n", result.warmup);
  if (result.threads > 1)
    out += fmt::format("{} jobs ran in parallel on {} threads: times are not for comparison (use --timed)\n",
                       result.records.size(), result.threads);
  out += fmt::format("{:<15} {:>16} {:<10} {:<11} {:<11} {:<6} {:>10} {:>10} {:>14} {:>14} {:>8} {:>8} {:>9} {:>9} {:>10}\n",
                     "policy", "cache bytes", "size-chg", "engine", "abi", "cached", "requests", "hits", "bytes req",
                     "bytes hit", "HR %", "BHR %", "sim s", "cpu s", "Mreq/s");
  for (const SimRecord& r : result.records) {
    out += fmt::format(
        "{:<15} {:>16} {:<10} {:<11} {:<11} {:<6} {:>10} {:>10} {:>14} {:>14} {:>8.4f} {:>8.4f} {:>9.4f} {:>9.4f} {:>10.2f}\n",
        r.policy_label(), r.config.capacity, cache::to_string(r.config.size_change), r.label.engine, r.label.abi,
        r.label.abi == "direct" ? "-" : (r.label.cached ? "yes" : "no"),
        r.stats.requests, r.stats.hits, r.stats.bytes_requested, r.stats.bytes_hit, 100 * r.hit_rate(),
        100 * r.byte_hit_rate(), r.sim_seconds, r.sim_cpu_seconds, r.requests_per_second() / 1e6);
  }
  return out;
}

std::string to_csv(const SweepResult& result) {
  std::string out =
      "policy,cost,cache_bytes,size_change,engine,tier,abi,cached,requests,hits,bytes_requested,bytes_hit,"
      "hit_rate,byte_hit_rate,setup_seconds,sim_seconds,sim_cpu_seconds,requests_per_second,warmup,read_seconds\n";
  for (const SimRecord& r : result.records) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.1f},{},{:.6f}\n", r.policy,
                       cost_column(r), r.config.capacity, cache::to_string(r.config.size_change), r.label.engine,
                       r.label.tier, r.label.abi, r.label.cached ? "true" : "false", r.stats.requests, r.stats.hits,
                       r.stats.bytes_requested, r.stats.bytes_hit, r.hit_rate(), r.byte_hit_rate(), r.setup_seconds,
                       r.sim_seconds, r.sim_cpu_seconds, r.requests_per_second(), result.warmup, result.trace.read_seconds);
  }
  return out;
}

nlohmann::ordered_json record_row(const SimRecord& r) {
  return {{"policy", r.policy},
          {"cost", cost_column(r)},
          {"cache_bytes", r.config.capacity},
          {"size_change", cache::to_string(r.config.size_change)},
          {"engine", r.label.engine},
          {"tier", r.label.tier},
          {"abi", r.label.abi},
          {"cached", r.label.cached},
          {"requests", r.stats.requests},
          {"hits", r.stats.hits},
          {"bytes_requested", r.stats.bytes_requested},
          {"bytes_hit", r.stats.bytes_hit},
          {"hit_rate", r.hit_rate()},
          {"byte_hit_rate", r.byte_hit_rate()},
          {"setup_seconds", r.setup_seconds},
          {"sim_seconds", r.sim_seconds},
          {"sim_cpu_seconds", r.sim_cpu_seconds},
          {"simulated_requests", r.simulated},
          {"requests_per_second", r.requests_per_second()}};
}

run::SimRecord to_run_record(const SimRecord& r, const RecordContext& c) {
  run::SimRecord o;
  static_cast<run::RecordHeader&>(o) = run::make_header(c.run_id, c.step.empty() ? job_key(r) : c.step);
  o.purpose = c.purpose;
  o.trace = c.trace;
  o.replication = c.replication;
  o.policy = r.policy;
  o.cost = cost_column(r);
  o.cache_bytes = r.config.capacity;
  o.size_change = cache::to_string(r.config.size_change);
  o.engine = r.label.engine;
  o.tier = r.label.tier;
  o.abi = r.label.abi;
  o.cached = r.label.cached;
  o.requests = r.stats.requests;
  o.hits = r.stats.hits;
  o.bytes_requested = r.stats.bytes_requested;
  o.bytes_hit = r.stats.bytes_hit;
  o.simulated_requests = r.simulated;
  o.setup_s = r.setup_seconds;
  o.sim_s = r.sim_seconds;
  o.sim_cpu_s = r.sim_cpu_seconds;
  o.trace_records = c.trace_records;
  o.trace_read_s = c.trace_read_s;
  o.timed = c.timed;
  o.warmup = c.warmup;
  return o;
}

Result<SimRecord> from_run_record(const run::SimRecord& row) {
  SimRecord r;
  r.policy = row.policy;
  r.uses_cost = row.cost != "-";
  if (r.uses_cost) {
    auto c = parse_cost(row.cost);
    if (!c) return tl::unexpected(c.error());
    r.config.cost = *c;
  }
  r.config.capacity = row.cache_bytes;
  auto mode = parse_size_change(row.size_change);
  if (!mode) return tl::unexpected(mode.error());
  r.config.size_change = *mode;
  r.label = RunnerLabel{row.engine, row.tier, row.abi, row.cached};
  r.stats = cache::CacheStats{row.requests, row.hits, row.bytes_requested, row.bytes_hit};
  r.setup_seconds = row.setup_s;
  r.sim_seconds = row.sim_s;
  r.sim_cpu_seconds = row.sim_cpu_s;
  r.simulated = row.simulated_requests;
  return r;
}

std::string job_key(const SimRecord& r) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}", r.policy, cost_column(r), r.config.capacity,
                     cache::to_string(r.config.size_change), r.label.engine, r.label.tier, r.label.abi, r.label.cached);
}

std::string job_key(const RunSpec& spec, const RunnerLabel& label) {
  SimRecord r;
  const PolicyInfo* info = find_policy(spec.policy);
  r.policy = info != nullptr ? std::string(info->name) : spec.policy;
  r.uses_cost = info != nullptr && info->uses_cost;
  r.config = spec.config;
  r.label = label;
  return job_key(r);
}

std::string to_json(const SweepResult& result) {
  using json = nlohmann::ordered_json;
  const TraceSummary& t = result.trace;
  json trace = {{"path", t.path},       {"format", to_string(t.format)}, {"compression", t.compression},
                {"records", t.records}, {"skipped", t.skipped},          {"first_errors", t.first_errors},
                {"read_seconds", t.read_seconds}, {"streamed", t.streamed}, {"read_ahead", t.read_ahead}};
  if (!t.input.empty()) trace["input"] = t.input;
  json records = json::array();
  for (const SimRecord& r : result.records) records.push_back(record_row(r));
  json doc = {{"trace", trace}, {"threads", result.threads}, {"warmup", result.warmup}};
  if (result.interrupted) doc["interrupted"] = true;  // only the completed jobs are in "records"
  doc["records"] = records;
  return doc.dump(2) + "\n";
}

Status write_text_file(const std::string& path, const std::string& text) {
  std::filesystem::path p(path);
  if (p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) return fail(ErrorKind::io_error, fmt::format("{}: cannot create directory: {}", path, ec.message()));
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return fail(ErrorKind::io_error, fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return fail(ErrorKind::io_error, fmt::format("{}: write failed", path));
  return {};
}

}  // namespace wasmhop::sim
