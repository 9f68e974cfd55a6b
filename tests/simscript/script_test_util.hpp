// Helpers of the scripted-runner tests: the engine under test (one per process), a synthetic
// trace with the awkward cases, the runs to check, and "same counts as native" through the driver.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/driver.hpp"
#include "sim/policies.hpp"
#include "sim/script_runner.hpp"
#include "trace/reader.hpp"

namespace wasmhop::sim::testing {

// The ScriptEngine of `id`, created once per process (a V8 tier is process-global).
[[nodiscard]] std::shared_ptr<ScriptEngine> shared_engine(const std::string& id);

// True for engines that interpret (about 100x slower): tests give them smaller inputs.
[[nodiscard]] bool is_slow(const ScriptEngine& engine);

// `n` requests over a few hundred ids, skewed; ties (sizes in 512-byte steps), objects larger
// than `capacity`, zero- and one-byte objects, and ~3% of requests with a changed size.
[[nodiscard]] Trace synthetic_trace(std::uint64_t seed, std::size_t n, std::uint64_t capacity);

// Every catalogue policy, plus gds and gdsf with the packets and size costs, for each mode.
[[nodiscard]] std::vector<RunSpec> every_policy_runs(std::uint64_t capacity,
                                                     std::vector<cache::SizeChange> modes);

// The selection of every ABI, cached and uncached.
[[nodiscard]] RunnerSelection every_abi(const std::string& engine);

// Runs `runs` natively and through every factory (one job at a time) and expects exactly the native
// counts (requests, hits, bytes requested, bytes hit) everywhere. Returns how many runs matched.
std::size_t expect_native_counts(const Trace& trace, const std::vector<RunSpec>& runs,
                                 std::vector<std::unique_ptr<RunnerFactory>>& factories, std::uint64_t warmup);

}  // namespace wasmhop::sim::testing
