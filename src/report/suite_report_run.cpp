// The report's "How this was run" section (suite_report.hpp): the machine and toolchain, the plan,
// the results directories it was made from (the shards of a study), every step's time, and the
// commands that rerun exactly this experiment.
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/suite_report.hpp"

namespace wasmhop::report {
namespace {

using nlohmann::json;

std::string plan_text(const json& params) {
  return fmt::format("{} mode, seed {}; micro: {} replications (Debug host: {}) × {} calls (interpreters: "
                     "1/{} of that); simulator: policies {}, {} cache, "
                     "{} replications ({} for interpreters), workload {} requests; sweep {}; checks on a "
                     "{}-request sample at {}",
                     params.value("mode", std::string("default")), params.value("seed", 0),
                     params.value("micro_reps", 0), params.value("debug_micro_reps", params.value("micro_reps", 0)),
                     params.value("micro_calls", 0), params.value("interp_calls_divisor", 1),
                     fmt::join(params.value("sim_policies", std::vector<std::string>{}), ", "),
                     params.value("sim_cache", std::string()), params.value("sim_reps", 0),
                     params.value("interp_reps", 0), params.value("workload_requests", 0),
                     params.value("sweep_sizes", std::string()), params.value("sample_requests", 0),
                     params.value("check_sizes", std::string()));
}

std::string steps_text(const SuiteData& d) {
  std::size_t done = 0;
  double step_time = 0, step_cpu = 0;
  for (const auto& s : d.steps) {
    done += s.done;
    step_time += s.wall_s;
    step_cpu += s.cpu_s;
  }
  return fmt::format("{} of {} complete ({} child processes: {} wall, {} CPU), {} micro records, {} simulator "
                     "records; wall time {}{}",
                     done, d.steps.size(), d.steps.size(), fmt_seconds(step_time), fmt_seconds(step_cpu),
                     d.micro_records, d.sim_records, fmt_seconds(d.wall_s),
                     d.sessions > 1 ? fmt::format(" over {} sessions", d.sessions) : std::string());
}

// The results directories, when the report merges the shards of a study.
std::string sources_text(const SuiteData& d) {
  std::string out;
  for (const auto& s : d.sources) {
    out += fmt::format("{}`{}` (shard {}: {} steps done{})", out.empty() ? "" : " · ", s.dir.string(), s.shard,
                       s.steps_done, s.cpu_model.empty() ? std::string() : ", " + s.cpu_model);
  }
  return out;
}

DocTable run_table(const SuiteData& d) {
  const json& env = d.environment;
  const json machine = env.value("machine", json::object());
  DocTable t;
  t.header = {"", ""};
  auto add = [&](std::string k, std::string v) { t.rows.push_back({std::move(k), std::move(v)}); };
  add("machine", fmt::format("{} · {} cores online · {} · load average at start {}", json_text(machine, "cpu_model"),
                             json_text(machine, "cores_online"), json_text(machine, "memory"),
                             json_text(machine, "load_average_at_start")));
  const json os = env.value("os", json::object());
  add("OS", fmt::format("{} · {}", json_text(os, "name"), json_text(os, "kernel")));
  const json host_builds = env.value("host_builds", json::object());
  for (const auto& [b, h] : host_builds.items()) {
    const json info = h.value("build_info", json::object());
    add(b + " host", fmt::format("`{}` · {} · flags `{}`", json_text(h, "binary"), json_text(info, "cxx_compiler"),
                                 json_text(info, "cxx_flags")));
  }
  if (!host_builds.empty()) {
    std::string v;
    for (const auto& e : host_builds.begin()->value("engines", json::array())) {
      v += (v.empty() ? "" : " · ") + fmt::format("{} {}", json_text(e, "id"), json_text(e, "version"));
    }
    add("engines", v);
  }
  const json toolchain = env.value("toolchain", json::object());  // (items() of a temporary would dangle)
  for (const auto& [k, v] : toolchain.items()) add(k, v.is_string() ? v.get<std::string>() : v.dump());
  const json source = env.value("source", json::object());
  add("source", fmt::format("git {} ({}), {} modified tracked files", json_text(source, "git_revision"),
                            json_text(source, "git_branch"), json_text(source, "modified_tracked_files")));
  add("command line", "`" + json_text(env.value("command_line", json::object()), "shell") + "`");
  add("plan", plan_text(d.suite.value("params", json::object())));
  if (d.sources.size() > 1) add("results", "merged from " + sources_text(d));
  add("steps", steps_text(d));
  return t;
}

// The slowest steps first: where the time goes.
DocTable steps_table(const SuiteData& d) {
  std::vector<const StepStatus*> v;
  for (const auto& s : d.steps) v.push_back(&s);
  std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return a->wall_s > b->wall_s; });
  DocTable t;
  t.header = {"step", "status", "wall time", "CPU time", "records"};
  t.right = {false, false, true, true, true};
  for (const auto* s : v) {
    t.rows.push_back({s->id, s->done ? "done" : (s->failed ? "FAILED: " + s->message : "not run"),
                      fmt_seconds(s->wall_s), fmt_seconds(s->cpu_s), std::to_string(s->records)});
  }
  return t;
}

