#include "wasmhop/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engines/factories.hpp"
#include "engines/plugin/plugin_engine.hpp"

namespace wasmhop {

// One line per engine id. Built-in engines name their factory; plugin engines name their folder
// and the configuration the plugin gets. tests/CMakeLists.txt reads the ids from these lines.
const std::vector<EngineEntry>& engine_registry() {
  static const std::vector<EngineEntry> entries = {
      {"native", "the script's own source compiled natively, no sandbox (baseline)", [] { return make_native_engine(); }},
      {"wabt-interp", "wabt's interpreter (libwabt)", [] { return make_wabt_interp_engine(); }},
      {"v8", "V8 with dynamic tiering (Liftoff, then TurboFan for hot code)",
       [] { return make_v8_engine(V8Tier::dynamic); }},
      {"v8-liftoff", "V8's baseline compiler only (--liftoff-only)",
       [] { return make_v8_engine(V8Tier::liftoff); }},
      {"v8-turbofan", "V8's optimizing compiler only (--no-liftoff)",
       [] { return make_v8_engine(V8Tier::turbofan); }},
      {"wasm2c", "wabt's wasm2c: C, compiled by the system compiler, loaded near the host's code (cached)",
       [] { return make_wasm2c_engine(); }},
      {"wasmer-singlepass", "Wasmer, Singlepass compiler (baseline: one pass, fast compile)", nullptr, "wasmer", "singlepass"},
      {"wasmer-cranelift", "Wasmer, Cranelift compiler (the paper's default configuration)", nullptr, "wasmer", "cranelift"},
      {"wasmer-llvm", "Wasmer, LLVM compiler (optimizing: slowest compile, fastest code)", nullptr, "wasmer", "llvm"},
      {"wamr-interp", "WAMR's fast interpreter (WebAssembly Micro Runtime)", nullptr, "wamr", "fast-interp"},
      {"wamr-llvm-jit", "WAMR's LLVM JIT (the module compiled by LLVM at load)", nullptr, "wamr_llvm_jit", "llvm-jit"},
      {"wasm3", "wasm3's interpreter (threaded code); modules validated first (wasmparser)", nullptr, "wasm3", ""},
      {"wasmi", "wasmi's interpreter; exports called through its TypedFunc (Rust)", nullptr, "wasmi", ""},
      {"wasmtime-cranelift", "Wasmtime with Cranelift, its optimizing compiler", nullptr, "wasmtime", "cranelift"},
      {"wasmtime-winch", "Wasmtime with Winch, its single-pass baseline compiler", nullptr, "wasmtime", "winch"},
      {"wasmtime-pulley", "Wasmtime's Pulley interpreter (bytecode from Cranelift, target pulley64)", nullptr, "wasmtime", "pulley"},
  };
  return entries;
}

Result<std::unique_ptr<Engine>> EngineEntry::create() const {
  if (factory != nullptr) return factory();
  return load_plugin_engine(id, plugin, config);
}

std::vector<std::string> engine_ids() {
  std::vector<std::string> ids;
  for (const auto& e : engine_registry()) ids.push_back(e.id);
  return ids;
}

Result<std::unique_ptr<Engine>> create_engine(std::string_view id) {
  for (const auto& e : engine_registry()) {
    if (e.id == id) return e.create();
  }
  return fail(ErrorKind::invalid_argument,
              fmt::format("unknown engine '{}' (choose from: {})", id,
                          fmt::join(engine_ids(), ", ")));
}

}  // namespace wasmhop
