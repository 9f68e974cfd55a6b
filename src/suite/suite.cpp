#include "suite/suite.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "run/jsonl.hpp"
#include "run/program.hpp"
#include "run/run_dir.hpp"
#include "run/step.hpp"
#include "run/stop.hpp"
#include "suite/build_info.hpp"
#include "suite/environment.hpp"
#include "suite/hosts.hpp"
#include "suite/progress.hpp"
#include "suite/report_builder.hpp"
#include "suite/shard.hpp"
#include "suite/steps.hpp"

namespace wasmhop::suite {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string default_out_dir() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("results/suite-{:04}{:02}{:02}-{:02}{:02}{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string resolve_paper_trace(const std::string& option, bool quick, const fs::path& source_dir) {
  if (option == "none") return {};
  std::error_code ec;
  if (option != "auto") return fs::absolute(option, ec).string();
  if (quick) return {};
  if (const char* env = std::getenv("WASMHOP_PAPER_TRACE"); env && *env) {
    return fs::exists(env, ec) ? fs::absolute(env, ec).string() : std::string();
  }
  const fs::path guess = source_dir.parent_path() / "shared" / "traces" / "paper-trace.dat.gz";
  return fs::exists(guess, ec) ? fs::weakly_canonical(guess, ec).string() : std::string();
}

// One session of a suite run: a new run, or a resumed one.
struct Session {
  explicit Session(const SuiteOptions& options) : o(options), out{options.out_stream ? options.out_stream : stderr} {}
  const SuiteOptions& o;
  Output out;
  fs::path source_dir;
  std::optional<run::RunDir> dir;
  StepContext c;
  Shard shard;
  bool resuming = false;
};

Status check_options(const SuiteOptions& o) {
  if (o.resume.empty()) return {};
  if (!o.out.empty()) return fail(ErrorKind::invalid_argument, "--resume and --out exclude each other");
  if (o.quick || o.seed || !o.engines.empty() || !o.builds.empty() || o.paper_trace != "auto" || o.micro_reps ||
      o.sim_reps || !o.shard.empty()) {
    return fail(ErrorKind::invalid_argument,
                "--resume continues a run with its recorded options: leave out --quick, --seed, --engines, --builds, "
                "--paper-trace, --micro-reps, --sim-reps and --shard");
  }
  return {};
}

// The host builds: located (or built) and asked what they are.
Status find_hosts(Session& s, const std::vector<std::string>& builds, const json& stored) {
  for (const auto& b : builds) {
    if (s.c.hosts.count(b)) return fail(ErrorKind::invalid_argument, fmt::format("host build '{}' given twice", b));
    HostQuery q;
    q.build = b;
    q.explicit_path = b == "debug" ? s.o.debug_binary : (b == "release" ? s.o.release_binary : "");
    q.stored_path = stored.value(b, std::string());
    q.build_missing = s.o.build_missing;
    q.source_dir = s.source_dir;
    q.log_dir = s.c.dir / "logs";
    auto h = locate_host(q, s.out);
    if (!h) return tl::unexpected(h.error());
    s.out.say("{} host: {}\n", b, h->path);
    s.c.hosts[b] = std::move(*h);
  }
  if (s.c.hosts.empty()) return fail(ErrorKind::invalid_argument, "no host build selected");
  return {};
}

// Engines available in every host build, in registry order (notes for the others).
std::vector<EngineEntry> available_engines(Session& s, const std::string& first_build) {
  std::vector<EngineEntry> available;
  auto lacking = [&](const std::string& id) -> std::string {  // "" or the host that lacks it
    for (const auto& [b, h] : s.c.hosts) {
      const bool has = std::any_of(h.engines.begin(), h.engines.end(), [&](const json& x) {
        return x.value("id", std::string()) == id && x.value("available", false);
      });
      if (!has) return b;
    }
    return {};
  };
  for (const auto& e : s.c.hosts.at(first_build).engines) {
    const std::string id = e.value("id", std::string("?"));
    if (!e.value("available", false)) {
      s.out.say("note: engine {} is unavailable here ({}); skipped\n", id, e.value("error", std::string()));
    } else if (const std::string host = lacking(id); !host.empty()) {
      s.out.say("note: engine {} is not available in the {} host (rebuild it); skipped\n", id, host);
    } else {
      const json caps = e.value("capabilities", json::object());
      available.push_back({id, caps.value("sandboxed", true), caps.value("interpreter", false),
                           caps.value("aot", false), caps.value("component", false)});
    }
  }
  return available;
}

Result<PlanParams> new_params(Session& s, const std::vector<std::string>& builds) {
  const SuiteOptions& o = s.o;
  auto params = mode_params(o.quick ? "quick" : "default");
  if (!params) return tl::unexpected(params.error());
  PlanParams p = *params;
  if (o.seed) p.seed = *o.seed;
  if (o.micro_reps) p.micro_reps = p.debug_micro_reps = *o.micro_reps;  // asked for: both hosts
  if (o.sim_reps) p.sim_reps = *o.sim_reps;
  p.builds = builds;
  p.suite_id = s.c.dir.filename().string();
  p.paper_trace = resolve_paper_trace(o.paper_trace, o.quick, s.source_dir);
  std::error_code ec;
  if (!p.paper_trace.empty() && !fs::exists(p.paper_trace, ec)) {
    return fail(ErrorKind::invalid_argument, fmt::format("--paper-trace '{}' does not exist", p.paper_trace));
  }
  const auto available = available_engines(s, builds.front());
  if (o.engines.empty()) p.engines = available;
  for (const auto& id : o.engines) {
    auto it = std::find_if(available.begin(), available.end(), [&](const EngineEntry& e) { return e.id == id; });
    if (it == available.end()) {
      std::vector<std::string> ids;
      for (const auto& e : available) ids.push_back(e.id);
      return fail(ErrorKind::invalid_argument,
                  fmt::format("unknown or unavailable engine '{}' (choose from: {})", id, fmt::join(ids, ", ")));
    }
    p.engines.push_back(*it);
  }
  return p;
}

// A new run: its directory, hosts and plan (run.json) and environment.json.
Status start_new(Session& s, fs::path& created_dir) {
  const SuiteOptions& o = s.o;
  if (!o.shard.empty()) {
    auto shard = parse_shard(o.shard);
    if (!shard) return tl::unexpected(shard.error());
    s.shard = *shard;
  }
  const fs::path dir = o.out.empty() ? default_out_dir() : o.out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) created_dir = dir;
  auto d = run::RunDir::create(dir, "suite");
  if (!d) return tl::unexpected(d.error());
  s.dir.emplace(std::move(*d));
  s.c.dir = s.dir->dir();
  for (const char* sub : {"logs", "workload", "report"}) {
    fs::create_directories(s.c.dir / sub, ec);
    if (ec) return fail(ErrorKind::io_error, fmt::format("cannot create '{}': {}", (s.c.dir / sub).string(), ec.message()));
  }
  const auto builds = o.builds.empty() ? std::vector<std::string>{"release", "debug"} : o.builds;
  if (auto st = find_hosts(s, builds, json::object()); !st) return st;
  auto params = new_params(s, builds);
  if (!params) return tl::unexpected(params.error());
  s.c.plan = make_plan(*params);
  json doc = to_json(s.c.plan);
  for (const auto& [b, h] : s.c.hosts) doc["hosts"][b] = h.path;
  doc["argv"] = o.argv;
  doc["shard"] = to_string(s.shard);
  if (auto st = s.dir->write_doc(std::move(doc)); !st) return st;
  std::vector<HostBinary> hv;
  for (const auto& [b, h] : s.c.hosts) hv.push_back(h);
  return run::write_json_file(s.c.dir / "environment.json", collect_environment(hv, o.argv, s.source_dir));
}

