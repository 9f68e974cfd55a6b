// The suite's plan: every step (one child process each) of the study, in a shuffled, seeded order,
// with the parameters of each mode. The plan is written to <dir>/run.json when a run starts and
// read back by --resume, so a resumed run does exactly the steps it planned.
//
// Steps (ids are file-name safe; records of step S go to <dir>/records/S.jsonl):
//   gen                                  the workload (ProWGen paper preset) + the check sample
//   micro.<build>.<engine>               the micro-benchmark (Table 1, batch and payload sweeps)
//   sim-time.<build>.<engine>.r<k>       timed simulator runs: policies x scenarios at one cache size
//                                        (engine "native-direct" = the policies called directly)
//   sim-sweep.<trace>                    the hit-rate sweep (native, every policy, doubling sizes)
//   sim-check.<engine>                   the engine reproduces the native counts on the sample
//                                        (interpreters: on the short prefix)
// gen runs first; the others run in an order shuffled with the recorded seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wasmhop/result.hpp"

namespace wasmhop::suite {

enum class StepKind { gen, micro, sim_time, sim_sweep, sim_check };

[[nodiscard]] const char* to_string(StepKind k) noexcept;
[[nodiscard]] Result<StepKind> parse_step_kind(const std::string& s);

struct Step {
  std::string id;
  StepKind kind = StepKind::gen;
  std::string build;        // "release" | "debug"
  std::string engine;       // engine id; "native-direct" = the sim's direct native baseline
  int replication = 0;      // sim-time: 1-based
  std::string trace;        // sim: workload name ("workload", "paper-trace", "sample")
  std::vector<std::string> abis;  // sim-time / sim-check: ABIs of the scripted scenarios
  std::string cached = "both";    // sim-time: yes | no | both
  int micro_reps = 0;             // micro: replications and calls of this step (0: the plan's)
  std::int64_t micro_calls = 0;
  double expected_s = 0;    // cost model (seconds), for the time-left estimate
};

// An engine the plan covers (from `wasmhop engines --json`).
struct EngineEntry {
  std::string id;
  bool sandboxed = true;
  bool interpreter = false;
  bool aot = false;  // compiled ahead of time (wasm2c): the cost model's "aot" class
  bool component = false;  // runs components: its timed sim runs add the canonical ABI
  bool direct = false;     // no engine at all: the sim's direct baseline ("native-direct"), the
                           // policies called in the host (never in PlanParams::engines)
};

struct PlanParams {
  std::string mode = "default";  // "default" | "quick"
  std::uint64_t seed = 20221;
  std::string suite_id;          // names the run (records' run_id prefix)
  std::vector<std::string> builds{"release", "debug"};
  std::vector<EngineEntry> engines;
  // workload
  std::vector<std::string> gen_args;        // after `wasmhop gen`
  std::uint64_t workload_requests = 1'000'000;  // what gen_args produce (for the cost model)
  std::string workload_file = "workload/prowgen-paper.oracleGeneral.zst";
  std::uint64_t sample_requests = 250'000;  // prefix of the workload: the engine checks, Debug timings
  std::string debug_sim_trace = "sample";   // the Debug host's timed runs: "sample" or "workload"
  // A shorter prefix ("short") for the interpreters' timed runs and checks in both hosts: they run
  // 10-100x slower per request, and their records say which trace they ran on.
  std::uint64_t short_requests = 50'000;
  std::string paper_trace;                  // the paper's own trace ("" = not used)
  // micro
  int micro_reps = 10;
  int debug_micro_reps = 5;         // the Debug host's Table 1 (its CIs are wider anyway: -O0 noise)
  std::int64_t micro_calls = 100'000;
  int interp_calls_divisor = 10;    // interpreters: micro_calls / this per replication (recorded)
  bool micro_quick = false;
  // simulator timings
  std::vector<std::string> sim_policies{"fifo", "lru", "lfu", "gds"};
  std::string sim_cache = "4MiB";
  std::vector<std::string> sim_abis{"pair", "bincode", "pod-static", "batch"};
  int sim_reps = 3;
  std::vector<std::string> interp_abis{"pair", "bincode", "pod-static"};  // interpreters: the paper's six
  int interp_reps = 1;
  // hit-rate sweep and checks
  std::string sweep_sizes = "4MiB:8GiB";
  std::string check_sizes = "4MiB,16MiB,64MiB,256MiB,1GiB,4GiB";
  std::vector<std::string> check_abis{"pod-static"};
};

struct Plan {
  PlanParams params;
  std::vector<Step> steps;  // run order
  [[nodiscard]] const Step* find(const std::string& id) const;
  [[nodiscard]] double expected_total_s() const;
};

// The parameters of a mode ("default" or "quick"); engines and builds are filled in by the caller.
[[nodiscard]] Result<PlanParams> mode_params(const std::string& mode);

[[nodiscard]] Plan make_plan(const PlanParams& params);

// The per-step seed handed to a child (derived from the suite seed and the step id).
[[nodiscard]] std::uint64_t step_seed(std::uint64_t suite_seed, const std::string& step_id) noexcept;

[[nodiscard]] nlohmann::json to_json(const Plan& plan);
[[nodiscard]] Result<Plan> plan_from_json(const nlohmann::json& j);

}  // namespace wasmhop::suite
