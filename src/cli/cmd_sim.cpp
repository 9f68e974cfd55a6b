// wasmhop sim: the web proxy cache simulator (the paper's macro-benchmark). See docs/sim.md.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <set>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/subprocess.hpp"
#include "sim/driver.hpp"
#include "sim/input_plan.hpp"
#include "sim/policies.hpp"
#include "sim/runner_selection.hpp"
#include "sim/sim_output.hpp"
#include "sim/size_parse.hpp"
#include "trace/reader.hpp"
#include "suite/process.hpp"
#include "report/records.hpp"
#include "report/sim_ratios.hpp"

#ifndef WASMHOP_GUEST_DIR
#define WASMHOP_GUEST_DIR "guests"
#endif

namespace wasmhop::cli {
namespace {

struct SimArgs {
  std::string trace;
  std::string format = "auto";
  unsigned csv_id_col = 1;
  unsigned csv_size_col = 2;
  unsigned csv_time_col = 0;
  std::string csv_delimiter = ",";
  bool csv_header = false;
  bool csv_hash_ids = false;
  std::string policies = "all";
  std::string cache_sizes = "4MiB:256MiB";
  std::string size_change = "first-size";
  std::string gds_cost = "one";
  unsigned threads = 0;
  bool timed = false;
  bool stream = false;
  bool no_stream = false;
  std::size_t chunk = std::size_t{1} << 14;  // 256 KiB of requests: stays in the L2 cache
  std::uint64_t warmup = 0;
  std::string engines = "native";
  std::string abis;
  std::string cached = "yes";
  std::string guest_dir = WASMHOP_GUEST_DIR;
  std::string out_dir;
  std::string csv_file;
  std::string json_file;
  bool skip_bad = false;
  bool allow_zero = false;
  bool quiet = false;
  bool resume = false;
  double call_timeout_s = 0;
  std::string max_memory;
  std::vector<std::string> summarize;  // --summarize: sim.json files (or directories holding one)
  std::string trace_memory;  // --trace-memory: the most the trace may take in memory (auto mode)
  std::vector<std::string> argv;  // for the "how to resume" line
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<char> parse_delimiter(const std::string& text) {
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text == "space" || text == " ") return ' ';
  if (text.size() == 1) return text[0];
  return fail(ErrorKind::invalid_argument,
              fmt::format("bad CSV delimiter '{}' (one character, or 'tab' / 'space')", text));
}

Result<std::vector<bool>> parse_cached(const std::string& text) {
  if (text == "yes") return std::vector<bool>{true};
  if (text == "no") return std::vector<bool>{false};
  if (text == "both") return std::vector<bool>{true, false};
  return fail(ErrorKind::invalid_argument, fmt::format("bad --cached '{}' (valid: yes, no, both)", text));
}

constexpr const char* kRowsFile = "sim.rows.jsonl";

// DIR/sim_summary.csv and DIR/sim_ratios.csv: the statistics tools/plot_sim.py draws (medians over the
// replications, scripted / native ratios), computed here so that the script computes nothing.
Status write_summaries(const std::string& dir, const sim::SweepResult& all) {
  std::vector<report::SimRow> rows;
  rows.reserve(all.records.size());
  for (const auto& r : all.records) {
    auto row = report::to_sim_row(nlohmann::json(sim::record_row(r)));
    if (!row) return tl::unexpected(row.error());
    rows.push_back(std::move(*row));
  }
  return report::write_sim_summaries(dir, report::summarize_sim(rows));
}

// --summarize: the rows of several runs' sim.json (replications of one study) -> DIR/sim_summary.csv and
// DIR/sim_ratios.csv; no simulation runs.
Status summarize_runs(const SimArgs& a) {
  if (a.out_dir.empty()) return fail(ErrorKind::invalid_argument, "--summarize needs --out DIR");
  std::vector<report::SimRow> rows;
  for (const auto& name : a.summarize) {
    std::filesystem::path file = name;
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) file /= "sim.json";
    std::ifstream in(file);
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (!in.is_open() || doc.is_discarded() || !doc.is_object() || !doc.contains("records"))
      return fail(ErrorKind::invalid_argument, fmt::format("{}: not a `wasmhop sim --json` file", file.string()));
    for (const auto& j : doc["records"]) {
      auto row = report::to_sim_row(j);
      if (!row) return fail(ErrorKind::invalid_argument, fmt::format("{}: {}", file.string(), row.error().message));
      rows.push_back(std::move(*row));
    }
  }
  return report::write_sim_summaries(a.out_dir, report::summarize_sim(rows));
}

// Rows of an interrupted run in DIR/sim.rows.jsonl. A line torn by a kill is dropped (its run runs
// again) and the file is rewritten without it, so new rows are not appended to a torn line.
Result<std::vector<sim::SimRecord>> read_rows(const std::filesystem::path& file) {
  auto records = report::read_jsonl(file, report::ReadOptions{.skip_malformed = true});
  if (!records) return tl::unexpected(records.error());
  if (records->skipped() != 0) {
    std::string text;
    for (const auto& r : records->records) text += r.dump() + "\n";
    const std::string tmp = file.string() + ".tmp";
    if (auto st = sim::write_text_file(tmp, text); !st) return tl::unexpected(st.error());
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) return fail(ErrorKind::io_error, fmt::format("{}: cannot replace: {}", file.string(), ec.message()));
  }
  std::vector<sim::SimRecord> out;
  for (std::size_t i = 0; i < records->records.size(); ++i) {
    auto r = sim::record_from_row(records->records[i]);
    if (!r) return fail(ErrorKind::invalid_argument, fmt::format("{}:{}: {}", file.string(), records->lines[i],
                                                                 r.error().message));
    out.push_back(std::move(*r));
  }
  return out;
}

