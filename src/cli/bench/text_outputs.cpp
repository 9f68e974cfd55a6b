#include "cli/bench/text_outputs.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace wasmhop::cli::bench {
namespace {

using nlohmann::json;

std::string opt_text(const std::optional<double>& v) { return v ? short_number(*v) : "-"; }

json opt_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

std::string ci_text(const EngineRow& row) {
  if (!row.ci_low_ns) return "-";
  return fmt::format("[{}, {}]{}", short_number(*row.ci_low_ns), short_number(*row.ci_high_ns),
                     row.ci_reached ? "" : "*");
}

json row_json(const EngineRow& row) {
  return {{"engine", row.id},
          {"status", to_string(row.status)},
          {"tier", row.tier},
          {"version", row.version},
          {"compile_ms", opt_json(row.compile_ms)},
          {"instantiate_ms", opt_json(row.instantiate_ms)},
          {"first_call_us", opt_json(row.first_call_us)},
          {"median_ns", opt_json(row.median_ns)},
          {"ci_low_ns", opt_json(row.ci_low_ns)},
          {"ci_high_ns", opt_json(row.ci_high_ns)},
          {"ci_95", row.ci_reached},
          {"ratio", opt_json(row.ratio)},
          {"calls_per_batch", row.calls_per_batch},
          {"reps", row.reps},
          {"call_path", row.call_path},
          {"differing_calls", row.differing_calls},
          {"result", row.outcome_text()},
          {"message", row.message},
          {"per_call_ns", row.per_call_ns}};
}

}  // namespace

void print_table(const BenchReport& r, std::FILE* out) {
  fmt::print(out, "{} {}({})  {}\n", r.module, r.export_name, fmt::join(r.args, ", "), r.type);
  fmt::print(out, "per call: median of {} timed batches, each of N calls calibrated to ~{} ms (so slower "
                  "engines, the interpreters, make fewer calls: column 'calls'); 95% CI of the median from "
                  "order statistics\n\n", r.settings.reps, r.settings.batch_ms);
  fmt::print(out, "{:<18} {:<11} {:>10} {:>9} {:>9} {:>9} {:>17} {:>7} {:>11}  {}\n", "engine", "tier", "compile ms",
             "inst ms", "first us", "ns/call", "95% CI", "x best", "calls", "result");
  for (const auto& row : r.rows) {
    if (row.status == RowStatus::skipped) continue;
    if (!row.median_ns && !row.compile_ms) {
      fmt::print(out, "{:<18} {:<11} {}: {}\n", row.id, row.tier, to_string(row.status), row.message);
      continue;
    }
    const std::string calls = row.calls_per_batch ? fmt::format("{}x{}", row.reps, row.calls_per_batch) : "-";
    fmt::print(out, "{:<18} {:<11} {:>10} {:>9} {:>9} {:>9} {:>17} {:>7} {:>11}  {}\n", row.id, row.tier,
               opt_text(row.compile_ms), opt_text(row.instantiate_ms), opt_text(row.first_call_us),
               opt_text(row.median_ns), ci_text(row), row.ratio ? short_number(*row.ratio) : "-", calls,
               row.outcome_text());
    if (row.status != RowStatus::ok) fmt::print(out, "{:<18} {}\n", "", row.message);
    if (row.differing_calls > 0) {
      fmt::print(out, "{:<18} note: {} calls returned other results than the first call (a stateful export?)\n",
                 "", row.differing_calls);
    }
  }
  bool any_star = false;
  for (const auto& row : r.rows) any_star = any_star || (row.ci_low_ns && !row.ci_reached);
  if (any_star) fmt::print(out, "* fewer than 6 batches (--reps, or slow calls and --max-time): the range of all batches, not a 95% CI\n");
  std::vector<std::string> packed;
  for (const auto& row : r.rows) {
    if (row.call_path == "packed") packed.push_back(row.id);
  }
  if (!packed.empty()) {
    fmt::print(out, "calls through the packed convention (arguments and results through an array; the others "
                    "through the engine's direct entry): {}\n", fmt::join(packed, ", "));
  }
  for (const auto& row : r.rows) {
    if (row.status == RowStatus::skipped) fmt::print(out, "skipped {}: {}\n", row.id, row.message);
  }
  fmt::print(out, "\n{}\n", r.verdict);
}

std::string to_json(const BenchReport& r) {
  json engines = json::array();
  for (const auto& row : r.rows) engines.push_back(row_json(row));
  json outcomes = json::array();
  for (const auto& g : r.agreement.groups) outcomes.push_back({{"outcome", g.outcome}, {"engines", g.engines}});
  const json j{{"module", r.module},
               {"export", r.export_name},
               {"type", r.type},
               {"args", r.args},
               {"settings", {{"batch_ms", r.settings.batch_ms}, {"reps", r.settings.reps},
                             {"max_time_s", r.settings.max_time_s}, {"timeout_s", r.timeout_s}}},
               {"exit_status", r.exit_status},
               {"verdict", r.verdict},
               {"agree", r.agreement.agree()},
               {"outcomes", outcomes},
               {"engines", engines}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string to_csv(const BenchReport& r) {
  std::string out =
      "engine,status,tier,version,compile_ms,instantiate_ms,first_call_us,median_ns,ci_low_ns,ci_high_ns,ci_95,"
      "ratio,calls_per_batch,reps,call_path,differing_calls,result,message\n";
  auto num = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
  for (const auto& row : r.rows) {
    const bool measured = row.calls_per_batch > 0;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(row.id),
                       to_string(row.status), csv_field(row.tier), csv_field(row.version), num(row.compile_ms),
                       num(row.instantiate_ms), num(row.first_call_us), num(row.median_ns), num(row.ci_low_ns),
                       num(row.ci_high_ns), row.ci_low_ns ? (row.ci_reached ? "1" : "0") : "", num(row.ratio),
                       measured ? std::to_string(row.calls_per_batch) : "", measured ? std::to_string(row.reps) : "",
                       row.call_path, measured ? std::to_string(row.differing_calls) : "",
                       csv_field(row.outcome_text()), csv_field(row.message));
  }
  return out;
}

}  // namespace wasmhop::cli::bench
