// The simulator's record (kind "sim"): one simulation (policy, cache size, size-change mode, runner)
// with its exact counts and times, written by `wasmhop sim` as the simulation completes (to
// --records FILE in a suite step, to DIR/records/sim.jsonl with --out DIR).
//
// JSON keys, after the header of records.hpp:
//   purpose         "time" | "sweep" | "check": what the suite ran it for ("time" by default)
//   trace           the trace's name in the study ("workload", "sample", "short", "paper-trace") or its file
//   replication     1-based replication of a timed suite step (0 otherwise)
//   policy, cost    policy name; miss cost of gds/gdsf ("-": not used)
//   cache_bytes, size_change ("first-size" | "miss")
//   engine, tier, abi, cached   the runner: engine "native" with abi "direct" is the direct baseline
//   requests, hits, bytes_requested, bytes_hit   exact counts after the warm-up prefix
//   hit_rate, byte_hit_rate, requests_per_second  derived (not read back)
//   simulated_requests  requests fed to the runner, warm-up included
//   setup_seconds, sim_seconds, sim_cpu_seconds  runner creation; access calls, wall and CPU time
//   trace_records, trace_read_seconds, timed, warmup   the trace, and the sweep that ran it (timed: one
//                   simulation at a time, so that times are comparable; warmup: requests left uncounted)
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "run/records.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::run {

inline constexpr std::string_view kSimKind = "sim";

struct SimRecord : RecordHeader {
  std::string purpose = "time";
  std::string trace;
  int replication = 0;
  std::string policy, cost = "-", size_change = "first-size";
  std::uint64_t cache_bytes = 0;
  std::string engine, tier = "-", abi = "direct";
  bool cached = true;
  std::uint64_t requests = 0, hits = 0, bytes_requested = 0, bytes_hit = 0, simulated_requests = 0;
  double setup_s = 0, sim_s = 0, sim_cpu_s = 0;
  std::uint64_t trace_records = 0;
  double trace_read_s = 0;
  bool timed = false;
  std::uint64_t warmup = 0;

  [[nodiscard]] bool direct() const noexcept { return abi == "direct"; }
  // "native-direct" for the direct baseline, "native" for the native engine through an ABI, else engine.
  [[nodiscard]] std::string engine_id() const;
  // "native (direct)" or "<abi> cached" / "<abi> uncached".
  [[nodiscard]] std::string scenario() const;
  // "gds" or "gds(packets)".
  [[nodiscard]] std::string policy_label() const;
  [[nodiscard]] double hit_rate() const noexcept { return requests ? double(hits) / double(requests) : 0.0; }
  [[nodiscard]] double byte_hit_rate() const noexcept {
    return bytes_requested ? double(bytes_hit) / double(bytes_requested) : 0.0;
  }
  [[nodiscard]] double requests_per_second() const noexcept {
    return sim_s > 0 ? double(simulated_requests) / sim_s : 0.0;
  }
};

[[nodiscard]] nlohmann::json to_json_object(const SimRecord& r);
// Checks kind and schema; invalid_argument naming the key that is missing or of the wrong type.
[[nodiscard]] Result<SimRecord> to_sim_record(const nlohmann::json& j);

// The simulation's fields alone, as a row of `wasmhop sim --json` holds them (no header, no version;
// provenance keys optional): for summaries of separate standalone runs (`wasmhop sim --summarize`).
[[nodiscard]] Result<SimRecord> sim_record_from_row(const nlohmann::json& row);

}  // namespace wasmhop::run