// Ok(""): finished. Ok(message): stopped by SIGINT/SIGTERM, what was kept and how to resume.
Result<std::string> run_sim(const SimArgs& a) {
  namespace fs = std::filesystem;
  const fs::path rows_path = a.out_dir.empty() ? fs::path() : fs::path(a.out_dir) / kRowsFile;
  std::vector<sim::SimRecord> resumed;
  if (a.resume) {
    std::error_code ec;
    if (a.out_dir.empty() || !fs::exists(rows_path, ec))
      return fail(ErrorKind::invalid_argument,
                  fmt::format("--resume continues a run in --out DIR: {} not found", a.out_dir.empty()
                                                                                        ? std::string("no --out given")
                                                                                        : rows_path.string()));
    auto rows = read_rows(rows_path);
    if (!rows) return tl::unexpected(rows.error());
    resumed = std::move(*rows);
  }
  // Results already in --out are not overwritten (refused before any work).
  if (!a.out_dir.empty() && !a.resume) {
    for (const char* name : {"sim.csv", "sim.json", kRowsFile}) {
      std::error_code ec;
      if (std::filesystem::exists(std::filesystem::path(a.out_dir) / name, ec)) {
        return fail(ErrorKind::invalid_argument,
                    fmt::format("results directory '{}' already holds {} (choose another --out)", a.out_dir, name));
      }
    }
  }
  trace::TraceOptions topts;
  topts.path = a.trace;
  auto format = trace::parse_trace_format(a.format);
  if (!format) return tl::unexpected(format.error());
  topts.format = *format;
  topts.csv = trace::CsvOptions{a.csv_id_col, a.csv_size_col, a.csv_time_col, ',', a.csv_header, a.csv_hash_ids};
  auto delimiter = parse_delimiter(a.csv_delimiter);
  if (!delimiter) return tl::unexpected(delimiter.error());
  topts.csv.delimiter = *delimiter;
  topts.skip_bad_records = a.skip_bad;
  topts.allow_zero_size = a.allow_zero;

  auto cost = sim::parse_cost(a.gds_cost);
  if (!cost) return tl::unexpected(cost.error());
  auto policies = sim::parse_policy_list(a.policies, *cost);
  if (!policies) return tl::unexpected(policies.error());
  auto sizes = sim::parse_size_list(a.cache_sizes);
  if (!sizes) return tl::unexpected(sizes.error());
  auto mode = sim::parse_size_change(a.size_change);
  if (!mode) return tl::unexpected(mode.error());
  auto cached = parse_cached(a.cached);
  if (!cached) return tl::unexpected(cached.error());

  sim::RunnerSelection selection;
  selection.engines = split_list(a.engines);
  selection.abis = split_list(a.abis);
  selection.cached = *cached;
  selection.guest_dir = a.guest_dir;
  selection.call_timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(a.call_timeout_s));
  if (!a.max_memory.empty()) {
    auto bytes = sim::parse_size(a.max_memory);
    if (!bytes) return tl::unexpected(bytes.error());
    selection.memory_limit = *bytes;
  }
  selection.note = [](const std::string& why) { fmt::print(stderr, "note: {}\n", why); };
  auto factories = sim::make_runner_factories(selection);
  if (!factories) return tl::unexpected(factories.error());

  std::vector<sim::RunSpec> runs = sim::make_runs(*policies, *sizes, *mode);
  sim::SweepOptions sopts;
  sopts.threads = a.timed ? 1u : a.threads;
  sopts.warmup = a.warmup;
  sopts.chunk_records = a.chunk;

  auto facts = sim::probe_input(a.trace, topts.format);
  if (!facts) return tl::unexpected(facts.error());
  facts->runs = static_cast<std::uint64_t>(runs.size()) * factories->size();
  facts->memory_budget = sim::default_memory_budget();
  if (!a.trace_memory.empty()) {
    auto bytes = sim::parse_size(a.trace_memory);
    if (!bytes) return tl::unexpected(bytes.error());
    facts->memory_budget = *bytes;
  }
  const sim::InputChoice input = sim::choose_input(
      a.stream ? sim::StreamMode::stream : a.no_stream ? sim::StreamMode::memory : sim::StreamMode::automatic, *facts);
  if (!a.quiet) fmt::print(stderr, "input: {}\n", input.reason);

  std::optional<trace::Trace> trace;  // read once, shared by every factory
  if (!input.stream) {
    auto t = trace::read_trace(topts);
    if (!t) return tl::unexpected(t.error());
    trace = std::move(*t);
    if (trace->requests.empty()) return fail(ErrorKind::invalid_argument, fmt::format("{}: no requests", a.trace));
  }

  // Completed rows are appended to DIR/sim.rows.jsonl as each run ends, so an interrupted run keeps
  // them and --resume skips them. SIGINT/SIGTERM: runs not yet started are not started.
  std::optional<report::AppendOnlyWriter> rows;
  if (!rows_path.empty()) {
    auto w = report::AppendOnlyWriter::open(rows_path);
    if (!w) return tl::unexpected(w.error());
    rows.emplace(std::move(*w));
  }
  std::optional<Error> row_error;
  sopts.on_record = [&](const sim::SimRecord& r) {
    if (!rows || row_error) return;
    if (auto st = rows->append(nlohmann::json(sim::record_row(r))); !st) row_error = st.error();
  };
  suite::install_stop_handlers();
  sopts.stop = &suite::stop_flag();

  std::set<std::string> done;
  for (const auto& r : resumed) done.insert(sim::job_key(r));
  sim::SweepResult all;
  std::size_t planned = 0;
  bool first = true;
  for (auto& factory : *factories) {
    std::vector<sim::RunSpec> todo;
    for (const auto& spec : runs)
      if (!done.contains(sim::job_key(spec, factory->label()))) todo.push_back(spec);
    planned += runs.size();
    if (todo.empty() || suite::stop_requested() != 0) {
      all.interrupted = all.interrupted || !todo.empty();
      continue;
    }
    Result<sim::SweepResult> result;
    if (trace) {
      result = sim::run_sweep(*trace, todo, *factory, sopts);
    } else {
      auto reader = trace::open_trace(topts);
      if (!reader) return tl::unexpected(reader.error());
      result = sim::run_sweep(**reader, todo, *factory, sopts);
    }
    if (!result) return tl::unexpected(result.error());
    if (row_error) return tl::unexpected(*row_error);
    if (first) {
      all.trace = result->trace;
      all.threads = result->threads;
      all.warmup = result->warmup;
      first = false;
    }
    all.interrupted = all.interrupted || result->interrupted;
    for (auto& r : result->records) all.records.push_back(std::move(r));
  }
  if (first && trace) {  // everything was resumed or stopped before the first run
    all.trace = sim::TraceSummary{trace->path, trace->format, trace->compression, trace->stats.records,
                                  trace->stats.skipped, trace->stats.first_errors, trace->read_seconds, false, {}};
    all.warmup = a.warmup;
  }
  all.trace.input = input.reason;
  if (!resumed.empty()) {  // resumed rows first, in the planned order of keys
    std::vector<sim::SimRecord> merged = std::move(resumed);
    for (auto& r : all.records) merged.push_back(std::move(r));
    all.records = std::move(merged);
  }

  if (!a.quiet) std::fputs(sim::format_table(all).c_str(), stdout);
  for (const std::string& e : all.trace.first_errors) fmt::print(stderr, "skipped: {}\n", e);
  std::string csv_path = a.csv_file, json_path = a.json_file;
  if (!a.out_dir.empty()) {
    if (csv_path.empty()) csv_path = a.out_dir + "/sim.csv";
    if (json_path.empty()) json_path = a.out_dir + "/sim.json";
  }
  if (!csv_path.empty())
    if (auto st = sim::write_text_file(csv_path, sim::to_csv(all)); !st) return tl::unexpected(st.error());
  if (!json_path.empty())
    if (auto st = sim::write_text_file(json_path, sim::to_json(all)); !st) return tl::unexpected(st.error());
  if (!a.out_dir.empty())
    if (auto st = write_summaries(a.out_dir, all); !st) return tl::unexpected(st.error());
  if (all.interrupted) {
    const int sig = suite::stop_requested();
    std::vector<std::string> files;
    for (const auto& p : {rows_path.string(), csv_path, json_path})
      if (!p.empty()) files.push_back(p);
    const std::string where = fmt::format("{}", fmt::join(files, ", "));
    std::string how = "rerun with --out DIR to make a run resumable";
    if (!rows_path.empty()) {
      std::vector<std::string> argv = a.argv;
      if (std::find(argv.begin(), argv.end(), "--resume") == argv.end()) argv.push_back("--resume");
      how = "finish it with: " + suite::shell_join(argv);
    }
    return fmt::format("interrupted by {} after {} of {} runs; the completed rows are in {} (marked "
                            "\"interrupted\"); {}",
                            sig == SIGTERM ? "SIGTERM" : "SIGINT", all.records.size(), planned,
                            where.empty() ? "no file (no --out, --csv or --json)" : where, how);
  }
  return std::string();
}

}  // namespace

