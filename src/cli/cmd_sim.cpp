// wasmhop sim: the web proxy cache simulator (the paper's macro-benchmark). See docs/sim.md.
// The options are here; the run (records, journal, --resume) is sim_run.hpp.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "abi/abi_info.hpp"
#include "cli/commands.hpp"
#include "cli/resume_options.hpp"
#include "cli/sim_run.hpp"
#include "run/program.hpp"
#include "run/run_dir.hpp"
#include "report/sim_ratios.hpp"
#include "report/sim_summary.hpp"
#include "run/sim_record.hpp"
#include "run/stop.hpp"
#include "sim/policies.hpp"

namespace wasmhop::cli {
namespace {

namespace fs = std::filesystem;

// A new run with --out: paths made absolute (--resume may run elsewhere), the options recorded.
Result<run::RunDir> new_results_dir(SimArgs& a) {
  for (const char* name : {"sim.csv", "sim.json"}) {  // results already there are not overwritten
    std::error_code ec;
    if (fs::exists(fs::path(a.out_dir) / name, ec)) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("results directory '{}' already holds {} (choose another --out)", a.out_dir, name));
    }
  }
  std::error_code ec;
  for (std::string* p : {&a.trace, &a.guest_dir, &a.csv_file, &a.json_file}) {
    if (!p->empty()) *p = fs::absolute(*p, ec).string();
  }
  auto d = run::RunDir::create(a.out_dir, "sim", run::RunDir::Existing::no_run);
  if (!d) return tl::unexpected(d.error());
  if (auto st = d->write_doc({{"argv", run::command_line()}, {"options", a}}); !st) return tl::unexpected(st.error());
  return d;
}

// --resume DIR: the recorded options; the records of simulations the journal does not mark
// complete are set aside first.
Result<std::string> resume_sim(const std::string& dir) {
  auto d = run::RunDir::resume(dir, "sim");
  if (!d) return fail(d.error().kind, "--resume: " + d.error().message);
  SimArgs a;
  try {
    a = d->doc().at("options").get<SimArgs>();
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorKind::invalid_argument, fmt::format("{}/run.json: {}", dir, e.what()));
  }
  auto aside = d->set_aside_unfinished([](const std::string& line) { fmt::print(stderr, "{}\n", line); });
  if (!aside) return tl::unexpected(aside.error());
  return run_sim(a, &*d);
}

// --summarize: the rows of several runs' sim.json (replications of one study) -> DIR/sim_summary.csv and
// DIR/sim_ratios.csv; no simulation runs.
Status summarize_runs(const SimArgs& a) {
  if (a.out_dir.empty()) return fail(ErrorKind::invalid_argument, "--summarize needs --out DIR");
  std::vector<run::SimRecord> rows;
  for (const auto& name : a.summarize) {
    fs::path file = name;
    std::error_code ec;
    if (fs::is_directory(file, ec)) file /= "sim.json";
    std::ifstream in(file);
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (!in.is_open() || doc.is_discarded() || !doc.is_object() || !doc.contains("records"))
      return fail(ErrorKind::invalid_argument, fmt::format("{}: not a `wasmhop sim --json` file", file.string()));
    for (const auto& j : doc["records"]) {
      auto row = run::sim_record_from_row(j);
      if (!row) return fail(ErrorKind::invalid_argument, fmt::format("{}: {}", file.string(), row.error().message));
      rows.push_back(std::move(*row));
    }
  }
  return report::write_sim_summaries(a.out_dir, report::summarize_sim(rows));
}

Result<std::string> sim_command(SimArgs& a, const CLI::App& cmd) {
  if (!a.summarize.empty()) {
    if (auto st = summarize_runs(a); !st) return tl::unexpected(st.error());
    return std::string();
  }
  if (!a.resume_dir.empty()) {
    if (const std::string other = option_besides_resume(cmd, {"--quiet"}); !other.empty()) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("--resume continues a run with its recorded options: leave out {}", other));
    }
    return resume_sim(a.resume_dir);
  }
  if (a.trace.empty()) throw CLI::RequiredError("--trace");  // as when it was a required option
  if (a.out_dir.empty()) return run_sim(a, nullptr);
  auto d = new_results_dir(a);
  if (!d) return tl::unexpected(d.error());
  return run_sim(a, &*d);
}

