// How wamr-interp calls into the guest: the exports' call functions (wamr_call.cpp) and the
// invocation they share with the start function.
#pragma once

#include <cstdint>

#include "engines/wamr/wamr_instance.hpp"

namespace wasmhop::wamr {

// WAMR's exception text ("Exception: integer overflow") without its prefix.
const char* exception_text(const char* e);
std::uint8_t trap_kind(const char* text);

// The call's exception as a trap kind; the instance is ready for the next call.
std::uint8_t take_exception(WamrInstance* i);

// An EnterFn: WAMR's entry under the instance's time limit, which the watchdog may stop (the
// call then ends with an exception that call_failed reads as the stop).
void enter_limited(wasm_module_inst_t inst, wasm_exec_env_t env, wasm_function_inst_t fn, std::uint32_t argc,
                   std::uint32_t* cells);

// After a call that left an exception: what ended it (WHP_TRAP_TIMEOUT when the limit stopped
// it), with the instance ready for the next call.
[[gnu::cold, gnu::noinline]] std::uint8_t call_failed(WamrInstance* i);

// The limit of every later call on the instance (0: none): the entry of the instance and of every
// export it handed out becomes enter_limited or WAMR's own, and the watchdog watches it or not.
void set_limit(WamrInstance* i, std::int64_t limit_ns);

// Runs fn with the cells: wasm_call_function's work (the call, then its exception test) through
// the instance's entry; WHP_TRAP_NONE or what stopped it.
[[gnu::always_inline]] inline std::uint8_t invoke(WamrInstance* i, wasm_function_inst_t fn, std::uint32_t argc,
                                                  std::uint32_t* cells) {
  i->enter.load(std::memory_order_relaxed)(i->inst, i->env, fn, argc, cells);
  if (*i->exception == '\0') [[likely]] return WHP_TRAP_NONE;
  return call_failed(i);
}

// plugin_abi.h's instance_func and func_direct.
int instance_func(void* instance, const char* name, const whp_functype* type, whp_call_fn* call, void** ctx,
                  whp_error* err);
whp_direct_fn func_direct(whp_call_fn call, void*, const whp_functype* type);

}  // namespace wasmhop::wamr
