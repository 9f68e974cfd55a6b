#include "cli/micro_parent.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "micro/configs.hpp"
#include "micro/runner.hpp"
#include "report/micro_summary.hpp"
#include "run/child.hpp"
#include "run/program.hpp"
#include "run/run_dir.hpp"
#include "run/step.hpp"
#include "run/stop.hpp"
#include "wasmhop/registry.hpp"

namespace wasmhop::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Hosts = std::vector<std::pair<std::string, std::string>>;  // (build, binary)

std::string default_out_dir() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("results/micro-{:04}{:02}{:02}-{:02}{:02}{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// The wasmhop binary of another host build next to this one (build/<preset>/bin/wasmhop).
std::string sibling_build_binary(const std::string& build) {
  const fs::path self = run::self_executable();
  const fs::path candidate = self.parent_path().parent_path().parent_path() / build / "bin" / "wasmhop";
  std::error_code ec;
  return fs::exists(candidate, ec) ? candidate.string() : std::string();
}

std::string step_id(const std::string& build, const std::string& engine) { return "micro." + build + "." + engine; }

std::vector<std::string> child_argv(const MicroCli& o, const run::RunDir& d, const std::string& bin,
                                    const std::string& engine, const std::string& id) {
  std::vector<std::string> argv = {bin, "micro", "--child-engine", engine, "--records", d.records_file(id).string(),
                                   "--run-id", d.dir().filename().string() + "/" + id, "--step", id,
                                   "--reps", std::to_string(o.reps), "--calls", std::to_string(o.calls),
                                   "--seed", std::to_string(o.seed)};
  // The other host build's guests were built with it (and, e.g. under a sanitizer, only load into it).
  if (o.guest_dir_given) argv.insert(argv.end(), {"--guest-dir", o.guest_dir});
  for (const auto& c : o.configs) argv.insert(argv.end(), {"--config", c});
  if (o.no_batch) argv.push_back("--no-batch");
  if (o.no_payload) argv.push_back("--no-payload");
  if (o.no_hostcall) argv.push_back("--no-hostcall");
  if (o.no_canonical) argv.push_back("--no-canonical");
  if (o.quick) argv.push_back("--quick");
  return argv;
}

// Summary (CSV, JSON, console) computed from the raw records alone; the plots draw the JSON summary.
int micro_report(const run::RunDir& d, bool plots) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(d.dir() / "records", ec)) {
    if (e.is_regular_file() && e.path().extension() == ".jsonl") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  auto summary = report::summarize_records_files(files, d.dir());
  if (!summary) {
    fmt::print(stderr, "error: {}\n", summary.error().describe());
    return 1;
  }
  fmt::print("{}\n", summary->console);
  // Out before the notes on stderr and the plotting child's: with both streams on one pipe or file,
  // a table still in stdout's buffer came out cut by them.
  std::fflush(stdout);
  fmt::print(stderr, "summary: {} and {} ({} records", summary->csv.string(), summary->json.string(),
             summary->records);
  if (!summary->malformed.empty()) fmt::print(stderr, ", {} malformed lines skipped", summary->malformed.size());
  fmt::print(stderr, ")\n");
  if (!plots) return 0;
  auto r = run::run_child({"/usr/bin/env", "python3", std::string(WASMHOP_TOOLS_DIR) + "/plot_micro.py",
                           summary->json.string(), "--out", (d.dir() / "plots").string()});
  if (!r || r->exit_status != 0) {
    fmt::print(stderr, "error: plotting failed ({})\n", r ? fmt::format("exit status {}", r->exit_status)
                                                          : r.error().describe());
    return 1;
  }
  fmt::print(stderr, "plots: {}\n", (d.dir() / "plots").string());
  return 0;
}

// The number of records a step's child wrote (none: the step failed).
Result<std::uint64_t> count_records(const fs::path& file) {
  auto lines = run::read_jsonl(file, {.skip_malformed = true});
  if (!lines || lines->records.empty()) return fail(ErrorKind::internal, "the micro-benchmark wrote no records");
  return lines->records.size();
}

