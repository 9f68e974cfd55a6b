// The plugin's objects behind the void* handles of plugin_abi.h: one wasm_engine_t per engine
// (with its epoch ticker), one wasmtime_module_t per module, one store per instance, per
// resolved export the context its call function gets, and per import the host function's.
#pragma once

#include <wasmtime.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engines/plugin/plugin_abi.h"
#include "engines/wasmtime/engine_config.hpp"
#include "engines/wasmtime/epoch_ticker.hpp"

namespace wasmhop::wasmtime_plugin {

struct WtEngine {
  WtEngine(const Flavor& f, wasm_engine_t* e) : flavor(f), engine(e), ticker(e) {}
  WtEngine(const WtEngine&) = delete;
  WtEngine& operator=(const WtEngine&) = delete;
  ~WtEngine() = default;  // the ticker stops before the engine goes (engine_free)

  const Flavor& flavor;
  wasm_engine_t* engine;
  EpochTicker ticker;
  // Components run on a Wasmtime engine of the crate's (components.cpp), same flavor, made on first use.
  std::mutex component_mutex;
  void* component_engine = nullptr;
};

struct WtModule {
  WtEngine* engine = nullptr;
  wasmtime_module_t* module = nullptr;
  std::string name;
  std::string imports;  // "env.host_log, wasi_snapshot_preview1.fd_write" ("" when none)
  std::size_t import_count = 0;
};

struct WtInstance;

// What a resolved export's call function gets as its context.
struct WtFunc {
  WtInstance* inst;
  wasmtime_context_t* ctx;
  wasmtime_func_t func;
  std::uint32_t nparams;
  std::uint32_t nresults;
  std::uint32_t wide_params;   // bit i: parameter i is 64 bits wide (i64, f64)
  std::uint32_t wide_results;  // likewise for the results
  std::uint64_t deadline_ticks;  // the instance's, copied here so a call reads it in one load
};

// What a host function's callback gets as its env (host_calls.cpp).
struct WtHostFn {
  WtInstance* inst;
  whp_import imp;  // the host's function and context; names and types live as long as the instance
  std::uint32_t nparams;
  std::uint32_t nresults;
  std::uint32_t wide_params;   // bit i: parameter i is 64 bits wide (i64, f64)
  std::uint32_t wide_results;  // likewise for the results
};

struct WtInstance {
  WtEngine* engine = nullptr;
  std::string module_name;
  wasmtime_store_t* store = nullptr;
  wasmtime_context_t* ctx = nullptr;
  wasmtime_instance_t instance{};
  // The exported "memory", looked up once: after instantiation, or by the first host function
  // that asks for it while the start function runs (the instance is not there yet).
  bool memory_resolved = false;
  bool has_memory = false;
  wasmtime_memory_t memory{};
  // Epochs a call may run for (0: no limit; the store's deadline is then kNoDeadline).
  std::uint64_t deadline_ticks = 0;
  std::unordered_map<std::string, std::unique_ptr<WtFunc>> funcs;  // by export name
  std::string last_error;
  std::vector<std::unique_ptr<WtHostFn>> host_fns;  // the callbacks' envs: freed after the store

  void set_limit(std::int64_t ns) {
    const std::uint64_t ticks = ns > 0 ? EpochTicker::ticks_for(std::chrono::nanoseconds(ns)) : 0;
    if (ticks != 0 && deadline_ticks == 0) engine->ticker.acquire();
    if (ticks == 0 && deadline_ticks != 0) engine->ticker.release();
    deadline_ticks = ticks;
    for (auto& [name, f] : funcs) f->deadline_ticks = ticks;
    wasmtime_context_set_epoch_deadline(ctx, ticks != 0 ? ticks : kNoDeadline);
  }
};

}  // namespace wasmhop::wasmtime_plugin
