// `wasmhop suite --shard K/N`: a deterministic 1/N of the plan, so that an existing scheduler (GNU
// parallel, a Slurm job array, ...) runs one study on N machines, and `wasmhop report DIR...` merges
// the N results directories into one report (docs/suite.md, "A study across machines").
//
// Every shard makes the same plan (same options, same seed: the plan is a pure function of them) and
// runs the steps assigned to it:
//   - gen runs in every shard: the workload is every other step's input; it is generated
//     deterministically (the merge checks that all shards generated the same one) and takes a second;
//   - the other steps are dealt by expected time, longest first, each to the shard with the least
//     expected time so far (ties: the step id, then the lowest shard): about 1/N of the time each.
// A step is one child process (one host build x engine x tier), so a shard never splits a step.
#pragma once

#include <string>
#include <vector>

#include "suite/plan.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::suite {

struct Shard {
  int index = 1;  // K, 1-based
  int count = 1;  // N
  [[nodiscard]] bool whole() const noexcept { return count == 1; }
  friend bool operator==(const Shard&, const Shard&) = default;
};

// "K/N" with 1 <= K <= N.
[[nodiscard]] Result<Shard> parse_shard(const std::string& text);
[[nodiscard]] std::string to_string(const Shard& s);

// The shard (1..count) of each step of the plan, in plan order; 0 = every shard (gen).
[[nodiscard]] std::vector<int> assign_shards(const Plan& plan, int count);

// The steps of `plan` that `shard` runs, in run order.
[[nodiscard]] std::vector<const Step*> shard_steps(const Plan& plan, const Shard& shard);

}  // namespace wasmhop::suite
