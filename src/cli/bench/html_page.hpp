// `wasmhop bench --html FILE`: one self-contained page (inline CSS and SVG, no script, no network):
// the run's settings and verdict, the table, a chart of per-call ns with the median's 95 % CI as
// whiskers, and a chart of compile and instantiate times.
#pragma once

#include <filesystem>
#include <string>

#include "cli/bench/bench_report.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::cli::bench {

[[nodiscard]] std::string html_page(const BenchReport& r);

// Writes html_page(r) to `path` (io_error naming it).
[[nodiscard]] Status write_html(const BenchReport& r, const std::filesystem::path& path);

}  // namespace wasmhop::cli::bench
