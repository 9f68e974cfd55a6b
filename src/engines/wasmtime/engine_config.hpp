// How each wasmtime-* engine id configures Wasmtime (the registry line's config string), shared
// by the plugin and by its raw baseline (bench/engines/raw_wasmtime.cpp) so both measure the same
// generated code.
#pragma once

#include <wasmtime.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace wasmhop::wasmtime_plugin {

struct Flavor {
  const char* config;       // the registry's config string
  const char* tier;         // wasmhop's tier name
  const char* description;  // one line for `wasmhop engines`
  bool interpreter;
};

inline constexpr Flavor kFlavors[] = {
    {"cranelift", "optimizing", "Wasmtime: Cranelift compiles each module to native code ahead of the first call",
     false},
    {"winch", "baseline", "Wasmtime: Winch, a single-pass compiler, emits native code in one pass", false},
    {"pulley", "interpreter",
     "Wasmtime: Cranelift compiles to Pulley bytecode (target pulley64), which Pulley interprets", true},
};

inline const Flavor* find_flavor(std::string_view config) {
  for (const Flavor& f : kFlavors) {
    if (config == f.config) return &f;
  }
  return nullptr;
}

// Epoch deadline for a store with no call limit: far beyond any epoch the ticker reaches (Wasmtime
// adds it to the current epoch without saturating, so not UINT64_MAX).
inline constexpr std::uint64_t kNoDeadline = std::uint64_t{1} << 62;

// A configured engine, or nullptr with `why`. Every flavor has epoch interruption compiled in
// (what call time limits use); code then checks the epoch at function entries and loop headers.
inline wasm_engine_t* new_configured_engine(const Flavor& flavor, std::string& why) {
  wasm_config_t* config = wasm_config_new();
  if (config == nullptr) {
    why = "wasm_config_new failed";
    return nullptr;
  }
  wasmtime_config_epoch_interruption_set(config, true);
  const std::string_view name = flavor.config;
  if (name == "cranelift") {
    wasmtime_config_strategy_set(config, WASMTIME_STRATEGY_CRANELIFT);
    wasmtime_config_cranelift_opt_level_set(config, WASMTIME_OPT_LEVEL_SPEED);
  } else if (name == "winch") {
    wasmtime_config_strategy_set(config, WASMTIME_STRATEGY_WINCH);
  } else if (name == "pulley") {
    wasmtime_config_strategy_set(config, WASMTIME_STRATEGY_CRANELIFT);
    wasmtime_config_cranelift_opt_level_set(config, WASMTIME_OPT_LEVEL_SPEED);
    if (wasmtime_error_t* err = wasmtime_config_target_set(config, "pulley64")) {
      wasm_byte_vec_t msg;
      wasmtime_error_message(err, &msg);
      why = "target pulley64: " + std::string(msg.data, msg.size);
      wasm_byte_vec_delete(&msg);
      wasmtime_error_delete(err);
      wasm_config_delete(config);
      return nullptr;
    }
  }
  // Takes the config (also when it fails).
  wasm_engine_t* engine = wasm_engine_new_with_config(config);
  if (engine == nullptr) why = "Wasmtime refused this configuration (wasm_engine_new_with_config)";
  return engine;
}

}  // namespace wasmhop::wasmtime_plugin
