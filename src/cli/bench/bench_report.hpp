// Everything one `wasmhop bench` run found, in the form every output (table, JSON, CSV, HTML) reads.
#pragma once

#include <string>
#include <vector>

#include "cli/bench/compare.hpp"
#include "cli/bench/engine_row.hpp"
#include "cli/bench/settings.hpp"

namespace wasmhop::cli::bench {

struct BenchReport {
  std::string module;        // as given
  std::string export_name;
  std::string type;          // "(i32, i32) -> (i32)"
  std::vector<std::string> args;
  MeasureSettings settings;
  double timeout_s = 0;
  std::vector<EngineRow> rows;  // by per-call median, fastest first; then unmeasured rows
  Agreement agreement;
  int exit_status = 0;
  std::string verdict;       // one line: why exit_status is what it is
};

// Sorts the rows (measured by median ns, then the rest in their order), sets each ratio to the best
// median, compares outcomes and sets exit_status and verdict (cli/exit_status.hpp): 0 all agree;
// kExitMismatch engines differ; kExitTrap the first call trapped on every engine that ran; else, when
// engines failed, the status `run` gives for the first failed engine (registry order).
void conclude(BenchReport& r);

// Numbers as the outputs print them: 3 significant digits, no exponent ("0.853", "12.3", "1234").
[[nodiscard]] std::string short_number(double x);

}  // namespace wasmhop::cli::bench
