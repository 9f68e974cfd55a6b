// wasmhop suite: the whole study in one command (src/suite/suite.hpp; docs/suite.md).
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "run/program.hpp"
#include "suite/build_info.hpp"
#include "suite/suite.hpp"

namespace wasmhop::cli {

// Long on purpose: a flat table of the command's options (one CLI11 call each) and its callback.
void register_suite(CLI::App& app, int& status) {
  struct Args {
    suite::SuiteOptions o;
    std::uint64_t seed = 0;
    bool build_info = false;
    bool no_build = false;
    bool no_report = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "suite",
      "Reproduce the whole study: locate (or build) the Release and Debug hosts, generate the workload\n"
      "(ProWGen, the paper's preset), run the micro-benchmark and the simulator on every engine, each\n"
      "(host build, engine, tier) in its own process, in an order shuffled with a recorded seed, then\n"
      "write report.md and report.html. Records are appended as they are made; after Ctrl-C or a crash,\n"
      "--resume DIR continues where the run stopped. See docs/suite.md.");
  cmd->add_flag("--quick", a->o.quick, "Smoke-sized run (about a minute or two; for tests)");
  cmd->add_option("--out", a->o.out, "Results directory (default: results/suite-<date>-<time>; must not exist)");
  cmd->add_option("--resume", a->o.resume, "Continue the run in this results directory");
  cmd->add_option("--shard", a->o.shard,
                  "K/N: run the K-th of N deterministic parts of the plan (the same options on every machine),\n"
                  "then merge them with 'wasmhop report --out DIR SHARD_DIR...' (docs/suite.md)");
  auto* seed = cmd->add_option("--seed", a->seed, "Seed of the run order (default 20221)");
  cmd->add_option("--builds", a->o.builds, "Host builds (default: release,debug)")->delimiter(',');
  cmd->add_option("--engines", a->o.engines, "Engine ids (default: every available engine)")->delimiter(',');
  cmd->add_option("--release-binary", a->o.release_binary, "wasmhop built with the release preset (default: located)");
  cmd->add_option("--debug-binary", a->o.debug_binary, "wasmhop built with the debug preset (default: located)");
  cmd->add_flag("--no-build", a->no_build, "Do not build a missing host build (fail instead)");
  cmd->add_option("--paper-trace", a->o.paper_trace,
                  "The paper's own trace for an extra hit-rate sweep: auto (../shared/traces/paper-trace.dat.gz or\n"
                  "$WASMHOP_PAPER_TRACE when present; default mode only), none, or a path")
      ->capture_default_str();
  cmd->add_option("--micro-reps", a->o.micro_reps,
                  "Micro-benchmark replications of 100,000 calls per configuration (default 10; quick: 3).\n"
                  "100 is the paper's protocol: about 35 minutes per host build on 2 cores instead of 15 in all")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--sim-reps", a->o.sim_reps,
                  "Timed simulator runs per (engine, host build) on compiled engines (default 3; interpreters 1)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--step-timeout", a->o.step_timeout_s,
                  "Kill a step that runs longer than this many seconds and count it as failed (default: the\n"
                  "larger of 600 s and 20 times the step's expected time); a runaway script cannot hang the suite")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-report", a->no_report, "Do not write the report at the end (run 'wasmhop report DIR' later)");
  cmd->add_flag("--build-info", a->build_info, "(internal) print this binary's build facts as JSON")->group("");
  cmd->callback([&status, a, seed] {
    if (a->build_info) {
      fmt::print("{}\n", suite::build_info().dump(2));
      status = 0;
      return;
    }
    suite::SuiteOptions o = a->o;
    if (seed->count() > 0) o.seed = a->seed;
    o.build_missing = !a->no_build;
    o.report = !a->no_report;
    o.argv = run::command_line();
    auto r = suite::run_suite(o);
    if (!r) {
      fmt::print(stderr, "wasmhop suite: error: {}\n", r.error().message);
      status = 2;
      return;
    }
    status = r->exit_status();
  });
}

}  // namespace wasmhop::cli
