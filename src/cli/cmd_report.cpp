// wasmhop report DIR: every statistic, figure and the report of a suite run, from its raw records.
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "suite/report_builder.hpp"

namespace wasmhop::cli {

void register_report(CLI::App& app, int& status) {
  struct Args {
    std::string dir;
    bool no_plots = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "report",
      "Rebuild the statistics (summary CSV/JSON), the figures and report.md / report.html of a\n"
      "'wasmhop suite' results directory from its raw records alone.");
  cmd->add_option("dir", a->dir, "Results directory of 'wasmhop suite'")->required();
  cmd->add_flag("--no-plots", a->no_plots, "Skip the figures (tables and findings only)");
  cmd->callback([&status, a] {
    suite::ReportOptions o;
    o.plots = !a->no_plots;
    auto r = suite::build_report(a->dir, o);
    if (!r) {
      fmt::print(stderr, "wasmhop report: error: {}\n", r.error().message);
      status = 2;
      return;
    }
    fmt::print("{}\n{}\n", r->markdown.string(), r->html.string());
    status = 0;
  });
}

}  // namespace wasmhop::cli
