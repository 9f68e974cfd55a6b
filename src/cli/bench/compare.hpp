// Do the engines agree? The first call's outcome of every engine that made one (results compared
// bitwise, any NaN equal to any NaN; a trap equal to a trap of the same kind), grouped.
#pragma once

#include <string>
#include <vector>

#include "cli/bench/engine_row.hpp"

namespace wasmhop::cli::bench {

struct OutcomeGroup {
  std::string outcome;               // EngineRow::outcome_text of the group
  std::vector<std::string> engines;  // in row order
};

struct Agreement {
  std::vector<OutcomeGroup> groups;  // one group: they agree; more: the engines differ
  [[nodiscard]] bool agree() const noexcept { return groups.size() <= 1; }
  // "results differ: 3 from wasm2c, v8; 4 from wasm3" (empty when they agree)
  [[nodiscard]] std::string describe() const;
};

[[nodiscard]] Agreement compare_outcomes(const std::vector<EngineRow>& rows);

// Same outcome: the same trap kind, or the same results (bitwise; NaN == NaN).
[[nodiscard]] bool same_outcome(const EngineRow& a, const EngineRow& b);

}  // namespace wasmhop::cli::bench
