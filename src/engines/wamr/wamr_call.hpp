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

// A call under a time limit: the watchdog may stop it.
[[gnu::noinline]] std::uint8_t invoke_limited(WamrInstance* i, wasm_function_inst_t fn, std::uint32_t argc,
                                              std::uint32_t* cells, std::int64_t limit);

// Runs fn with the cells; WHP_TRAP_NONE or what stopped it.
[[gnu::always_inline]] inline std::uint8_t invoke(WamrInstance* i, wasm_function_inst_t fn, std::uint32_t argc,
                                                  std::uint32_t* cells) {
  const std::int64_t limit = i->limit_ns.load(std::memory_order_relaxed);
  if (limit != 0) [[unlikely]] return invoke_limited(i, fn, argc, cells, limit);
  if (wasm_call_function(i->env, fn, argc, cells)) [[likely]] return WHP_TRAP_NONE;
  return take_exception(i);
}

// plugin_abi.h's instance_func and func_direct.
int instance_func(void* instance, const char* name, const whp_functype* type, whp_call_fn* call, void** ctx,
                  whp_error* err);
whp_direct_fn func_direct(whp_call_fn call, void*, const whp_functype* type);

}  // namespace wasmhop::wamr
