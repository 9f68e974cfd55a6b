#include "cli/bench/engine_row.hpp"

#include "cli/exit_status.hpp"
#include "report/stats.hpp"

namespace wasmhop::cli::bench {
namespace {

std::optional<double> number(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<double>();
}

void fill_steady(EngineRow& row, const nlohmann::json& s) {
  row.calls_per_batch = s.value("calls_per_batch", std::int64_t{0});
  row.reps = s.value("reps", 0);
  row.differing_calls = s.value("differing_calls", std::int64_t{0});
  row.per_call_ns = s.value("per_call_ns", std::vector<double>{});
  if (row.per_call_ns.empty()) return;
  row.median_ns = report::median(row.per_call_ns);
  const report::MedianCi ci = report::median_ci(row.per_call_ns);
  row.ci_low_ns = ci.low;
  row.ci_high_ns = ci.high;
  row.ci_reached = ci.reached_confidence;
}

// The child's error kind (its text) as `run`'s exit status.
int status_of_kind(const std::string& kind) {
  for (int k = 0; k <= static_cast<int>(ErrorKind::interrupted); ++k) {
    if (to_string(static_cast<ErrorKind>(k)) == kind) return exit_status_for(Error{static_cast<ErrorKind>(k), ""});
  }
  return kExitOther;
}

}  // namespace

const char* to_string(RowStatus s) noexcept {
  switch (s) {
    case RowStatus::ok: return "ok";
    case RowStatus::trapped: return "trap";
    case RowStatus::failed: return "error";
    case RowStatus::crashed: return "crashed";
    case RowStatus::timed_out: return "timeout";
    case RowStatus::skipped: return "skipped";
  }
  return "?";
}

std::string EngineRow::outcome_text() const {
  if (!has_outcome) return "";
  if (!trap_kind.empty()) return "trap (" + trap_kind + ")";
  std::string s;
  for (const auto& t : result_text) s += (s.empty() ? "" : " ") + t;
  return s.empty() ? "(no results)" : s;
}

void fill_row(EngineRow& row, const nlohmann::json& j) {
  row.name = j.value("name", "");
  row.version = j.value("version", "");
  row.tier = j.value("tier", "");
  row.interpreter = j.value("interpreter", false);
  row.compile_ms = number(j, "compile_ms");
  row.instantiate_ms = number(j, "instantiate_ms");
  row.first_call_us = number(j, "first_call_us");
  row.call_path = j.value("call_path", "");
  row.status = RowStatus::ok;
  if (j.contains("first")) {
    const auto& first = j["first"];
    row.has_outcome = true;
    if (first.contains("trap")) {
      row.status = RowStatus::trapped;
      row.exit_status = kExitTrap;
      row.trap_kind = first["trap"].value("kind", "unknown");
      row.message = first["trap"].value("message", "");
    }
    for (const auto& r : first.value("results", nlohmann::json::array())) {
      row.result_types.push_back(r.value("type", ""));
      row.result_bits.push_back(r.value("bits", std::uint64_t{0}));
      row.result_text.push_back(r.value("text", ""));
    }
  }
  if (j.contains("steady")) fill_steady(row, j["steady"]);
  if (j.contains("error")) {
    row.status = RowStatus::failed;
    row.message = j["error"].value("message", "");
    row.exit_status = status_of_kind(j["error"].value("kind", ""));
  }
}

}  // namespace wasmhop::cli::bench
