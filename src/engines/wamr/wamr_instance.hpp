// The WAMR plugin's objects: a loaded module, an instance with its exec env, the exports and
// imports it hands out. Shared by the plugin table (wamr_plugin.cpp), the call path
// (wamr_call.cpp), the watchdog (wamr_watchdog.cpp) and host functions (wamr_host.cpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "engines/plugin/plugin_abi.h"
#include "wamr_shim.h"  // wasm_export.h: mind its macros (module_free, module_malloc ...)

namespace wasmhop::wamr {

// WAMR's own stack for frames and operands, per exec env (the native stack is not used for
// wasm-to-wasm calls by the interpreter). Deep recursion ends in a "stack overflow" trap.
constexpr std::uint32_t kWasmStackBytes = 1024 * 1024;
constexpr std::uint32_t kNoStart = UINT32_MAX;
constexpr std::uint64_t kMaxPages = 65535;  // WAMR keeps a memory's byte size in 32 bits

// The module's own memory as declared (WAMR's loader rewrites what it keeps).
struct DeclaredMemory {
  bool present = false;
  std::uint64_t initial = 0;
  std::uint64_t max = 0;  // 65536 when none is declared
};

struct WamrModule {
  std::vector<std::uint8_t> bytes;  // WAMR keeps pointers into the buffer it loaded from
  wasm_module_t module = nullptr;
  std::string name;
  std::uint32_t start = kNoStart;
  std::uint32_t function_imports = 0;  // each linked to the host-function trampoline (wamr_host.cpp)
  DeclaredMemory memory;
  ~WamrModule() {
    if (module != nullptr) wasm_runtime_unload(module);
  }
};

struct WamrInstance;

// How a call enters the interpreter: WAMR's own entry (wasm_interp_call_wasm) while the instance
// has no time limit, the watchdog's (enter_limited, wamr_call.cpp) while it has one. The call
// failed when it left an exception (call_failed tells a trap from a stop).
using EnterFn = void (*)(wasm_module_inst_t inst, wasm_exec_env_t env, wasm_function_inst_t fn, std::uint32_t argc,
                         std::uint32_t* cells);

struct WamrFunc {
  // What a call reads, first and each one load from the call's context: no chain through the
  // instance, and no test of the limit (instance_set_timeout swaps `enter` instead).
  std::atomic<EnterFn> enter{nullptr};
  wasm_module_inst_t inst = nullptr;
  wasm_exec_env_t env = nullptr;
  wasm_function_inst_t fn = nullptr;
  const char* exception = nullptr;  // wasmhop_wamr_exception(inst)
  WamrInstance* owner = nullptr;
  std::uint32_t param_cells = 0;
  std::uint32_t result_cells = 0;
  std::vector<std::uint8_t> params, results;  // WHP_I32 ...
  std::vector<std::uint32_t> cells;           // argument and result cells (calls never nest)
};

struct WamrInstance {
  WamrModule* module = nullptr;
  wasm_module_inst_t inst = nullptr;  // its custom data is this WamrInstance
  wasm_exec_env_t env = nullptr;
  std::deque<WamrFunc> funcs;  // stable addresses: each is a call's ctx
  std::string last_error;
  std::vector<whp_import> imports;  // the module's k-th function import is imports[k]
  whp_caller caller{};              // what host functions are told about their caller
  std::atomic<std::int64_t> limit_ns{0};
  std::atomic<EnterFn> enter{&wasm_interp_call_wasm};  // as WamrFunc::enter (set_limit swaps both)
  const char* exception = nullptr;                     // wasmhop_wamr_exception(inst)
  // The running limited call's deadline (steady clock ns); 0 when none runs. Whoever swaps it
  // to 0 first decides: the caller (finished in time) or the watchdog (stopped it).
  std::atomic<std::int64_t> deadline_ns{0};
  bool stopped = false;  // the last call was stopped by the limit (enter_limited), not trapped
  bool watched = false;
  ~WamrInstance();
};

}  // namespace wasmhop::wamr
