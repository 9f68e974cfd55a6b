// wasmhop engines: what is available here, with versions, tiers and capabilities.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "wasmhop/registry.hpp"

namespace wasmhop::cli {
namespace {

std::vector<std::pair<const char*, bool>> capability_list(const Capabilities& c) {
  return {{"sandboxed", c.sandboxed},
          {"loads_wasm", c.loads_wasm},
          {"jit", c.jit},
          {"aot", c.aot},
          {"interpreter", c.interpreter},
          {"tier_fixed_per_process", c.tier_fixed_per_process},
          {"traps_recoverable", c.traps_recoverable},
          {"interruptible", c.interruptible},
          {"any_thread", c.any_thread},
          {"host_functions", c.host_functions},
          {"component", c.component},
          {"call_many", c.call_many}};
}

int list_engines(bool json) {
  nlohmann::json out = nlohmann::json::array();
  if (!json) fmt::print("{:<18} {:<8} {:<34} {:<12} {}\n", "ID", "ENGINE", "VERSION", "TIER", "CAPABILITIES");
  for (const auto& entry : engine_registry()) {
    auto engine = entry.create();
    if (!engine) {
      if (json) {
        out.push_back({{"id", entry.id}, {"available", false}, {"error", engine.error().describe()}});
      } else {
        fmt::print("{:<18} unavailable: {}\n", entry.id, engine.error().describe());
      }
      continue;
    }
    const EngineInfo& info = (*engine)->info();
    if (json) {
      nlohmann::json caps = nlohmann::json::object();
      for (auto [name, on] : capability_list(info.caps)) caps[name] = on;
      out.push_back({{"id", info.id}, {"available", true}, {"name", info.name},
                     {"version", info.version}, {"tier", info.tier},
                     {"description", info.description}, {"capabilities", caps}});
    } else {
      std::string caps;
      for (auto [name, on] : capability_list(info.caps)) {
        if (on) caps += (caps.empty() ? "" : ",") + std::string(name);
      }
      fmt::print("{:<18} {:<8} {:<34} {:<12} {}\n", info.id, info.name, info.version, info.tier, caps);
    }
  }
  if (json) fmt::print("{}\n", out.dump(2));
  return 0;
}

}  // namespace

void register_engines(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand("engines", "List the engines: id, engine, version, tier, capabilities");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON for machines");
  cmd->callback([&status, json] { status = list_engines(*json); });
}

}  // namespace wasmhop::cli
