#include "cli/bench/child_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/bench/call_loop.hpp"
#include "cli/bench/module_probe.hpp"
#include "cli/bench/value_text.hpp"
#include "wasmhop/registry.hpp"
#include "wasmhop/wasi.hpp"

namespace wasmhop::cli::bench {
namespace {

using nlohmann::json;

// The one place a module is instantiated for bench. Modules with imports fail here with the
// engine's own error (passed through); once host functions exist, the Imports set goes in here.
// A module that imports WASI gets the minimal WASI (include/wasmhop/wasi.hpp); what it writes to
// stdout and stderr is dropped, since this child's stdout carries its result.
Result<std::unique_ptr<Instance>> instantiate_for_bench(Module& module) {
  InstanceOptions options;
  if (wasi::Context::needed_by(module)) {
    const wasi::Context wasi([](int, std::string_view) {});
    options.imports = wasi.imports_for(module);
  }
  return module.instantiate(options);
}

// Compiles the module: wasm engines from the bytes (a .wat converted here too), the native engine
// from its native build next to the file.
Result<std::unique_ptr<Module>> compile_module(Engine& engine, const std::filesystem::path& path) {
  if (!engine.info().caps.loads_wasm) return engine.load(path);
  auto probed = probe_module(path);
  if (!probed) return tl::unexpected(probed.error());
  return engine.compile(probed->wasm, path.stem().string());
}

json error_json(std::string_view phase, const Error& e) {
  return {{"phase", phase}, {"kind", to_string(e.kind)}, {"message", e.describe()}};
}

// The engine's own words are already in it (Instance::last_error_detail).
std::string trap_message(const Func& f, TrapKind trap) { return trap_error(f, trap).describe(); }

// Calibration, then the timed batches. Fills out["steady"] or out["error"].
void measure_steady(const Func& f, const std::vector<RawVal>& args, const std::vector<std::uint64_t>& first,
                    const MeasureSettings& s, json& out) {
  const CallLoop loop(f, args, first);
  out["call_path"] = loop.direct() ? "direct" : "packed";
  const double target_s = s.batch_ms / 1e3;
  const Calibration cal = calibrate(loop, target_s);
  json steady{{"calls_per_batch", cal.calls}};
  auto trapped = [&](const Batch& b, std::string_view where) {
    out["error"] = {{"phase", "steady"}, {"kind", "trap"},
                    {"message", fmt::format("call {} of a {} trapped: {}", b.calls_done + 1, where,
                                            trap_message(f, b.trap))}};
  };
  if (cal.last.trap != TrapKind::none) return trapped(cal.last, "calibration batch");
  // Slow calls (a batch longer than the target): fewer reps, so the engine stays within max_time.
  const double batch_s = std::max(cal.last.seconds, 1e-9);
  const int reps = std::clamp(static_cast<int>(s.max_time_s / batch_s), std::min(s.reps, 3), s.reps);
  std::vector<double> ns;
  std::uint64_t checksum = cal.last.checksum;
  std::int64_t differing = cal.last.differing;
  for (int rep = 0; rep < reps; ++rep) {
    const Batch b = loop.run(cal.calls);
    if (b.trap != TrapKind::none) return trapped(b, "timed batch");
    ns.push_back(b.seconds * 1e9 / static_cast<double>(cal.calls));
    checksum ^= b.checksum;
    differing += b.differing;
  }
  steady["reps"] = reps;
  steady["per_call_ns"] = ns;
  steady["checksum"] = checksum;
  steady["differing_calls"] = differing;
  out["steady"] = steady;
}

// Every phase in order; the first failure is recorded in out["error"] and ends the run.
void measure(const ChildRequest& r, json& out) {
  auto engine = create_engine(r.engine);
  if (!engine) return void(out["error"] = error_json("engine", engine.error()));
  const EngineInfo& info = (*engine)->info();
  out.update({{"name", info.name}, {"version", info.version}, {"tier", info.tier},
              {"interpreter", info.caps.interpreter}});
  auto module = compile_module(**engine, r.module);
  if (!module) return void(out["error"] = error_json("compile", module.error()));
  out["compile_ms"] = (*module)->compile_seconds() * 1e3;
  auto instance = instantiate_for_bench(**module);
  if (!instance) return void(out["error"] = error_json("instantiate", instance.error()));
  out["instantiate_ms"] = (*instance)->instantiate_seconds() * 1e3;
  auto func = (*instance)->func(r.export_name);
  if (!func) return void(out["error"] = error_json("export", func.error()));
  const FuncType& type = *func->type;
  if (r.args.size() != type.params.size()) {
    return void(out["error"] = error_json("args", Error{ErrorKind::invalid_argument,
        fmt::format("export '{}' has type {}: {} argument(s) given", r.export_name, type.to_string(), r.args.size())}));
  }
  std::vector<RawVal> args;
  for (std::size_t i = 0; i < r.args.size(); ++i) {
    auto v = parse_value(r.args[i], type.params[i], i);
    if (!v) return void(out["error"] = error_json("args", v.error()));
    args.push_back(*v);
  }
  const FirstCall first = first_call(*func, args);
  out["first_call_us"] = first.seconds * 1e6;
  if (first.trap != TrapKind::none) {
    // The kind the Error carries: a failing host function is host_error whatever trap the engine
    // raised to unwind the guest.
    const Error e = trap_error(*func, first.trap);
    out["first"] = {{"trap", {{"kind", to_string(e.trap)}, {"message", e.describe()}}}};
    return;
  }
  json results = json::array();
  for (std::size_t i = 0; i < first.results.size(); ++i) {
    results.push_back({{"type", to_string(type.results[i])}, {"bits", first.results[i]},
                       {"text", format_bits(first.results[i], type.results[i])}});
  }
  out["first"] = {{"results", results}};
  measure_steady(*func, args, first.results, r.settings, out);
}

}  // namespace

int run_child(const ChildRequest& r) {
  json out{{"engine", r.engine}};
  measure(r, out);
  fmt::print("{}\n", out.dump(-1, ' ', false, json::error_handler_t::replace));
  std::fflush(stdout);
  return 0;
}

}  // namespace wasmhop::cli::bench