// A resumed run: the recorded plan, shard and hosts; partial records of unfinished steps set aside.
Status start_resumed(Session& s) {
  auto d = run::RunDir::resume(s.o.resume, "suite");
  if (!d) return tl::unexpected(d.error());
  s.dir.emplace(std::move(*d));
  s.c.dir = s.dir->dir();
  auto plan = plan_from_json(s.dir->doc());
  if (!plan) return tl::unexpected(plan.error());
  s.c.plan = std::move(*plan);
  auto shard = parse_shard(s.dir->doc().value("shard", std::string("1/1")));
  if (!shard) return tl::unexpected(shard.error());
  s.shard = *shard;
  if (auto st = find_hosts(s, s.c.plan.params.builds, s.dir->doc().value("hosts", json::object())); !st) return st;
  auto aside = s.dir->set_aside_unfinished([&](const std::string& line) { s.out.say("{}\n", line); });
  if (!aside) return tl::unexpected(aside.error());
  return {};
}

// Runs one step; false when a stop was requested (the run ends).
bool run_one(Session& s, const Step& step, Progress& progress, SuiteOutcome& outcome) {
  std::error_code ec;
  if (step.kind != StepKind::gen && !s.dir->prior().done("gen") && !fs::exists(workload_path(s.c), ec)) {
    ++outcome.failed;  // a step's input: the workload must be complete
    progress.finish(step, false, 0, "no workload: the gen step failed");
    return true;
  }
  progress.start(step);
  // A runaway guest (an infinite loop in an engine that cannot stop a call) must not hang the suite.
  const double limit_s = s.o.step_timeout_s > 0 ? s.o.step_timeout_s : std::max(600.0, 20.0 * step.expected_s);
  run::ChildStep cs;
  cs.id = step.id;
  cs.argv = step_argv(s.c, step);
  cs.log = log_path(s.c, step);
  cs.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(limit_s * 1000));
  cs.on_tick = [&](double el) { progress.tick(el); };
  cs.collect = [&] { return collect_step(s.c, step); };
  auto end = run::run_step(s.dir->journal(), s.dir->prior().attempts(step.id) + 1, cs);
  if (!end) {
    ++outcome.failed;
    progress.finish(step, false, 0, end.error().message);
    return true;
  }
  switch (end->state) {
    case run::StepEnd::State::interrupted:
      outcome.interrupted = true;
      outcome.signal = end->signal;
      progress.finish(step, false, end->wall_s, "partial records will be discarded on --resume", "STOPPED");
      return false;
    case run::StepEnd::State::failed:
      ++outcome.failed;
      progress.finish(step, false, end->wall_s,
                      fmt::format("{}; log: {}", end->error.describe(), log_path(s.c, step).string()));
      return true;
    case run::StepEnd::State::done:
      ++outcome.done;
      progress.finish(step, true, end->wall_s, fmt::format("{} records", end->records));
      return true;
  }
  return true;
}

