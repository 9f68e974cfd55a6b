// `wasmhop report DIR...`: rebuilds every statistic, figure and the report of a suite results directory
// (or of the shards of one study, merged: study.hpp) from its raw records alone (records of completed
// steps, as the journal says; discarded partial records are never read). Writes
// OUT/report/{micro_summary,sim_summary}.csv (+ JSON), the figures in OUT/report/figures/, and
// OUT/report.md + OUT/report.html (self-contained: images embedded); OUT is DIR for one directory.
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

[[nodiscard]] Result<ReportFiles> build_report(const std::vector<std::filesystem::path>& dirs,
                                               const std::filesystem::path& out, const ReportOptions& options = {});

}  // namespace wasmhop::suite
