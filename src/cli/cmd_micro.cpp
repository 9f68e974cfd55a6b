// wasmhop micro: the paper's micro-benchmark (Table 1) on every engine and host build, plus the
// batch, payload and guest-to-host sweeps. The parent runs one child process per (host build,
// engine) (micro_parent.hpp); children write typed records as they go; the summary and plots are
// computed from them.
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/micro_parent.hpp"
#include "cli/resume_options.hpp"
#include "micro/configs.hpp"

namespace wasmhop::cli {

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
      "(8 B..64 KiB) sweeps. Every call's result is checked. Each (host build, engine) runs in a child\n"
      "process of its own and writes records/micro.<build>.<engine>.jsonl (one record per replication);\n"
      "micro_summary.csv/json and plots follow, all in --out.");
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
  cmd->add_option("--out", o->out, "Results directory (default: results/micro-<date>-<time>; must not hold a run)");
  cmd->add_option("--debug-binary", o->debug_binary, "wasmhop built with the debug preset (default: found next to this one)");
  cmd->add_option("--release-binary", o->release_binary, "wasmhop built with the release preset");
  cmd->add_option("--seed", o->seed, "Seed of the configuration order shuffle")->capture_default_str();
  cmd->add_option("--guest-dir", o->guest_dir, "Directory of the built guest scripts")->capture_default_str();
  cmd->add_option("--child-engine", o->child_engine, "(internal) run one engine in this process")->group("");
  cmd->add_option("--records", o->records, "(internal) records file to append to")->group("");
  cmd->add_option("--run-id", o->run_id, "(internal)")->group("");
  cmd->add_option("--step", o->step, "(internal) the step these records belong to")->group("");
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
      if (const std::string other = option_besides_resume(*cmd, {"--no-plots"}); !other.empty()) {
        fmt::print(stderr, "error: --resume continues a run with its recorded options: leave out {}\n", other);
        status = 2;
        return;
      }
      status = micro_resume(o->resume, o->no_plots);
      return;
    }
    status = micro_parent(*o);
  });
}

}  // namespace wasmhop::cli
