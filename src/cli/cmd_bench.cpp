// wasmhop bench MODULE EXPORT [ARGS...]: one export of any module on every engine, each in its own
// process; phases timed apart, results compared. The pieces live in src/cli/bench/.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "cli/bench/bench_report.hpp"
#include "cli/bench/child_run.hpp"
#include "cli/bench/engine_runs.hpp"
#include "cli/bench/html_page.hpp"
#include "cli/bench/module_probe.hpp"
#include "cli/bench/text_outputs.hpp"
#include "cli/bench/value_text.hpp"
#include "cli/commands.hpp"
#include "cli/exit_status.hpp"

namespace wasmhop::cli {
namespace {

using namespace bench;

struct BenchOptions {
  ChildRequest request;          // module, export, args, settings
  std::vector<std::string> engines;
  double timeout_s = 30;
  bool json = false;
  bool csv = false;
  std::string html;
  std::string child;             // internal: measure this engine here
};

// Everything that can be wrong before an engine starts: the module, the export, the ARGS, the
// output file. One line each; the exit status is `run`'s for the same error (cli/exit_status.hpp).
Result<ProbedModule> check_input(const BenchOptions& o, FuncType& type) {
  const ChildRequest& r = o.request;
  auto m = probe_module(r.module);
  if (!m) return m;
  auto t = find_function(*m, r.export_name, r.module.filename().string());
  if (!t) return tl::unexpected(t.error());
  type = *t;
  if (r.args.size() != type.params.size()) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("export '{}' has type {}: it takes {} argument(s), {} given", r.export_name,
                            type.to_string(), type.params.size(), r.args.size()));
  }
  for (std::size_t i = 0; i < r.args.size(); ++i) {
    if (auto v = parse_value(r.args[i], type.params[i], i); !v) return tl::unexpected(v.error());
  }
  if (!o.html.empty() && !std::ofstream(o.html, std::ios::app)) {
    return fail(ErrorKind::io_error, fmt::format("--html: cannot write '{}'", o.html));
  }
  return m;
}

void progress(std::size_t k, std::size_t n, const EngineRow& row) {
  std::string what = to_string(row.status);
  if (row.median_ns) what = short_number(*row.median_ns) + " ns/call";
  fmt::print(stderr, "bench [{}/{}] {:<18} {:6.2f} s  {}\n", k, n, row.id, row.wall_s, what);
}

int run_bench(const BenchOptions& o) {
  FuncType type;
  auto module = check_input(o, type);
  if (!module) {
    fmt::print(stderr, "error: {}\n", module.error().describe());
    return exit_status_for(module.error());
  }
  auto planned = plan_engines(o.engines, o.request.module, module->from_text);
  if (!planned) {
    fmt::print(stderr, "error: {}\n", planned.error().describe());
    return exit_status_for(planned.error());
  }
  BenchReport report{o.request.module.string(), o.request.export_name, type.to_string(), o.request.args,
                     o.request.settings, o.timeout_s, {}, {}, 0, ""};
  std::size_t total = 0, k = 0;
  for (const auto& row : *planned) total += row.status != RowStatus::skipped;
  for (auto& row : *planned) {
    if (row.status != RowStatus::skipped) {
      ChildRequest r = o.request;
      r.engine = row.id;
      if (isatty(STDERR_FILENO)) fmt::print(stderr, "bench [{}/{}] {} ...\r", k + 1, total, row.id);
      row = run_engine(std::move(row), r, o.timeout_s);
      progress(++k, total, row);
    }
    report.rows.push_back(std::move(row));
  }
  conclude(report);
  if (o.json) fmt::print("{}", to_json(report));
  else if (o.csv) fmt::print("{}", to_csv(report));
  else print_table(report, stdout);
  std::fflush(stdout);
  if (!o.html.empty()) {
    if (auto st = write_html(report, o.html); !st) {
      fmt::print(stderr, "error: {}\n", st.error().describe());
      return exit_status_for(st.error());
    }
    fmt::print(stderr, "bench: wrote {}\n", o.html);
  }
  if (report.exit_status != kExitOk && (o.json || o.csv)) fmt::print(stderr, "{}\n", report.verdict);
  return report.exit_status;
}

}  // namespace

void register_bench(CLI::App& app, int& status) {
  auto o = std::make_shared<BenchOptions>();
  auto* cmd = app.add_subcommand(
      "bench",
      "Benchmark one export of any module (.wasm or .wat) on every engine, each in its own process:\n"
      "compile, instantiate, first call, steady per-call median with its 95% CI; results compared.\n"
      "Exit status (as 'run' for the same error): 0 every engine ran and the results agree;\n"
      "9 engines returned different results; bad input, nothing run: 2 unknown engine or wrong number\n"
      "or type of ARGS, 4 not a module, 5 missing export, 1 unreadable MODULE or unwritable --html;\n"
      "an engine failed (the others agree): 7 the first call trapped on every engine, else the status\n"
      "of the first failed engine: 6 instantiation (imports), 7 trap, 8 --timeout, 1 crash or other.");
  cmd->add_option("module", o->request.module, "Module file: .wasm, or .wat (converted with wabt)")->required();
  cmd->add_option("export", o->request.export_name, "Exported function to call")->required();
  cmd->add_option("args", o->request.args,
                  "Arguments by the export's parameter types: integers decimal or 0x hex, floats as text "
                  "(1.5, -0, nan, inf)");
  cmd->add_option("--engines", o->engines, "Engine ids, comma-separated (default: every engine of this build)")
      ->delimiter(',')->allow_extra_args(false);
  cmd->add_option("--timeout", o->timeout_s, "Seconds one engine's process may run before it is killed")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--batch-ms", o->request.settings.batch_ms, "Calibration target of one timed batch (ms)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--reps", o->request.settings.reps, "Timed batches per engine (the median's 95% CI needs >= 6)")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--max-time", o->request.settings.max_time_s,
                  "Seconds of timed batches per engine at most: fewer reps (>= 3) when calls are slow")
      ->capture_default_str()->check(CLI::PositiveNumber);
  auto* json = cmd->add_flag("--json", o->json, "Print JSON instead of the table (fields: src/cli/bench/text_outputs.hpp)");
  cmd->add_flag("--csv", o->csv, "Print CSV instead of the table (one row per engine)")->excludes(json);
  cmd->add_option("--html", o->html, "Also write a self-contained HTML page (table and SVG charts) to FILE");
  cmd->add_option("--child", o->child, "(internal) measure one engine in this process, print JSON")->group("");
  cmd->callback([&status, o] {
    if (!o->child.empty()) {
      ChildRequest r = o->request;
      r.engine = o->child;
      status = run_child(r);
      return;
    }
    status = run_bench(*o);
  });
}

}  // namespace wasmhop::cli
