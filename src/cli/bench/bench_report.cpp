#include "cli/bench/bench_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/exit_status.hpp"

namespace wasmhop::cli::bench {

std::string short_number(double x) {
  if (!std::isfinite(x)) return "-";
  const double a = std::fabs(x);
  if (a >= 100 || a == 0 || (a >= 10 && x == std::round(x))) return fmt::format("{:.0f}", x);
  if (a >= 10) return fmt::format("{:.1f}", x);
  if (a >= 1) return fmt::format("{:.2f}", x);
  return fmt::format("{:.3g}", x);
}

void conclude(BenchReport& r) {
  std::string first_failed_id;
  for (const auto& row : r.rows) {
    const bool failed = row.status != RowStatus::ok && row.status != RowStatus::skipped;
    if (first_failed_id.empty() && failed) first_failed_id = row.id;
  }
  std::stable_sort(r.rows.begin(), r.rows.end(), [](const EngineRow& a, const EngineRow& b) {
    if (a.median_ns.has_value() != b.median_ns.has_value()) return a.median_ns.has_value();
    return a.median_ns && *a.median_ns < *b.median_ns;
  });
  if (!r.rows.empty() && r.rows.front().median_ns) {
    const double best = *r.rows.front().median_ns;
    for (auto& row : r.rows) {
      if (row.median_ns && best > 0) row.ratio = *row.median_ns / best;
    }
  }
  r.agreement = compare_outcomes(r.rows);
  std::vector<std::string> failed, trapped;
  const EngineRow* first_failure = nullptr;  // in registry order, not in the sorted order
  std::size_t measured = 0;
  for (const auto& row : r.rows) {
    if (row.status == RowStatus::ok) ++measured;
    else if (row.status != RowStatus::skipped) failed.push_back(row.id);
    if (row.status == RowStatus::trapped) trapped.push_back(row.id);
    if (row.id == first_failed_id) first_failure = &row;
  }
  if (!r.agreement.agree()) {
    r.exit_status = kExitMismatch;
    r.verdict = "error: " + r.agreement.describe();
  } else if (!failed.empty() && trapped.size() == failed.size()) {
    r.exit_status = kExitTrap;
    r.verdict = fmt::format("error: the first call trapped on {}: {} (nothing to time)", fmt::join(trapped, ", "),
                            r.agreement.groups.front().outcome);
  } else if (first_failure != nullptr) {
    // As `run` would exit on that engine.
    r.exit_status = first_failure->exit_status != kExitOk ? first_failure->exit_status : kExitOther;
    r.verdict = fmt::format("error: not measured on {} (trap, engine error, crash or timeout: see above)",
                            fmt::join(failed, ", "));
  } else if (measured == 0) {
    r.exit_status = kExitEngine;
    r.verdict = "error: no engine could run the module";
  } else {
    r.exit_status = kExitOk;
    r.verdict = fmt::format("results agree on all {} engines measured: {}", measured,
                            r.agreement.groups.empty() ? "" : r.agreement.groups.front().outcome);
  }
}

}  // namespace wasmhop::cli::bench
