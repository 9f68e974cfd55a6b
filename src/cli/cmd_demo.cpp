// wasmhop demo: call one guest script on every engine and print the cost per call.
// Each engine runs in its own child process (a V8 tier is process-global).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "run/child.hpp"
#include "run/program.hpp"
#include "wasmhop/registry.hpp"

namespace wasmhop::cli {
namespace {

struct DemoOptions {
  std::vector<std::string> engines;
  std::int64_t calls = 1'000'000;
  int reps = 5;
  std::string guest_dir = WASMHOP_GUEST_DIR;
  std::string child;  // internal: run one engine and print JSON
};

// One engine, in this process: compile, instantiate, then `reps` timed loops of add_i32(i, 7),
// every result checked. Prints one JSON object.
Status run_engine(const DemoOptions& o) {
  using Clock = std::chrono::steady_clock;
  auto engine = create_engine(o.child);
  if (!engine) return tl::unexpected(engine.error());
  auto module = (*engine)->load(std::filesystem::path(o.guest_dir) / "conformance.wasm");
  if (!module) return tl::unexpected(module.error());
  auto inst = (*module)->instantiate();
  if (!inst) return tl::unexpected(inst.error());
  auto add = (*inst)->typed<std::int32_t(std::int32_t, std::int32_t)>("add_i32");
  if (!add) return tl::unexpected(add.error());
  // Interpreters take a tenth of the calls (recorded in the output): the loop still lasts.
  const std::int64_t calls = (*engine)->info().caps.interpreter ? std::max<std::int64_t>(o.calls / 10, 1) : o.calls;
  std::vector<double> ns;
  for (int rep = 0; rep <= o.reps; ++rep) {  // rep 0 is the warm-up
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      auto r = (*add)(a, 7);
      if (!r) return tl::unexpected(r.error());
      if (*r != a + 7) return fail(ErrorKind::internal, fmt::format("add_i32({}, 7) returned {}", a, *r));
    }
    if (rep > 0) ns.push_back(std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / calls);
  }
  std::sort(ns.begin(), ns.end());
  const EngineInfo& info = (*engine)->info();
  nlohmann::json out{{"engine", info.id},       {"name", info.name},
                     {"version", info.version}, {"tier", info.tier},
                     {"sandboxed", info.caps.sandboxed},
                     {"compile_s", (*module)->compile_seconds()},
                     {"instantiate_s", (*inst)->instantiate_seconds()},
                     {"median_ns", ns[ns.size() / 2]}, {"min_ns", ns.front()}, {"max_ns", ns.back()},
                     {"calls", calls},          {"reps", o.reps}};
  fmt::print("{}\n", out.dump());
  return {};
}

int run_demo(const DemoOptions& o) {
  std::vector<std::string> ids = o.engines.empty() ? engine_ids() : o.engines;
  for (const auto& id : ids) {
    const auto known = engine_ids();
    if (std::find(known.begin(), known.end(), id) == known.end()) {
      fmt::print(stderr, "error: {}\n", create_engine(id).error().describe());  // names the valid ids
      return 1;
    }
  }
  fmt::print("Calling add_i32(i, 7) from conformance.wasm {} times x {} on each engine "
             "(each in its own process; every result checked)\n\n",
             o.calls, o.reps);
  fmt::print("{:<18} {:<34} {:>11} {:>11} {:>10} {:>9}\n", "engine", "version", "compile ms", "inst ms",
             "ns/call", "x native");
  double native_ns = 0;
  int failures = 0;
  for (const auto& id : ids) {
    auto child = run::run_child({run::self_executable(), "demo", "--child", id, "--calls", std::to_string(o.calls),
                            "--reps", std::to_string(o.reps), "--guest-dir", o.guest_dir});
    nlohmann::json r;
    try {
      if (child) r = nlohmann::json::parse(child->out);
    } catch (const std::exception&) {
    }
    if (!child || child->exit_status != 0 || !r.contains("median_ns")) {
      ++failures;
      fmt::print("{:<18} failed: {}\n", id,
                 !child ? child.error().describe() : fmt::format("exit status {}", child->exit_status));
      continue;
    }
    const double ns = r["median_ns"];
    if (!r.value("sandboxed", true)) native_ns = ns;  // the baseline: no sandbox
    fmt::print("{:<18} {:<34} {:>11.2f} {:>11.3f} {:>10.2f} {:>9}\n", id, r["version"].get<std::string>(),
               r["compile_s"].get<double>() * 1e3, r["instantiate_s"].get<double>() * 1e3, ns,
               native_ns > 0 ? fmt::format("{:.1f}", ns / native_ns) : "-");
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

void register_demo(CLI::App& app, int& status) {
  auto opt = std::make_shared<DemoOptions>();
  auto* cmd = app.add_subcommand("demo", "Call a guest script on every engine and print the cost per call");
  cmd->add_option("--engines", opt->engines, "Engine ids (default: all)")->delimiter(',');
  cmd->add_option("--calls", opt->calls, "Calls per timed loop (the interpreter does a tenth)")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--reps", opt->reps, "Timed loops per engine; the median is reported")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--guest-dir", opt->guest_dir, "Directory of the built guest scripts")->capture_default_str();
  cmd->add_option("--child", opt->child, "(internal) run one engine and print JSON")->group("");
  cmd->callback([&status, opt] {
    if (opt->child.empty()) {
      status = run_demo(*opt);
      return;
    }
    if (auto st = run_engine(*opt); !st) {
      fmt::print(stderr, "error: {}\n", st.error().describe());
      status = 1;
    }
  });
}

}  // namespace wasmhop::cli
