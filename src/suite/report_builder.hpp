// `wasmhop report DIR`: rebuilds every statistic, figure and the report of a suite results directory
// from its raw records alone (records of completed steps, as the journal says; discarded partial
// records are never read). Writes DIR/report/{micro_summary,sim_summary}.csv (+ JSON), the figures in
// DIR/report/figures/, and DIR/report.md + DIR/report.html (self-contained: images embedded).
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "report/findings.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::suite {

struct ReportOptions {
  bool plots = true;               // run the plotting scripts (matplotlib)
  std::FILE* out_stream = stderr;  // progress and notes
};

struct ReportFiles {
  std::filesystem::path markdown;
  std::filesystem::path html;
  std::size_t figures = 0;
  std::vector<std::string> notes;  // figures that could not be drawn, malformed lines, ...
  std::vector<std::string> findings;
};

// Loads DIR into SuiteData (summaries and checks computed; figures not drawn).
[[nodiscard]] Result<report::SuiteData> load_suite_data(const std::filesystem::path& dir, std::vector<std::string>& notes);

[[nodiscard]] Result<ReportFiles> build_report(const std::filesystem::path& dir, const ReportOptions& options = {});

}  // namespace wasmhop::suite