void register_sim(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "sim",
      "Web proxy cache simulator: run cache policies over a trace for a list of cache sizes and report\n"
      "exact hit counts, hit rate, byte hit rate and simulation time (reading time apart).");
  auto a = std::make_shared<SimArgs>();
  cmd->add_option("--trace", a->trace,
                  "Trace file (plain, gzip or zstd; compression is detected from the content); required unless --summarize");
  cmd->add_option("--format", a->format,
                  "auto | text | csv | oracle. auto: *.csv -> csv, *oracleGeneral* or *.bin -> oracle,\n"
                  "otherwise text ('id size' per line, the paper's format)")
      ->capture_default_str();
  cmd->add_option("--csv-id-col", a->csv_id_col, "CSV: column of the object id (from 1)")->capture_default_str();
  cmd->add_option("--csv-size-col", a->csv_size_col, "CSV: column of the size in bytes (0 = none: size 1)")
      ->capture_default_str();
  cmd->add_option("--csv-time-col", a->csv_time_col, "CSV: column of the timestamp (0 = none; validated only)")
      ->capture_default_str();
  cmd->add_option("--csv-delimiter", a->csv_delimiter, "CSV: field delimiter (one character, 'tab' or 'space')")
      ->capture_default_str();
  cmd->add_flag("--csv-header", a->csv_header, "CSV: the first line is a header");
  cmd->add_flag("--csv-hash-ids", a->csv_hash_ids, "CSV: ids are strings; use their 64-bit XXH3 hash");
  cmd->add_option("--policy", a->policies,
                  fmt::format("Policies: a comma list or 'all'. Valid: {}.\n"
                              "gds and gdsf take an optional cost suffix, e.g. gds:packets",
                              sim::valid_policy_names()))
      ->capture_default_str();
  cmd->add_option("--cache-size", a->cache_sizes,
                  "Cache sizes: a comma list of sizes and doubling ranges FROM:TO, in bytes or with units\n"
                  "KiB/MiB/GiB/TiB (binary) or KB/MB/GB/TB (decimal), e.g. 4MiB:256MiB or 1000000,64MB")
      ->capture_default_str();
  cmd->add_option("--size-change", a->size_change,
                  "first-size: an id keeps the size of its first request (the paper's mode);\n"
                  "miss: a request with a new size is a miss that replaces the stale copy")
      ->capture_default_str();
  cmd->add_option("--gds-cost", a->gds_cost,
                  "Miss cost for gds/gdsf: one (c = 1), packets (c = 2 + size/536), size (c = size)")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "Worker threads for the sweep (0 = all cores)")->capture_default_str();
  cmd->add_flag("--timed", a->timed, "Run one job at a time (for timing); same as --threads 1");
  auto* stream = cmd->add_flag("--stream", a->stream,
                               "Stream the trace in chunks fed to all jobs instead of loading it (bounded memory;\n"
                               "the trace is read once per engine x ABI). Default: chosen per run (docs/sim.md):\n"
                               "streamed for a single run or a trace larger than half the available memory");
  cmd->add_flag("--no-stream", a->no_stream, "Load the trace into memory whatever its size (shared by every job)")
      ->excludes(stream);
  cmd->add_option("--chunk", a->chunk, "Records per chunk when streaming")->capture_default_str();
  cmd->add_option("--trace-memory", a->trace_memory,
                  "The most the trace may take in memory before it is streamed instead (e.g. 2GiB;\n"
                  "default: half the memory available)");
  cmd->add_option("--warmup", a->warmup, "Leading requests excluded from the counts")->capture_default_str();
  cmd->add_option("--engine", a->engines,
                  "Comma list of engines running the policies: 'native' = direct calls (the baseline), engine ids\n"
                  "(wasm2c, v8, v8-liftoff, v8-turbofan, wabt-interp; one V8 tier per process), 'native-engine' =\n"
                  "the scripts' native builds through the ABIs")
      ->capture_default_str();
  cmd->add_option("--abi", a->abis,
                  "Scripted engines: comma list of ABIs: pair, bincode, pod-dynamic, pod-static, batch, batch:<n>\n"
                  "(n requests per call, default 1024, at most 4096), canonical (the component model: engines with\n"
                  "the component capability). Default: all (canonical only where it runs)");
  cmd->add_option("--cached", a->cached, "Scripted engines: exports resolved once (yes), per call (no), both")
      ->capture_default_str();
  cmd->add_option("--guest-dir", a->guest_dir, "Scripted engines: directory of the policy modules")
      ->capture_default_str();
  cmd->add_option("--out", a->out_dir,
                  "Write DIR/sim.csv, DIR/sim.json and the summaries the plots draw (DIR/sim_summary.csv, sim_ratios.csv)");
  cmd->add_option("--summarize", a->summarize,
                  "Run nothing: summarize the rows of these `--json` files (or directories holding sim.json), e.g.\n"
                  "the replications of several runs, into --out DIR (sim_summary.csv, sim_ratios.csv; tools/plot_sim.py)");
  cmd->add_option("--csv", a->csv_file, "Write the results as CSV to this file");
  cmd->add_option("--json", a->json_file, "Write the results as JSON to this file");
  cmd->add_flag("--skip-bad-records", a->skip_bad, "Skip malformed records (counted and reported) instead of failing");
  cmd->add_flag("--allow-zero-size", a->allow_zero, "Accept requests of size 0");
  cmd->add_flag("-q,--quiet", a->quiet, "Do not print the table");
  cmd->add_option("--call-timeout", a->call_timeout_s,
                  "Scripted engines: stop a guest call that runs longer than this many seconds (a runaway\n"
                  "policy) and fail the run with a timeout error; engines that cannot stop a call in-process\n"
                  "(native-engine, wasm2c) refuse it. 0 = no limit")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-memory", a->max_memory,
                  "Scripted engines: the most memory a policy script may have (e.g. 256MiB); past it memory.grow\n"
                  "fails and the script sees an allocation failure");
  cmd->add_flag("--resume", a->resume,
                "Continue an interrupted run in --out DIR (same options): runs whose rows are in\n"
                "DIR/sim.rows.jsonl are not run again; sim.csv and sim.json then hold every row");
  cmd->callback([&status, a] {
    a->argv = command_line();
    if (!a->summarize.empty()) {
      auto done = summarize_runs(*a);
      if (!done) fmt::print(stderr, "wasmhop sim: error: {}\n", done.error().message);
      status = done ? 0 : 1;
      return;
    }
    if (a->trace.empty()) throw CLI::RequiredError("--trace");  // as when it was a required option
    auto st = run_sim(*a);
    if (st && !st->empty()) {
      fmt::print(stderr, "wasmhop sim: {}\n", *st);
      status = 128 + suite::stop_requested();
    } else if (!st) {
      fmt::print(stderr, "wasmhop sim: error: {}\n", st.error().message);
      status = 1;
    } else {
      status = 0;
    }
  });
}

}  // namespace wasmhop::cli
