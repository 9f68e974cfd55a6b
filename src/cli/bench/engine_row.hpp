// One engine's line of a `wasmhop bench` result, as the parent assembles it from the child's JSON
// (child_run.hpp) or from what happened to the child.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wasmhop::cli::bench {

enum class RowStatus : std::uint8_t {
  ok,         // measured
  trapped,    // the first call trapped (nothing to time)
  failed,     // an engine error (compile, instantiate, export, a trap during the timed calls)
  crashed,    // the child died (signal) or exited without its JSON
  timed_out,  // the child ran past --timeout and was killed
  skipped,    // not measured here: not built, or no native build of the module
};
[[nodiscard]] const char* to_string(RowStatus s) noexcept;

struct EngineRow {
  std::string id;
  RowStatus status = RowStatus::skipped;
  std::string message;  // why it was skipped / failed, or the trap's message
  std::string name, version, tier;
  bool interpreter = false;
  std::optional<double> compile_ms, instantiate_ms, first_call_us;
  // The first call's outcome, compared across engines: results (bits and text) or a trap kind.
  bool has_outcome = false;
  std::vector<std::string> result_types;
  std::vector<std::uint64_t> result_bits;
  std::vector<std::string> result_text;
  std::string trap_kind;
  // Steady state: per-call ns of each timed batch, their median and its 95 % CI (order statistics).
  std::vector<double> per_call_ns;
  std::optional<double> median_ns, ci_low_ns, ci_high_ns;
  bool ci_reached = false;  // false: too few batches for 95 %, the CI is their whole range
  std::int64_t calls_per_batch = 0;
  int reps = 0;
  std::int64_t differing_calls = 0;  // calls whose results differed from the first call's
  std::string call_path;             // "direct" | "packed"
  std::optional<double> ratio;       // median / the best engine's median
  double wall_s = 0;                 // the child's whole run
  int exit_status = 0;               // cli/exit_status.hpp: what `wasmhop run` would exit with (failures)

  // "42" / "1 2.5" / "trap (unreachable)" / "" (no outcome)
  [[nodiscard]] std::string outcome_text() const;
};

// Fills a row from a child's JSON object (child_run.hpp); the status follows its error/first fields.
void fill_row(EngineRow& row, const nlohmann::json& child);

}  // namespace wasmhop::cli::bench