// The options that shaped the plan, beyond the mode's defaults: engines and builds always (the
// default is "whatever is available", which another machine may not match), replications when changed.
std::string rerun_options(const SuiteData& d) {
  const json params = d.suite.value("params", json::object());
  const std::string mode = params.value("mode", std::string("default"));
  std::string opts = mode == "quick" ? " --quick" : "";
  auto ids = [](const json& a, const char* key) {
    std::vector<std::string> v;
    if (a.is_array())
      for (const auto& x : a) v.push_back(x.is_object() ? x.value(key, std::string()) : x.get<std::string>());
    return fmt::format("{}", fmt::join(v, ","));
  };
  if (params.contains("builds")) opts += " --builds " + ids(params["builds"], "");
  if (params.contains("engines")) opts += " --engines " + ids(params["engines"], "id");
  if (const int r = params.value("micro_reps", d.mode_micro_reps); r != d.mode_micro_reps)
    opts += fmt::format(" --micro-reps {}", r);
  if (const int r = params.value("sim_reps", d.mode_sim_reps); r != d.mode_sim_reps)
    opts += fmt::format(" --sim-reps {}", r);
  const std::string paper = params.value("paper_trace", std::string());
  return opts + fmt::format(" --seed {}{}", params.value("seed", 0),
                            paper.empty() ? (mode == "quick" ? "" : " --paper-trace none") : " --paper-trace " + paper);
}

void rerun_section(Doc& doc, const SuiteData& d) {
  const std::string rev = json_text(d.environment.value("source", json::object()), "git_revision", "HEAD");
  const std::string opts = rerun_options(d);
  doc.code(fmt::format("git checkout {}\nbash scripts/setup.sh   # as root: the Debian packages\n"
                       "cmake --preset release && cmake --build --preset release\n"
                       "cmake --preset debug && cmake --build --preset debug\n"
                       "build/release/bin/wasmhop suite{} --out results/rerun\n"
                       "build/release/bin/wasmhop report results/rerun   # statistics, figures and this report again\n",
                       rev, opts));
  doc.paragraph("The run order of the steps is shuffled with the seed, so a rerun executes the same steps in the same "
                "order. An interrupted run continues with `wasmhop suite --resume DIR`; partial records of an "
                "interrupted step are moved to `records/discarded/` and never counted. Across N machines: "
                "`wasmhop suite ... --shard K/N` on each, then `wasmhop report --out DIR SHARD_DIR...` (docs/suite.md).");
}

}  // namespace

void add_how_it_ran(Doc& doc, const SuiteData& d) {
  doc.heading(2, "How this was run");
  doc.table(run_table(d));
  const std::size_t n = d.steps.size();
  doc.details_begin(fmt::format("All {} steps, slowest first", n));
  doc.table(steps_table(d));
  doc.details_end();
  doc.heading(3, "Rerun exactly this experiment");
  rerun_section(doc, d);
}

}  // namespace wasmhop::report
