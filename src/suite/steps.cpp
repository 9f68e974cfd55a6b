#include "suite/steps.hpp"

#include <fstream>
#include <unordered_map>

#include <fmt/format.h>

#include "run/jsonl.hpp"
#include "run/workload_record.hpp"
#include "trace/reader.hpp"

namespace wasmhop::suite {
namespace {

namespace fs = std::filesystem;

fs::path sample_path(const StepContext& c) { return c.dir / "workload" / "sample.txt"; }
fs::path short_path(const StepContext& c) { return c.dir / "workload" / "short.txt"; }

std::string join(const std::vector<std::string>& v, const char* sep = ",") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string trace_file(const StepContext& c, const Step& s) {
  if (s.trace == "paper-trace") return c.plan.params.paper_trace;
  if (s.trace == "sample") return sample_path(c).string();
  if (s.trace == "short") return short_path(c).string();
  return workload_path(c).string();
}

// The sim's engine list for a step: "native" is the direct baseline, "native-engine" the native
// engine through the ABIs.
std::string sim_engine(const std::string& engine) {
  if (engine == "native-direct") return "native";
  if (engine == "native") return "native-engine";
  return engine;
}

const char* purpose(StepKind k) {
  switch (k) {
    case StepKind::sim_time: return "time";
    case StepKind::sim_sweep: return "sweep";
    case StepKind::sim_check: return "check";
    default: return "";
  }
}

// Where a step's records go and what they say they are.
std::vector<std::string> provenance(const StepContext& c, const Step& s) {
  return {"--records", records_path(c, s).string(), "--run-id", c.plan.params.suite_id + "/" + s.id, "--step", s.id};
}

std::vector<std::string> micro_argv(const StepContext& c, const Step& s, const std::string& bin) {
  const PlanParams& p = c.plan.params;
  std::vector<std::string> a{bin, "micro", "--child-engine", s.engine};
  for (auto& x : provenance(c, s)) a.push_back(std::move(x));
  a.insert(a.end(), {"--reps", std::to_string(s.micro_reps ? s.micro_reps : p.micro_reps), "--calls",
                     std::to_string(s.micro_calls ? s.micro_calls : p.micro_calls), "--seed",
                     std::to_string(step_seed(p.seed, s.id))});
  if (p.micro_quick) a.push_back("--quick");
  return a;
}

std::vector<std::string> sim_argv(const StepContext& c, const Step& s, const std::string& bin) {
  const PlanParams& p = c.plan.params;
  std::vector<std::string> a{bin, "sim", "--trace", trace_file(c, s), "-q"};
  for (auto& x : provenance(c, s)) a.push_back(std::move(x));
  a.insert(a.end(), {"--purpose", purpose(s.kind), "--trace-name", s.trace, "--replication",
                     std::to_string(s.replication)});
  switch (s.kind) {
    case StepKind::sim_time:
      a.insert(a.end(), {"--policy", join(p.sim_policies), "--cache-size", p.sim_cache, "--timed", "--engine",
                         sim_engine(s.engine)});
      if (!s.abis.empty()) a.insert(a.end(), {"--abi", join(s.abis), "--cached", s.cached});
      break;
    case StepKind::sim_sweep:
      a.insert(a.end(), {"--policy", "all", "--cache-size", p.sweep_sizes, "--threads", "0", "--engine", "native"});
      break;
    default:  // sim_check
      a.insert(a.end(), {"--policy", join(p.sim_policies), "--cache-size", p.check_sizes, "--engine",
                         "native," + sim_engine(s.engine), "--abi", join(s.abis), "--cached", s.cached});
  }
  return a;
}

// The workload's prefixes as text: the sample (engine checks, Debug timings) and the short one
// (interpreters), written whole through a temporary file.
Status write_prefix(const fs::path& path, const std::vector<trace::Request>& requests, std::uint64_t n) {
  const fs::path tmp = path.string() + ".tmp";
  std::ofstream out(tmp);
  for (std::uint64_t i = 0; i < n; ++i) out << requests[i].id << ' ' << requests[i].size << '\n';
  if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", tmp.string()));
  out.close();
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail(ErrorKind::io_error, ec.message());
  return {};
}

// After gen: the workload's facts as one record, and the prefixes.
Result<std::uint64_t> finish_gen(const StepContext& c, const Step& s) {
  trace::TraceOptions topts;
  topts.path = workload_path(c).string();
  auto trace = trace::read_trace(topts);
  if (!trace) return tl::unexpected(trace.error());
  run::WorkloadRecord r;
  static_cast<run::RecordHeader&>(r) = run::make_header(c.plan.params.suite_id + "/" + s.id, s.id);
  std::unordered_map<std::uint64_t, std::uint64_t> first_size;
  for (const auto& q : trace->requests) {
    r.requested_bytes += q.size;
    if (first_size.emplace(q.id, q.size).second) r.unique_bytes += q.size;
  }
  const auto& p = c.plan.params;
  r.sample_requests = std::min<std::uint64_t>(p.sample_requests, trace->requests.size());
  r.short_requests = std::min<std::uint64_t>(p.short_requests, trace->requests.size());
  if (auto st = write_prefix(sample_path(c), trace->requests, r.sample_requests); !st) return tl::unexpected(st.error());
  if (auto st = write_prefix(short_path(c), trace->requests, r.short_requests); !st) return tl::unexpected(st.error());
  r.name = "workload";
  r.generator = "wasmhop gen " + join(p.gen_args, " ");
  r.file = p.workload_file;
  r.requests = trace->requests.size();
  r.objects = first_size.size();
  r.sample_file = "workload/sample.txt";
  r.short_file = "workload/short.txt";
  auto w = run::AppendOnlyWriter::open(records_path(c, s));
  if (!w) return tl::unexpected(w.error());
  if (auto st = w->append(run::to_json_object(r)); !st) return tl::unexpected(st.error());
  return std::uint64_t{1};
}

}  // namespace

fs::path workload_path(const StepContext& c) { return c.dir / c.plan.params.workload_file; }
fs::path records_path(const StepContext& c, const Step& s) { return c.dir / "records" / (s.id + ".jsonl"); }
fs::path log_path(const StepContext& c, const Step& s) { return c.dir / "logs" / (s.id + ".log"); }

std::vector<std::string> step_argv(const StepContext& c, const Step& s) {
  const std::string& bin = c.hosts.at(s.build).path;
  if (s.kind == StepKind::gen) {
    std::vector<std::string> a{bin, "gen"};
    a.insert(a.end(), c.plan.params.gen_args.begin(), c.plan.params.gen_args.end());
    a.insert(a.end(), {"-o", workload_path(c).string()});
    return a;
  }
  return s.kind == StepKind::micro ? micro_argv(c, s, bin) : sim_argv(c, s, bin);
}

Result<std::uint64_t> collect_step(const StepContext& c, const Step& s) {
  if (s.kind == StepKind::gen) return finish_gen(c, s);
  auto lines = run::read_jsonl(records_path(c, s), {.skip_malformed = true});
  if (!lines || lines->records.empty()) {
    return fail(ErrorKind::internal, s.kind == StepKind::micro ? "the micro-benchmark wrote no records"
                                                               : "the simulator wrote no records");
  }
  return lines->records.size();
}

}  // namespace wasmhop::suite
