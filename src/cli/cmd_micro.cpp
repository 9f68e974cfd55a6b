// wasmhop micro: the paper's micro-benchmark (Table 1) on every engine and host build, plus the
// batch and payload sweeps. The parent runs one child process per (host build, engine); children
// append raw records to records.jsonl as they go; the summary and plots are computed from them.
#include <chrono>
#include <csignal>
#include <set>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/subprocess.hpp"
#include "micro/configs.hpp"
#include "suite/process.hpp"
#include "micro/runner.hpp"
#include "report/micro_summary.hpp"
#include "report/records.hpp"
#include "wasmhop/registry.hpp"

namespace wasmhop::cli {
namespace {

namespace fs = std::filesystem;

struct MicroCli {
  std::vector<std::string> engines;
  std::vector<std::string> builds;
  std::vector<std::string> configs;
  int reps = 100;
  std::int64_t calls = 100'000;
  bool quick = false;
  bool no_batch = false;
  bool no_payload = false;
  bool no_hostcall = false;
  bool no_canonical = false;
  bool no_plots = false;
  std::string out;
  std::string debug_binary;
  std::string release_binary;
  std::uint64_t seed = 20221;
  std::string guest_dir = WASMHOP_GUEST_DIR;
  bool guest_dir_given = false;  // else each host binary uses its own build's guests
  std::string resume;  // continue the run in this directory
  // child mode
  std::string child_engine;
  std::string records;
  std::string run_id;
};

int micro_child(const MicroCli& o) {
  micro::MicroOptions mo;
  mo.engine = o.child_engine;
  mo.reps = o.reps;
  mo.calls = o.calls;
  mo.configs = o.configs;
  mo.guest_dir = o.guest_dir;
  mo.seed = o.seed;
  mo.run_id = o.run_id;
  mo.batch = !o.no_batch;
  mo.payload = !o.no_payload;
  mo.hostcall = !o.no_hostcall;
  mo.canonical = !o.no_canonical;
  mo.note = [&](const std::string& text) { fmt::print(stderr, "  [{} {}] note: {}\n", micro::host_build(), o.child_engine, text); };
  if (o.quick) mo.payload_bytes_budget = 1 << 20;
  auto writer = report::AppendOnlyWriter::open(o.records);
  if (!writer) {
    fmt::print(stderr, "error: {}\n", writer.error().describe());
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto last = t0;
  auto progress = [&](const std::string& what, std::size_t done, std::size_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::seconds(2) && done != total) return;
    last = now;
    const double el = std::chrono::duration<double>(now - t0).count();
    fmt::print(stderr, "  [{} {}] {:>5}/{:<5} {:5.1f}s  {}\n", micro::host_build(), o.child_engine, done, total, el,
               what);
  };
  auto st = micro::run_micro(mo, [&](const nlohmann::json& j) { return writer->append(j); }, progress);
  if (!st) {
    fmt::print(stderr, "error: {}\n", st.error().describe());
    return 1;
  }
  return 0;
}

std::string default_out_dir() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("results/micro-{:04}{:02}{:02}-{:02}{:02}{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// The wasmhop binary of another host build next to this one (build/<preset>/bin/wasmhop).
std::string sibling_build_binary(const std::string& build) {
  const fs::path self = self_executable();
  const fs::path candidate = self.parent_path().parent_path().parent_path() / build / "bin" / "wasmhop";
  std::error_code ec;
  return fs::exists(candidate, ec) ? candidate.string() : std::string();
}

// Summary (CSV, JSON, console) computed from the raw records alone; the plots draw the JSON summary.
int micro_report(const fs::path& out, bool plots) {
  auto summary = report::summarize_records_file(out / "records.jsonl", out);
  if (!summary) {
    fmt::print(stderr, "error: {}\n", summary.error().describe());
    return 1;
  }
  fmt::print("{}\n", summary->console);
  fmt::print(stderr, "summary: {} and {} ({} records", summary->csv.string(), summary->json.string(),
             summary->records);
  if (!summary->malformed.empty()) fmt::print(stderr, ", {} malformed lines skipped", summary->malformed.size());
  fmt::print(stderr, ")\n");
  if (!plots) return 0;
  auto r = run_child({"/usr/bin/env", "python3", std::string(WASMHOP_TOOLS_DIR) + "/plot_micro.py",
                      summary->json.string(), "--out", (out / "plots").string()});
  if (!r || r->exit_status != 0) {
    fmt::print(stderr, "error: plotting failed ({})\n", r ? fmt::format("exit status {}", r->exit_status)
                                                          : r.error().describe());
    return 1;
  }
  fmt::print(stderr, "plots: {}\n", (out / "plots").string());
  return 0;
}

// Runs every (host build, engine) step not in `done`, one child process each, then the summary.
// SIGINT/SIGTERM stop the running child; the records of finished steps stay valid and the message
// says how to continue.
int run_steps(const MicroCli& o, const std::vector<std::pair<std::string, std::string>>& hosts,
              const std::set<std::string>& done) {
  const fs::path records = fs::path(o.out) / "records.jsonl";
  const std::string run_id = fs::path(o.out).filename().string();
  suite::install_stop_handlers();
  const auto t0 = std::chrono::steady_clock::now();
  int failures = 0;
  std::size_t step = 0;
  const std::size_t steps = hosts.size() * o.engines.size();
  for (const auto& [build, bin] : hosts) {
    for (const auto& engine : o.engines) {
      ++step;
      if (done.contains(build + "/" + engine)) continue;
      const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      fmt::print(stderr, "[{}/{}] {} host, engine {} ({:.0f}s elapsed)\n", step, steps, build, engine, el);
      std::vector<std::string> argv = {bin, "micro", "--child-engine", engine, "--records", records.string(),
                                       "--run-id", run_id, "--reps", std::to_string(o.reps),
                                       "--calls", std::to_string(o.calls), "--seed", std::to_string(o.seed)};
      // The other host build's guests were built with it (and, e.g. under a sanitizer, only load into it).
      if (o.guest_dir_given) argv.insert(argv.end(), {"--guest-dir", o.guest_dir});
      for (const auto& c : o.configs) argv.insert(argv.end(), {"--config", c});
      if (o.no_batch) argv.push_back("--no-batch");
      if (o.no_payload) argv.push_back("--no-payload");
      if (o.no_hostcall) argv.push_back("--no-hostcall");
      if (o.no_canonical) argv.push_back("--no-canonical");
      if (o.quick) argv.push_back("--quick");
      auto r = suite::run_logged(argv, suite::ChildOptions{});
      if (const int sig = suite::stop_requested(); sig != 0) {
        fmt::print(stderr,
                   "interrupted by {} during the {} host, engine {}: the records of the finished steps in {} are "
                   "valid; that step's partial records are set aside when you continue with:\n  {}\n",
                   sig == SIGTERM ? "SIGTERM" : "SIGINT", build, engine, records.string(),
                   suite::shell_join({self_executable(), "micro", "--resume", o.out}));
        return 128 + sig;
      }
      const bool ok = r && r->exit_status == 0;
      if (!ok) {
        ++failures;
        fmt::print(stderr, "  failed: {} host, {}: {}\n", build, engine,
                   r ? fmt::format("exit status {}", r->exit_status) : r.error().describe());
      }
      std::ofstream(fs::path(o.out) / "steps.jsonl", std::ios::app)
          << nlohmann::json{{"build", build}, {"engine", engine}, {"status", ok ? "done" : "failed"}}.dump() << '\n';
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(stderr, "records: {} ({:.1f} s)\n", records.string(), wall);
  return micro_report(o.out, !o.no_plots) == 0 && failures == 0 ? 0 : 1;
}

int run_parent(MicroCli o) {
  if (o.quick) {  // (children get --quick too: smaller payload budget)
    o.reps = std::min(o.reps, 3);
    o.calls = std::min<std::int64_t>(o.calls, 2000);
  }
  if (o.engines.empty()) o.engines = engine_ids();
  for (const auto& e : o.engines) {
    const auto ids = engine_ids();
    if (std::find(ids.begin(), ids.end(), e) == ids.end()) {
      fmt::print(stderr, "error: unknown engine '{}' (choose from: {})\n", e, fmt::join(ids, ", "));
      return 2;
    }
  }
  for (const auto& c : o.configs) {
    std::vector<std::string> names;
    for (const auto& x : micro::table1_configs()) names.emplace_back(x.name);
    names.insert(names.end(), {"canonical-scalars", "canonical-record"});
    if (std::find(names.begin(), names.end(), c) == names.end()) {
      fmt::print(stderr, "error: unknown micro configuration '{}' (choose from: {})\n", c, fmt::join(names, ", "));
      return 2;
    }
  }
  // Host builds: this binary's own, plus the other one when it exists (or as requested).
  std::vector<std::pair<std::string, std::string>> hosts;  // (build, binary)
  if (o.builds.empty()) o.builds = {"release", "debug"};
  for (const auto& b : o.builds) {
    std::string bin;
    if (b == micro::host_build()) bin = self_executable();
    else if (b == "debug") bin = o.debug_binary.empty() ? sibling_build_binary("debug") : o.debug_binary;
    else if (b == "release") bin = o.release_binary.empty() ? sibling_build_binary("release") : o.release_binary;
    else {
      fmt::print(stderr, "error: unknown host build '{}' (choose from: release, debug)\n", b);
      return 2;
    }
    if (bin.empty()) {
      fmt::print(stderr, "note: no {} build of wasmhop found next to this one (build it with "
                         "'cmake --preset {} && cmake --build --preset {}'); skipping it\n", b, b, b);
      continue;
    }
    hosts.emplace_back(b, bin);
  }
  if (o.out.empty()) o.out = default_out_dir();
  std::error_code ec;
  if (fs::exists(o.out, ec) && !fs::is_empty(o.out, ec)) {
    fmt::print(stderr, "error: results directory '{}' exists and is not empty (choose another --out, or continue "
                       "an interrupted run with --resume {})\n", o.out, o.out);
    return 2;
  }
  fs::create_directories(o.out, ec);
  if (ec) {
    fmt::print(stderr, "error: cannot create '{}': {}\n", o.out, ec.message());
    return 2;
  }
  nlohmann::json meta{{"command", "micro"},     {"run_id", fs::path(o.out).filename().string()},
                      {"reps", o.reps},         {"calls", o.calls},
                      {"seed", o.seed},         {"engines", o.engines},
                      {"configs", o.configs},   {"quick", o.quick},
                      {"no_batch", o.no_batch}, {"no_payload", o.no_payload}, {"no_hostcall", o.no_hostcall},
                      {"no_canonical", o.no_canonical},
                      {"guest_dir", o.guest_dir_given ? o.guest_dir : std::string()}};
  meta["hosts"] = nlohmann::json::array();
  for (const auto& [b, bin] : hosts) meta["hosts"].push_back({{"build", b}, {"binary", bin}});
  std::ofstream(fs::path(o.out) / "run.json") << meta.dump(2) << '\n';
  return run_steps(o, hosts, {});
}

// --resume DIR: the options recorded in DIR/run.json; steps recorded done in DIR/steps.jsonl are
// kept with their records, the records of any other step (an interrupted child's) are moved to
// records.discarded.jsonl, and the remaining steps run.
int resume_parent(const std::string& dir, bool no_plots) {
  const fs::path d(dir);
  std::ifstream in(d / "run.json");
  nlohmann::json meta = nlohmann::json::parse(in, nullptr, false);
  if (!in || meta.is_discarded() || meta.value("command", "") != "micro" || !meta.contains("hosts") ||
      !meta["hosts"].is_array()) {
    fmt::print(stderr, "error: --resume: '{}' holds no readable run.json of a micro run\n", dir);
    return 2;
  }
  MicroCli o;
  o.out = dir;
  o.no_plots = no_plots;
  std::vector<std::pair<std::string, std::string>> hosts;
  try {
    o.reps = meta.at("reps").get<int>();
    o.calls = meta.at("calls").get<std::int64_t>();
    o.seed = meta.at("seed").get<std::uint64_t>();
    o.engines = meta.at("engines").get<std::vector<std::string>>();
    o.configs = meta.at("configs").get<std::vector<std::string>>();
    o.quick = meta.at("quick").get<bool>();
    o.no_batch = meta.at("no_batch").get<bool>();
    o.no_payload = meta.at("no_payload").get<bool>();
    o.no_hostcall = meta.value("no_hostcall", false);  // journals written before the sweep existed
    o.no_canonical = meta.value("no_canonical", false);
    o.guest_dir = meta.at("guest_dir").get<std::string>();
    o.guest_dir_given = !o.guest_dir.empty();
    for (const auto& h : meta.at("hosts")) hosts.emplace_back(h.at("build").get<std::string>(), h.at("binary").get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    fmt::print(stderr, "error: --resume: {}/run.json: {}\n", dir, e.what());
    return 2;
  }
  std::set<std::string> done;
  if (std::ifstream steps(d / "steps.jsonl"); steps) {
    for (std::string line; std::getline(steps, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("status", "") == "done")
        done.insert(j.value("build", "") + "/" + j.value("engine", ""));
    }
  }
  // Keep the records of completed steps only (a torn or foreign line goes to the discarded file too).
  const fs::path records = d / "records.jsonl", tmp = d / "records.jsonl.tmp";
  std::size_t kept = 0, discarded = 0;
  {
    std::ifstream rin(records);
    std::ofstream keep(tmp, std::ios::trunc);
    std::ofstream drop(d / "records.discarded.jsonl", std::ios::app);
    for (std::string line; std::getline(rin, line);) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto j = nlohmann::json::parse(line, nullptr, false);
      const bool ok = j.is_object() && done.contains(j.value("host_build", "") + "/" + j.value("engine", ""));
      (ok ? keep : drop) << line << '\n';
      ++(ok ? kept : discarded);
    }
    if (!keep.flush() || !drop.flush()) {
      fmt::print(stderr, "error: --resume: cannot rewrite {}\n", records.string());
      return 1;
    }
  }
  std::error_code ec;
  fs::rename(tmp, records, ec);
  if (ec) {
    fmt::print(stderr, "error: --resume: cannot replace {}: {}\n", records.string(), ec.message());
    return 1;
  }
  fmt::print(stderr, "resuming {}: {} of {} steps done ({} records kept, {} set aside in records.discarded.jsonl)\n",
             dir, done.size(), hosts.size() * o.engines.size(), kept, discarded);
  return run_steps(o, hosts, done);
}

}  // namespace

void register_micro(CLI::App& app, int& status) {
  auto o = std::make_shared<MicroCli>();
  std::string configs_help = "Configurations (default: all). The paper's Table 1 and additions:";
  for (const auto& c : micro::table1_configs()) {
    configs_help += fmt::format("\n  {:>2} {:<24} {}", c.index, c.name, c.description);
  }
  configs_help += fmt::format("\n  {:>2} {:<24} {}", 20, "canonical-scalars",
                              "(component model) mul-scalars(s32, s32) through a typed component call");
  configs_help += fmt::format("\n  {:>2} {:<24} {}", 21, "canonical-record",
                              "(component model) mul-record(record pair) through a typed component call");
  auto* cmd = app.add_subcommand(
      "micro",
      "The paper's micro-benchmark: a multiplication called through each data-passing ABI (Table 1),\n"
      "on every engine and host build, plus batch (N = 1..1024 records per call) and payload\n"
      "(8 B..64 KiB) sweeps. Every call's result is checked. Writes records.jsonl (one record per\n"
      "replication), summary.csv and plots into --out.");
  cmd->add_option("--engines", o->engines, "Engine ids (default: all)")->delimiter(',');
  cmd->add_option("--builds", o->builds, "Host builds: release,debug (default: both that exist)")->delimiter(',');
  cmd->add_option("--config", o->configs, configs_help);
  cmd->add_option("--reps", o->reps, "Replications per configuration")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--calls", o->calls, "Calls per replication")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_flag("--quick", o->quick, "Smoke-sized run (3 replications of 2,000 calls) for tests");
  cmd->add_flag("--no-batch", o->no_batch, "Skip the batch sweep");
  cmd->add_flag("--no-payload", o->no_payload, "Skip the payload sweep");
  cmd->add_flag("--no-hostcall", o->no_hostcall, "Skip the guest-to-host hop (guest loops calling host functions)");
  cmd->add_flag("--no-canonical", o->no_canonical,
                "Skip the component model's canonical ABI (configurations canonical-*, payload-canonical)");
  cmd->add_flag("--no-plots", o->no_plots, "Do not draw plots");
  cmd->add_option("--out", o->out, "Results directory (default: results/micro-<date>-<time>; must not exist)");
  cmd->add_option("--debug-binary", o->debug_binary, "wasmhop built with the debug preset (default: found next to this one)");
  cmd->add_option("--release-binary", o->release_binary, "wasmhop built with the release preset");
  cmd->add_option("--seed", o->seed, "Seed of the configuration order shuffle")->capture_default_str();
  cmd->add_option("--guest-dir", o->guest_dir, "Directory of the built guest scripts")->capture_default_str();
  cmd->add_option("--child-engine", o->child_engine, "(internal) run one engine in this process")->group("");
  cmd->add_option("--records", o->records, "(internal) records file to append to")->group("");
  cmd->add_option("--run-id", o->run_id, "(internal)")->group("");
  cmd->add_option("--resume", o->resume,
                  "Continue an interrupted run in this directory with its recorded options (the steps that\n"
                  "finished keep their records; the rest run again)");
  cmd->callback([&status, o, cmd] {
    o->guest_dir_given = cmd->get_option("--guest-dir")->count() > 0;
    if (!o->child_engine.empty()) {
      status = micro_child(*o);
      return;
    }
    if (!o->resume.empty()) {
      for (const CLI::Option* opt : cmd->get_options()) {
        const std::string name = opt->get_name();
        if (opt->count() > 0 && name != "--resume" && name != "--no-plots") {
          fmt::print(stderr, "error: --resume continues a run with its recorded options: leave out {}\n", name);
          status = 2;
          return;
        }
      }
      status = resume_parent(o->resume, o->no_plots);
      return;
    }
    status = run_parent(*o);
  });
}

}  // namespace wasmhop::cli