// Runs every (host build, engine) step the journal does not mark done, one child each, then the
// summary. SIGINT/SIGTERM stop the running child; the records of finished steps stay valid and the
// message says how to continue.
int run_micro_steps(run::RunDir& d, const MicroCli& o, const Hosts& hosts, bool resuming) {
  run::install_stop_handlers();
  (void)d.journal().run_start("micro", run::command_line(), resuming);
  const auto t0 = Clock::now();
  std::size_t failures = 0, done = 0, step = 0;
  const std::size_t steps = hosts.size() * o.engines.size();
  for (const auto& [build, bin] : hosts) {
    for (const auto& engine : o.engines) {
      const std::string id = step_id(build, engine);
      ++step;
      if (d.prior().done(id)) {
        ++done;
        continue;
      }
      const double el = std::chrono::duration<double>(Clock::now() - t0).count();
      fmt::print(stderr, "[{}/{}] {} host, engine {} ({:.0f}s elapsed)\n", step, steps, build, engine, el);
      run::ChildStep s;
      s.id = id;
      s.argv = child_argv(o, d, bin, engine, id);
      s.collect = [&, id] { return count_records(d.records_file(id)); };
      auto end = run::run_step(d.journal(), d.prior().attempts(id) + 1, s);
      if (!end) {
        fmt::print(stderr, "error: {}\n", end.error().describe());
        return 1;
      }
      if (end->state == run::StepEnd::State::interrupted) {
        (void)d.journal().run_end(std::chrono::duration<double>(Clock::now() - t0).count(), done, failures, true);
        fmt::print(stderr,
                   "interrupted by {} during the {} host, engine {}: the records of the finished steps in {} are "
                   "valid; that step's partial records are set aside when you continue with:\n  {}\n",
                   run::signal_name(end->signal), build, engine, (d.dir() / "records").string(),
                   run::shell_join({run::self_executable(), "micro", "--resume", d.dir().string()}));
        return 128 + end->signal;
      }
      if (end->state == run::StepEnd::State::failed) {
        ++failures;
        fmt::print(stderr, "  failed: {} host, {}: {}\n", build, engine, end->error.describe());
      } else {
        ++done;
      }
    }
  }
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  (void)d.journal().run_end(wall, done, failures, false);
  fmt::print(stderr, "records: {} ({:.1f} s)\n", (d.dir() / "records").string(), wall);
  return micro_report(d, !o.no_plots) == 0 && failures == 0 ? 0 : 1;
}

// Host builds: this binary's own, plus the other one when it exists (or as requested).
Result<Hosts> find_hosts(const MicroCli& o) {
  Hosts hosts;
  for (const auto& b : o.builds) {
    std::string bin;
    if (b == run::host_build()) bin = run::self_executable();
    else if (b == "debug") bin = o.debug_binary.empty() ? sibling_build_binary("debug") : o.debug_binary;
    else if (b == "release") bin = o.release_binary.empty() ? sibling_build_binary("release") : o.release_binary;
    else return fail(ErrorKind::invalid_argument, fmt::format("unknown host build '{}' (choose from: release, debug)", b));
    if (bin.empty()) {
      fmt::print(stderr, "note: no {} build of wasmhop found next to this one (build it with "
                         "'cmake --preset {} && cmake --build --preset {}'); skipping it\n", b, b, b);
      continue;
    }
    hosts.emplace_back(b, bin);
  }
  return hosts;
}

Status check_names(const MicroCli& o) {
  const auto ids = engine_ids();
  for (const auto& e : o.engines) {
    if (std::find(ids.begin(), ids.end(), e) == ids.end()) {
      return fail(ErrorKind::invalid_argument, fmt::format("unknown engine '{}' (choose from: {})", e, fmt::join(ids, ", ")));
    }
  }
  std::vector<std::string> names;
  for (const auto& x : micro::table1_configs()) names.emplace_back(x.name);
  names.insert(names.end(), {"canonical-scalars", "canonical-record"});
  for (const auto& c : o.configs) {
    if (std::find(names.begin(), names.end(), c) == names.end()) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("unknown micro configuration '{}' (choose from: {})", c, fmt::join(names, ", ")));
    }
  }
  return {};
}

nlohmann::json hosts_json(const Hosts& hosts) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& [b, bin] : hosts) j.push_back({{"build", b}, {"binary", bin}});
  return j;
}

}  // namespace

