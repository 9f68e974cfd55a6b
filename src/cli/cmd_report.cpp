// wasmhop report DIR...: every statistic, figure and the report of a suite run, from its raw records;
// several directories (the shards of one study) are merged into one report (src/suite/study.hpp).
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "suite/report_builder.hpp"

namespace wasmhop::cli {

void register_report(CLI::App& app, int& status) {
  struct Args {
    std::vector<std::string> dirs;
    std::string out;
    bool no_plots = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "report",
      "Rebuild the statistics (summary CSV/JSON), the figures and report.md / report.html of a\n"
      "'wasmhop suite' results directory from its raw records alone. Several directories (the shards of\n"
      "one study: 'wasmhop suite --shard K/N') are merged into one report in --out.");
  cmd->add_option("dir", a->dirs, "Results directories of 'wasmhop suite'")->required();
  cmd->add_option("--out", a->out, "Where the report goes (default: DIR itself; required for several)");
  cmd->add_flag("--no-plots", a->no_plots, "Skip the figures (tables and findings only)");
  cmd->callback([&status, a] {
    if (a->out.empty() && a->dirs.size() > 1) {
      fmt::print(stderr, "wasmhop report: error: several results directories are merged into --out DIR: give one\n");
      status = 2;
      return;
    }
    std::vector<std::filesystem::path> dirs(a->dirs.begin(), a->dirs.end());
    suite::ReportOptions o;
    o.plots = !a->no_plots;
    auto r = suite::build_report(dirs, a->out.empty() ? dirs.front() : std::filesystem::path(a->out), o);
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
