#include "cli/bench/compare.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/bench/value_text.hpp"

namespace wasmhop::cli::bench {
namespace {

ValType valtype_named(const std::string& s) {
  if (s == "i64") return ValType::i64;
  if (s == "f32") return ValType::f32;
  if (s == "f64") return ValType::f64;
  return ValType::i32;
}

}  // namespace

bool same_outcome(const EngineRow& a, const EngineRow& b) {
  if (a.trap_kind != b.trap_kind) return false;
  if (!a.trap_kind.empty()) return true;
  if (a.result_bits.size() != b.result_bits.size() || a.result_types != b.result_types) return false;
  for (std::size_t i = 0; i < a.result_bits.size(); ++i) {
    if (!same_value(a.result_bits[i], b.result_bits[i], valtype_named(a.result_types[i]))) return false;
  }
  return true;
}

Agreement compare_outcomes(const std::vector<EngineRow>& rows) {
  Agreement out;
  std::vector<const EngineRow*> firsts;  // each group's first row
  for (const auto& row : rows) {
    if (!row.has_outcome) continue;
    std::size_t g = 0;
    while (g < firsts.size() && !same_outcome(*firsts[g], row)) ++g;
    if (g == firsts.size()) {
      firsts.push_back(&row);
      out.groups.push_back({row.outcome_text(), {}});
    }
    out.groups[g].engines.push_back(row.id);
  }
  return out;
}

std::string Agreement::describe() const {
  if (agree()) return "";
  std::vector<std::string> parts;
  for (const auto& g : groups) parts.push_back(fmt::format("{} from {}", g.outcome, fmt::join(g.engines, ", ")));
  return fmt::format("results differ: {}", fmt::join(parts, "; "));
}

}  // namespace wasmhop::cli::bench