int micro_child(const MicroCli& o) {
  micro::MicroOptions mo;
  mo.engine = o.child_engine;
  mo.reps = o.reps;
  mo.calls = o.calls;
  mo.configs = o.configs;
  mo.guest_dir = o.guest_dir;
  mo.seed = o.seed;
  mo.run_id = o.run_id;
  mo.step = o.step.empty() ? step_id(run::host_build(), o.child_engine) : o.step;
  mo.batch = !o.no_batch;
  mo.payload = !o.no_payload;
  mo.hostcall = !o.no_hostcall;
  mo.canonical = !o.no_canonical;
  mo.note = [&](const std::string& text) { fmt::print(stderr, "  [{} {}] note: {}\n", run::host_build(), o.child_engine, text); };
  if (o.quick) mo.payload_bytes_budget = 1 << 20;
  auto writer = run::AppendOnlyWriter::open(o.records);
  if (!writer) {
    fmt::print(stderr, "error: {}\n", writer.error().describe());
    return 1;
  }
  const auto t0 = Clock::now();
  auto last = t0;
  auto progress = [&](const std::string& what, std::size_t done, std::size_t total) {
    const auto now = Clock::now();
    if (now - last < std::chrono::seconds(2) && done != total) return;
    last = now;
    const double el = std::chrono::duration<double>(now - t0).count();
    fmt::print(stderr, "  [{} {}] {:>5}/{:<5} {:5.1f}s  {}\n", run::host_build(), o.child_engine, done, total, el,
               what);
  };
  auto st = micro::run_micro(mo, [&](const run::MicroRecord& r) { return run::append(*writer, r); }, progress);
  if (!st) {
    fmt::print(stderr, "error: {}\n", st.error().describe());
    return 1;
  }
  return 0;
}

int micro_parent(MicroCli o) {
  if (o.quick) {  // (children get --quick too: smaller payload budget)
    o.reps = std::min(o.reps, 3);
    o.calls = std::min<std::int64_t>(o.calls, 2000);
  }
  if (o.engines.empty()) o.engines = engine_ids();
  if (o.builds.empty()) o.builds = {"release", "debug"};
  auto hosts = check_names(o).and_then([&] { return find_hosts(o); });
  if (!hosts) {
    fmt::print(stderr, "error: {}\n", hosts.error().message);
    return 2;
  }
  if (o.out.empty()) o.out = default_out_dir();
  auto d = run::RunDir::create(o.out, "micro");
  if (!d) {
    fmt::print(stderr, "error: {}\n", d.error().message);
    return 2;
  }
  if (auto st = d->write_doc({{"argv", run::command_line()}, {"options", o}, {"hosts", hosts_json(*hosts)}}); !st) {
    fmt::print(stderr, "error: {}\n", st.error().message);
    return 1;
  }
  return run_micro_steps(*d, o, *hosts, false);
}

int micro_resume(const std::string& dir, bool no_plots) {
  auto d = run::RunDir::resume(dir, "micro");
  if (!d) {
    fmt::print(stderr, "error: --resume: {}\n", d.error().message);
    return 2;
  }
  MicroCli o;
  Hosts hosts;
  try {
    o = d->doc().at("options").get<MicroCli>();
    for (const auto& h : d->doc().at("hosts")) hosts.emplace_back(h.at("build").get<std::string>(), h.at("binary").get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    fmt::print(stderr, "error: --resume: {}/run.json: {}\n", dir, e.what());
    return 2;
  }
  o.no_plots = no_plots;
  auto aside = d->set_aside_unfinished([](const std::string& line) { fmt::print(stderr, "{}\n", line); });
  if (!aside) {
    fmt::print(stderr, "error: --resume: {}\n", aside.error().message);
    return 1;
  }
  std::size_t done = 0;
  for (const auto& [build, bin] : hosts)
    for (const auto& e : o.engines) done += d->prior().done(step_id(build, e));
  fmt::print(stderr, "resuming {}: {} of {} steps done ({} partial record lines set aside in records/discarded/)\n",
             dir, done, hosts.size() * o.engines.size(), *aside);
  return run_micro_steps(*d, o, hosts, true);
}

}  // namespace wasmhop::cli