// The trace and how to read it.
void add_trace_options(CLI::App* cmd, const std::shared_ptr<SimArgs>& a) {
  cmd->add_option("--trace", a->trace,
                  "Trace file (plain, gzip or zstd; compression is detected from the content); required unless\n"
                  "--resume or --summarize");
  cmd->add_option("--summarize", a->summarize,
                  "Run nothing: summarize the rows of these `--json` files (or directories holding sim.json), e.g.\n"
                  "the replications of several runs, into --out DIR (sim_summary.csv, sim_ratios.csv; tools/plot_sim.py)");
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
}

// What to simulate: policies, cache sizes, the sweep; the engines and ABIs that run the policies.
void add_sweep_options(CLI::App* cmd, const std::shared_ptr<SimArgs>& a) {
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
                  "(those 'wasmhop engines' lists, e.g. wasmtime-cranelift, wasm3, wasm2c; one V8 tier per process),\n"
                  "'native-engine' = the scripts' native builds through the ABIs")
      ->capture_default_str();
  cmd->add_option("--abi", a->abis,
                  fmt::format("Scripted engines: comma list of ABIs: {}, and batch:<n> (n requests per call,\n"
                              "default 1024, at most 4096). Default: all (those an engine's capabilities cannot run,\n"
                              "such as canonical without the component capability, are left out)",
                              abi::abi_names()));
  cmd->add_option("--cached", a->cached, "Scripted engines: exports resolved once (yes), per call (no), both")
      ->capture_default_str();
  cmd->add_option("--guest-dir", a->guest_dir, "Scripted engines: directory of the policy modules")
      ->capture_default_str();
}

// Where results go, hostile-input limits, --resume, and a suite step's provenance.
void add_output_options(CLI::App* cmd, const std::shared_ptr<SimArgs>& a) {
  cmd->add_option("--out", a->out_dir,
                  "A results directory: each simulation's record in DIR/records/sim.jsonl as it completes (a step of\n"
                  "DIR/journal.jsonl), then DIR/sim.csv, DIR/sim.json and the summaries the plots draw\n"
                  "(DIR/sim_summary.csv, sim_ratios.csv); continue an interrupted one with --resume DIR");
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
  cmd->add_option("--resume", a->resume_dir,
                  "Continue an interrupted run in this results directory with its recorded options: the simulations\n"
                  "whose records are there do not run again; sim.csv and sim.json then hold every one");
  // A suite step's provenance, stamped on its records (src/suite).
  cmd->add_option("--records", a->records_file, "(internal) append each simulation's record to this file")->group("");
  cmd->add_option("--run-id", a->run_id, "(internal)")->group("");
  cmd->add_option("--step", a->step, "(internal) the step these records belong to")->group("");
  cmd->add_option("--purpose", a->purpose, "(internal) time | sweep | check")->group("");
  cmd->add_option("--trace-name", a->trace_name, "(internal) the trace's name in the study")->group("");
  cmd->add_option("--replication", a->replication, "(internal)")->group("");
}

}  // namespace

void register_sim(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "sim",
      "Web proxy cache simulator: run cache policies over a trace for a list of cache sizes and report\n"
      "exact hit counts, hit rate, byte hit rate and simulation time (reading time apart).");
  auto a = std::make_shared<SimArgs>();
  add_trace_options(cmd, a);
  add_sweep_options(cmd, a);
  add_output_options(cmd, a);
  cmd->callback([&status, a, cmd] {
    auto st = sim_command(*a, *cmd);
    if (st && !st->empty()) {
      fmt::print(stderr, "wasmhop sim: {}\n", *st);
      status = 128 + run::stop_requested();
    } else if (!st) {
      fmt::print(stderr, "wasmhop sim: error: {}\n", st.error().message);
      status = 1;
    } else {
      status = 0;
    }
  });
}

}  // namespace wasmhop::cli
