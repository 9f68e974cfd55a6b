#include "cli/bench/engine_runs.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/exit_status.hpp"
#include "run/child.hpp"
#include "run/program.hpp"

namespace wasmhop::cli::bench {
namespace {

namespace fs = std::filesystem;

std::string native_build_of(const fs::path& module) {
  return (module.parent_path() / (module.stem().string() + ".native.so")).string();
}

// Why an available engine still cannot run this module ("" = it can).
std::string skip_reason(const nlohmann::json& e, const fs::path& module, bool from_text) {
  const bool loads_wasm = e.value("capabilities", nlohmann::json::object()).value("loads_wasm", true);
  if (loads_wasm) return "";
  if (from_text) return "runs native builds of the project's scripts only; a .wat module has none";
  const std::string so = native_build_of(module);
  if (!fs::exists(so)) return fmt::format("runs native builds of scripts only: no {} next to the module", so);
  return "";
}

std::vector<std::string> arguments(const ChildRequest& r) {
  std::vector<std::string> argv = {run::self_executable(), "bench", "--child", r.engine,
                                   "--batch-ms", fmt::format("{}", r.settings.batch_ms),
                                   "--reps", std::to_string(r.settings.reps),
                                   "--max-time", fmt::format("{}", r.settings.max_time_s),
                                   "--", r.module.string(), r.export_name};
  argv.insert(argv.end(), r.args.begin(), r.args.end());
  return argv;
}

}  // namespace

Result<std::vector<EngineRow>> plan_engines(const std::vector<std::string>& requested, const fs::path& module,
                                            bool from_text) {
  auto listed = run::run_child({run::self_executable(), "engines", "--json"});
  if (!listed) return tl::unexpected(listed.error());
  nlohmann::json engines = nlohmann::json::parse(listed->out, nullptr, false);
  if (listed->exit_status != 0 || !engines.is_array()) {
    return fail(ErrorKind::internal, fmt::format("'wasmhop engines --json' failed (exit status {})",
                                                 listed->exit_status));
  }
  std::vector<std::string> ids;
  for (const auto& e : engines) ids.push_back(e.value("id", ""));
  for (const auto& id : requested) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      return fail(ErrorKind::invalid_argument,  // a usage error, as `run -e` has it
                  fmt::format("--engines: unknown engine '{}' (engines: {})", id, fmt::join(ids, ", ")));
    }
  }
  std::vector<EngineRow> rows;
  for (const auto& id : requested.empty() ? ids : requested) {
    const auto& e = *std::find_if(engines.begin(), engines.end(), [&](const auto& x) { return x["id"] == id; });
    EngineRow row;
    row.id = id;
    row.status = RowStatus::ok;  // to be measured
    if (!e.value("available", false)) {
      row.status = RowStatus::skipped;
      row.message = e.value("error", "unavailable");
    } else if (std::string why = skip_reason(e, module, from_text); !why.empty()) {
      row.status = RowStatus::skipped;
      row.message = why;
    }
    row.name = e.value("name", "");
    row.version = e.value("version", "");
    row.tier = e.value("tier", "");
    rows.push_back(std::move(row));
  }
  return rows;
}

EngineRow run_engine(EngineRow row, const ChildRequest& r, double timeout_s) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const auto timeout = std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(timeout_s * 1e9)));
  // The child never marks (no {mark-fd}): the whole run, compilation included, counts.
  auto child = run::run_child_with_timeout(arguments(r), timeout, std::chrono::nanoseconds(0));
  row.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!child) {
    row.status = RowStatus::crashed;
    row.exit_status = kExitOther;
    row.message = child.error().describe();
    return row;
  }
  if (child->timed_out) {
    row.status = RowStatus::timed_out;
    row.exit_status = kExitTimeout;
    row.message = fmt::format("still running after --timeout {} s; its child process was killed", timeout_s);
    return row;
  }
  const nlohmann::json j = nlohmann::json::parse(child->child.out, nullptr, false);
  if (child->child.exit_status != 0 || !j.is_object()) {
    row.status = RowStatus::crashed;
    row.exit_status = kExitOther;
    const int st = child->child.exit_status;
    row.message = st > 128 ? fmt::format("the child process died with signal {}", st - 128)
                           : fmt::format("the child process exited with status {} without a result", st);
    return row;
  }
  fill_row(row, j);
  return row;
}

}  // namespace wasmhop::cli::bench
