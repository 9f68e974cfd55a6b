// Summary outputs of the micro-benchmark, computed from raw records: a CSV (one row per group), a JSON
// document and a console table (engine x configuration, median ns/call with the 95% CI half-width).
//
// One call does everything for a records file (what `wasmhop micro` / `wasmhop report` run after the
// measurements):
//
//   auto s = wasmhop::report::summarize_records_file("results/micro.jsonl", "results/");
//   // -> writes results/micro_summary.csv and results/micro_summary.json; s->console holds the table text
//
// or piecewise: summarize_micro (stats.hpp) -> write_summary_csv / write_summary_json / format_console_table.
//
// Schema 2 (schema 1 had neither the plot-ready metrics nor the "schema" column / "units", "batch_reference").
//
// Summary CSV columns (RFC 4180: comma-separated, CRLF line ends, a field is quoted with "..." when it holds
// a comma, a quote, CR or LF, and a quote inside it is doubled; the first row is the header). Empty field =
// absent value (a sweep key of a Table 1 group, srs of a non-Pair configuration, a NaN statistic).
//   experiment, host_build, engine, engine_name, engine_version, tier,
//   config, config_index, abi, cached, loading, srs, memory,     (cached/srs: "true"/"false")
//   batch_size, payload_bytes,                                   (sweep keys; empty for Table 1)
//   calls            calls per replication (0 if the group's records disagree)
//   n                replications in the group
//   runs             distinct run ids in the group
//   then for each metric M in
//     ns_per_call            nanoseconds per call
//     loop_s                 seconds of one replication's timed loop of `calls` calls
//     compile_s              seconds to compile the module
//     instantiate_s          seconds to instantiate it
//     including_compile_s    loop_s + compile_s + instantiate_s (the paper's Figure 5)
//     s_per_100k_calls       ns_per_call * 1e-4 (Figures 3/4 at any call count)
//     including_compile_s_per_100k   s_per_100k_calls + compile_s + instantiate_s (Figure 5 at any call count)
//     ns_per_record          ns_per_call / batch_size (batch sweep; empty elsewhere)
//   the columns M_mean, M_sd, M_median, M_min, M_max, M_ci_low, M_ci_high, M_ci_half
//   (sd: sample standard deviation; ci: the 95% confidence interval of the mean, Student's t; with n = 1 the
//   interval is degenerate: ci_low = ci_high = mean, ci_half = 0 — see stats.hpp), then
//   bytes_per_call   payload_bytes, or batch_size * 8 (empty for Table 1)
//   bytes_per_s, bytes_per_s_ci_low, bytes_per_s_ci_high   bytes_per_call / ns_per_call, the CI through 1/x
//   schema           2 (kMicroSummarySchema)
// Numbers are written in the shortest form that reads back to the same double.
//
// Summary JSON: {"schema": 2, "confidence": 0.95, "groups": [ {<the key and descriptive fields as above>,
//   "calls", "n", "runs", "ns_per_call": {"n", "mean", "sd", "median", "min", "max", "t", "ci_low", "ci_high",
//   "ci_half"}, "loop_s": {...}, ... one object per metric above, "bytes_per_call",
//   "bytes_per_s": {"mean", "ci_low", "ci_high"}} ],
//   "units": [ {"experiment", "host_build", "engine", "config", "n_min", "n_max", "calls_min", "calls_max"} ],
//   "batch_reference": [ {"host_build", "ns_per_record", "from_native_config", "batch_size", "configs"} ]}
//   (NaN is written as null; absent sweep keys / srs / bytes are omitted; units and batch_reference:
//   micro_figure_data.hpp. tools/plot_micro.py draws from this file alone.)
#pragma once

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/micro_record.hpp"
#include "report/stats.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::report {

inline constexpr int kMicroSummarySchema = 2;

// RFC 4180 field quoting: returns the field unchanged unless it holds ',', '"', CR or LF; then wraps it in
// quotes and doubles every quote inside.
[[nodiscard]] std::string csv_escape(std::string_view field);

// The summary CSV's header, in column order.
[[nodiscard]] const std::vector<std::string>& summary_csv_columns();

void write_summary_csv(std::ostream& out, std::span<const GroupSummary> groups);
[[nodiscard]] Status write_summary_csv(const std::filesystem::path& path, std::span<const GroupSummary> groups);

[[nodiscard]] nlohmann::json summary_to_json(std::span<const GroupSummary> groups);
[[nodiscard]] Status write_summary_json(const std::filesystem::path& path, std::span<const GroupSummary> groups);

struct ConsoleTableOptions {
  std::string experiment;  // only this experiment ("" = every experiment, one table each)
  std::string host_build;  // only this host build ("" = every build, one table each)
};

// One table per (experiment, host build): a row per configuration (and sweep point), a column per engine,
// cells "median ±half" in ns per call (the half-width of the 95% CI of the mean); "-" where an engine has no
// data, a bare median where n = 1.
[[nodiscard]] std::string format_console_table(std::span<const GroupSummary> groups,
                                               const ConsoleTableOptions& options = {});

struct SummaryFiles {
  std::filesystem::path csv;    // <out_dir>/micro_summary.csv
  std::filesystem::path json;   // <out_dir>/micro_summary.json
  std::vector<GroupSummary> groups;
  std::string console;          // format_console_table(groups)
  std::size_t records = 0;      // micro records read
  std::vector<run::LineError> malformed;  // skipped lines (with run::ReadOptions::skip_malformed)
};

// Reads the records (read_micro_records), summarizes them and writes micro_summary.csv and
// micro_summary.json into out_dir (created if missing). No records is an invalid_argument error.
[[nodiscard]] Result<SummaryFiles> summarize_records_file(const std::filesystem::path& records_jsonl,
                                                          const std::filesystem::path& out_dir,
                                                          run::ReadOptions options = {.skip_malformed = true});
// The same over the micro records of several files (other kinds of records are ignored).
[[nodiscard]] Result<SummaryFiles> summarize_records_files(const std::vector<std::filesystem::path>& records_jsonl,
                                                           const std::filesystem::path& out_dir,
                                                           run::ReadOptions options = {.skip_malformed = true});

}  // namespace wasmhop::report
