// wasmhop sim: the web proxy cache simulator (the paper's macro-benchmark). See docs/sim.md.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sim/driver.hpp"
#include "sim/policies.hpp"
#include "sim/runner_selection.hpp"
#include "sim/sim_output.hpp"
#include "sim/size_parse.hpp"
#include "sim/trace_reader.hpp"

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
  std::size_t chunk = std::size_t{1} << 20;
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

Status run_sim(const SimArgs& a) {
  // Results already in --out are not overwritten (refused before any work).
  if (!a.out_dir.empty()) {
    for (const char* name : {"sim.csv", "sim.json"}) {
      std::error_code ec;
      if (std::filesystem::exists(std::filesystem::path(a.out_dir) / name, ec)) {
        return fail(ErrorKind::invalid_argument,
                    fmt::format("results directory '{}' already holds {} (choose another --out)", a.out_dir, name));
      }
    }
  }
  sim::TraceOptions topts;
  topts.path = a.trace;
  auto format = sim::parse_trace_format(a.format);
  if (!format) return tl::unexpected(format.error());
  topts.format = *format;
  topts.csv = sim::CsvOptions{a.csv_id_col, a.csv_size_col, a.csv_time_col, ',', a.csv_header, a.csv_hash_ids};
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
  auto factories = sim::make_runner_factories(selection);
  if (!factories) return tl::unexpected(factories.error());

  std::vector<sim::RunSpec> runs = sim::make_runs(*policies, *sizes, *mode);
  sim::SweepOptions sopts;
  sopts.threads = a.timed ? 1u : a.threads;
  sopts.warmup = a.warmup;
  sopts.chunk_records = a.chunk;

  std::optional<sim::Trace> trace;  // read once, shared by every factory
  if (!a.stream) {
    auto t = sim::read_trace(topts);
    if (!t) return tl::unexpected(t.error());
    trace = std::move(*t);
    if (trace->requests.empty()) return fail(ErrorKind::invalid_argument, fmt::format("{}: no requests", a.trace));
  }

  sim::SweepResult all;
  for (auto& factory : *factories) {
    Result<sim::SweepResult> result;
    if (trace) {
      result = sim::run_sweep(*trace, runs, *factory, sopts);
    } else {
      auto reader = sim::open_trace(topts);
      if (!reader) return tl::unexpected(reader.error());
      result = sim::run_sweep(**reader, runs, *factory, sopts);
    }
    if (!result) return tl::unexpected(result.error());
    if (all.records.empty()) {
      all.trace = result->trace;
      all.threads = result->threads;
      all.warmup = result->warmup;
    }
    for (auto& r : result->records) all.records.push_back(std::move(r));
  }

  if (!a.quiet) std::fputs(sim::format_table(all).c_str(), stdout);
  for (const std::string& e : all.trace.first_errors) fmt::print(stderr, "skipped: {}\n", e);
  std::string csv_path = a.csv_file, json_path = a.json_file;
  if (!a.out_dir.empty()) {
    if (csv_path.empty()) csv_path = a.out_dir + "/sim.csv";
    if (json_path.empty()) json_path = a.out_dir + "/sim.json";
  }
  if (!csv_path.empty())
    if (auto st = sim::write_text_file(csv_path, sim::to_csv(all)); !st) return st;
  if (!json_path.empty())
    if (auto st = sim::write_text_file(json_path, sim::to_json(all)); !st) return st;
  return {};
}

}  // namespace

void register_sim(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "sim",
      "Web proxy cache simulator: run cache policies over a trace for a list of cache sizes and report\n"
      "exact hit counts, hit rate, byte hit rate and simulation time (reading time apart).");
  auto a = std::make_shared<SimArgs>();
  cmd->add_option("--trace", a->trace,
                  "Trace file (plain, gzip or zstd; compression is detected from the content)")
      ->required();
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
  cmd->add_flag("--stream", a->stream,
                "Stream the trace in chunks fed to all jobs instead of loading it (for traces larger\n"
                "than memory; the trace is still read once)");
  cmd->add_option("--chunk", a->chunk, "Records per chunk with --stream")->capture_default_str();
  cmd->add_option("--warmup", a->warmup, "Leading requests excluded from the counts")->capture_default_str();
  cmd->add_option("--engine", a->engines,
                  "Comma list of engines running the policies: 'native' = direct calls (the baseline), engine ids\n"
                  "(wasm2c, v8, v8-liftoff, v8-turbofan, wabt-interp; one V8 tier per process), 'native-engine' =\n"
                  "the scripts' native builds through the ABIs")
      ->capture_default_str();
  cmd->add_option("--abi", a->abis,
                  "Scripted engines: comma list of ABIs: pair, bincode, pod-dynamic, pod-static, batch, batch:<n>\n"
                  "(n requests per call, default 1024, at most 4096). Default: all");
  cmd->add_option("--cached", a->cached, "Scripted engines: exports resolved once (yes), per call (no), both")
      ->capture_default_str();
  cmd->add_option("--guest-dir", a->guest_dir, "Scripted engines: directory of the policy modules")
      ->capture_default_str();
  cmd->add_option("--out", a->out_dir, "Write DIR/sim.csv and DIR/sim.json");
  cmd->add_option("--csv", a->csv_file, "Write the results as CSV to this file");
  cmd->add_option("--json", a->json_file, "Write the results as JSON to this file");
  cmd->add_flag("--skip-bad-records", a->skip_bad, "Skip malformed records (counted and reported) instead of failing");
  cmd->add_flag("--allow-zero-size", a->allow_zero, "Accept requests of size 0");
  cmd->add_flag("-q,--quiet", a->quiet, "Do not print the table");
  cmd->callback([&status, a] {
    auto st = run_sim(*a);
    if (!st) {
      fmt::print(stderr, "wasmhop sim: error: {}\n", st.error().message);
      status = 1;
    } else {
      status = 0;
    }
  });
}

}  // namespace wasmhop::cli