SuiteOutcome run_steps(Session& s) {
  SuiteOutcome outcome;
  outcome.dir = s.c.dir;
  outcome.report_requested = s.o.report;
  const auto steps = shard_steps(s.c.plan, s.shard);
  outcome.steps = steps.size();
  std::vector<bool> done;
  for (const Step* st : steps) done.push_back(s.dir->prior().done(st->id));
  const auto already = static_cast<std::size_t>(std::count(done.begin(), done.end(), true));
  double expected = 0;
  for (const Step* st : steps) expected += st->expected_s;
  s.out.say("suite {} ({} mode, seed {}{}): {} steps{}, about {} expected; results in {}\n", s.c.plan.params.suite_id,
            s.c.plan.params.mode, s.c.plan.params.seed,
            s.shard.whole() ? std::string() : fmt::format(", shard {} of the plan's {} steps", to_string(s.shard),
                                                          s.c.plan.steps.size()),
            steps.size(), already ? fmt::format(" ({} already done)", already) : std::string(), hms(expected),
            s.c.dir.string());
  Progress progress(s.out, steps, done);
  outcome.done = already;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (done[i]) continue;
    if (run::stop_requested() != 0 || !run_one(s, *steps[i], progress, outcome)) break;
  }
  if (const int sig = run::stop_requested(); sig != 0) {
    outcome.interrupted = true;
    if (!outcome.signal) outcome.signal = sig;
  }
  return outcome;
}

void finish(Session& s, SuiteOutcome& outcome, Clock::time_point t_start) {
  if (outcome.interrupted) {
    s.out.say("\ninterrupted by signal {} after {} of {} steps ({}); records of completed steps are kept, the "
              "interrupted step's partial records will be discarded.\nresume with: {}\n",
              outcome.signal, outcome.done, outcome.steps, hms(outcome.wall_s),
              run::shell_join({run::self_executable(), "suite", "--resume", s.c.dir.string()}));
    return;
  }
  s.out.say("steps: {} done, {} failed, {} in this session\n", outcome.done, outcome.failed, hms(outcome.wall_s));
  if (s.o.report) {
    ReportOptions ro;
    ro.out_stream = s.out.f;
    auto rep = build_report({s.c.dir}, s.c.dir, ro);
    if (!rep) {
      s.out.say("error: report: {}\n", rep.error().describe());
    } else {
      outcome.report_written = true;
      s.out.say("report: {}\n        {}\n", rep->markdown.string(), rep->html.string());
    }
  }
  s.out.say("wall time: {} (this session, report included)\n", hms(since(t_start)));
}

Result<SuiteOutcome> run_suite_impl(const SuiteOptions& o, fs::path& created_dir) {
  const auto t_start = Clock::now();
  if (auto st = check_options(o); !st) return tl::unexpected(st.error());
  Session s(o);
  s.source_dir = build_info().value("source_dir", std::string("."));
  s.resuming = !o.resume.empty();
  if (auto st = s.resuming ? start_resumed(s) : start_new(s, created_dir); !st) return tl::unexpected(st.error());
  run::install_stop_handlers();
  if (auto st = s.dir->journal().run_start("suite", o.argv, s.resuming); !st) return tl::unexpected(st.error());
  SuiteOutcome outcome = run_steps(s);
  outcome.wall_s = since(t_start);
  (void)s.dir->journal().run_end(outcome.wall_s, outcome.done, outcome.failed, outcome.interrupted);
  finish(s, outcome, t_start);
  return outcome;
}

}  // namespace

Result<SuiteOutcome> run_suite(const SuiteOptions& o) {
  fs::path created_dir;
  auto r = run_suite_impl(o, created_dir);
  if (!r && !created_dir.empty()) {
    // A setup error in a new run leaves nothing behind (the plan was never written).
    std::error_code ec;
    if (!fs::exists(created_dir / "run.json", ec)) fs::remove_all(created_dir, ec);
  }
  return r;
}

}  // namespace wasmhop::suite
