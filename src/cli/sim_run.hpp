// `wasmhop sim`'s run: the options, and the sweep of every runner over the trace with each
// simulation's typed record written as it completes (run/sim_record.hpp):
//   --out DIR         a results directory (run/run_dir.hpp): DIR/records/sim.jsonl, one journal step per
//                     simulation, DIR/sim.csv and DIR/sim.json, and the summaries the plots draw
//                     (DIR/sim_summary.csv, sim_ratios.csv); --resume DIR continues it
//   --records FILE    (a suite step) the records go to FILE, stamped with the step's provenance
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/run_dir.hpp"
#include "wasmhop/result.hpp"

#ifndef WASMHOP_GUEST_DIR
#define WASMHOP_GUEST_DIR "guests"
#endif

namespace wasmhop::cli {

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
  std::string csv_file;
  std::string json_file;
  bool skip_bad = false;
  bool allow_zero = false;
  bool quiet = false;
  double call_timeout_s = 0;
  std::string max_memory;
  std::string trace_memory;  // --trace-memory: the most the trace may take in memory (auto mode)
  // Not recorded in run.json: where this session writes, and a suite step's provenance.
  std::string out_dir;
  std::string resume_dir;
  std::string records_file;
  std::vector<std::string> summarize;  // --summarize: sim.json files (or directories holding one)
  std::string run_id, step, purpose = "time", trace_name;
  int replication = 0;
};

// The options a run records in run.json (and --resume reads back).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(SimArgs, trace, format, csv_id_col, csv_size_col, csv_time_col,
                                                csv_delimiter, csv_header, csv_hash_ids, policies, cache_sizes,
                                                size_change, gds_cost, threads, timed, stream, no_stream, chunk,
                                                warmup, engines, abis, cached, guest_dir, csv_file, json_file,
                                                skip_bad, allow_zero, quiet, call_timeout_s, max_memory,
                                                trace_memory)

// Ok(""): finished. Ok(message): stopped by SIGINT/SIGTERM (what was kept and how to resume).
// `dir`: the results directory of --out / --resume (absent: no results directory).
[[nodiscard]] Result<std::string> run_sim(const SimArgs& a, run::RunDir* dir);

}  // namespace wasmhop::cli
