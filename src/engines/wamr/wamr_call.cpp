// The call path of wamr-interp: the function handed out for an export packs the 8-byte slots
// into WAMR's 32-bit cells and calls the interpreter on the instance's one exec env (wamr_shim.h
// says why not through wasm_runtime_call_wasm: 240 us a call on the main thread). A trap comes
// back as WAMR's exception string, mapped to a WHP_TRAP_* and cleared, so the instance stays
// usable.
#include "engines/wamr/wamr_call.hpp"

#include <algorithm>
#include <cstring>

#include "engines/plugin/plugin_error.hpp"
#include "engines/wamr/wamr_watchdog.hpp"

namespace wasmhop::wamr {

using wasmhop::plugin::set_error;  // engines/plugin/plugin_error.hpp

const char* exception_text(const char* e) {
  if (e == nullptr) return "WAMR failed without an exception";
  constexpr const char prefix[] = "Exception: ";
  return std::strncmp(e, prefix, sizeof prefix - 1) == 0 ? e + sizeof prefix - 1 : e;
}

std::uint8_t trap_kind(const char* text) {
  static constexpr struct {
    const char* needle;
    std::uint8_t kind;
  } table[] = {
      {"host function", WHP_TRAP_HOST_ERROR},  // first: the text names the import (wamr_host.cpp)
      {"unreachable", WHP_TRAP_UNREACHABLE},
      {"integer divide by zero", WHP_TRAP_INTEGER_DIVIDE_BY_ZERO},
      {"integer overflow", WHP_TRAP_INTEGER_OVERFLOW},
      {"invalid conversion to integer", WHP_TRAP_INVALID_CONVERSION},
      {"out of bounds memory access", WHP_TRAP_OUT_OF_BOUNDS_MEMORY},
      {"undefined element", WHP_TRAP_OUT_OF_BOUNDS_TABLE},       // call_indirect past the table
      {"uninitialized element", WHP_TRAP_INDIRECT_CALL_MISMATCH},  // call_indirect to null
      {"indirect call type mismatch", WHP_TRAP_INDIRECT_CALL_MISMATCH},
      {"stack overflow", WHP_TRAP_CALL_STACK_EXHAUSTED},  // wasm, native and auxiliary stacks
  };
  for (const auto& row : table) {
    if (std::strstr(text, row.needle) != nullptr) return row.kind;
  }
  return WHP_TRAP_UNKNOWN;
}

std::uint8_t take_exception(WamrInstance* i) {
  const char* text = exception_text(wasm_runtime_get_exception(i->inst));
  i->last_error = text;
  const std::uint8_t kind = trap_kind(text);
  wasm_runtime_clear_exception(i->inst);
  return kind;
}

void enter_limited(wasm_module_inst_t inst, wasm_exec_env_t env, wasm_function_inst_t fn, std::uint32_t argc,
                   std::uint32_t* cells) {
  auto* i = static_cast<WamrInstance*>(wasm_runtime_get_custom_data(inst));
  const std::int64_t limit = i->limit_ns.load(std::memory_order_relaxed);
  if (limit == 0) return wasm_interp_call_wasm(inst, env, fn, argc, cells);
  i->deadline_ns.store(now_ns() + limit, std::memory_order_release);
  wasm_interp_call_wasm(inst, env, fn, argc, cells);
  if (i->deadline_ns.exchange(0) != 0) return;  // it ended (returned or trapped) in time
  // The watchdog got there first: the interpreter returned at its flag, with no exception of its
  // own; this one tells the caller that the call failed, call_failed that it was stopped.
  Watchdog::get().settle();
  wasmhop_wamr_clear_interrupt(env);
  i->stopped = true;
  wasm_runtime_set_exception(inst, "stopped by the call time limit");
}

std::uint8_t call_failed(WamrInstance* i) {
  if (!i->stopped) return take_exception(i);
  i->stopped = false;
  wasm_runtime_clear_exception(i->inst);
  i->last_error = "stopped by the call time limit";
  return WHP_TRAP_TIMEOUT;
}

void set_limit(WamrInstance* i, std::int64_t limit_ns) {
  i->limit_ns.store(limit_ns);
  const EnterFn enter = limit_ns > 0 ? &enter_limited : &wasm_interp_call_wasm;
  i->enter.store(enter);
  for (WamrFunc& f : i->funcs) f.enter.store(enter);
  if (limit_ns > 0) {
    Watchdog::get().watch(i);
  } else {
    Watchdog::get().unwatch(i);
  }
}

namespace {

constexpr std::uint32_t kStackCells = 16;  // narrow calls up to this many cells pack on the stack

// Up to 4 parameters and 1 result, all 32-bit (Pair and most exports): unrolled at compile time.
template <std::uint32_t NP, std::uint32_t NR>
std::uint8_t call_fixed(void* ctx, std::uint64_t* io) {
  auto* f = static_cast<WamrFunc*>(ctx);
  std::uint32_t cells[NP > NR ? NP : (NR > 0 ? NR : 1)];
  for (std::uint32_t k = 0; k < NP; ++k) cells[k] = static_cast<std::uint32_t>(io[k]);
  const std::uint8_t trap = invoke(f->owner, f->fn, NP, cells);
  if (trap != WHP_TRAP_NONE) [[unlikely]] return trap;
  if constexpr (NR == 1) io[0] = cells[0];
  return WHP_TRAP_NONE;
}

// A direct entry's failed call (the entry's tail call: its hot path keeps no register for it).
[[gnu::cold, gnu::noinline]] whp_direct_result direct_failed(const WamrFunc* f) { return {0, call_failed(f->owner)}; }

// The direct entry (plugin_abi.h) of the same exports as call_fixed: the arguments go from
// registers straight into the cells, the result comes back in a register. It does what
// wasm_call_function does (the interpreter's entry, then the test for an exception) itself, so
// the call into the plugin stands in for the call into wasm_call_function rather than adding to
// it. Everything it reads is one load from the context (WamrFunc's first fields), and the limit
// costs it no test: the entry it calls is WAMR's own or enter_limited, whichever the instance's
// limit asks for. The context waits out the call in the frame beside the cells (whose address
// WAMR gets, so it is read back from there), not in a saved register.
template <std::uint32_t NR, class... Bits>
whp_direct_result call_direct(void* ctx, Bits... args) {
  constexpr std::uint32_t np = sizeof...(Bits);
  struct {
    WamrFunc* f;
    std::uint32_t cells[np > NR ? np : (NR > 0 ? NR : 1)];
  } frame{static_cast<WamrFunc*>(ctx), {static_cast<std::uint32_t>(args)...}};
  const WamrFunc* f = frame.f;
  f->enter.load(std::memory_order_relaxed)(f->inst, f->env, f->fn, np, frame.cells);
  if (*frame.f->exception != '\0') [[unlikely]] return direct_failed(frame.f);
  return {NR == 1 ? frame.cells[0] : 0, WHP_TRAP_NONE};
}

template <std::uint32_t NR>
whp_direct_fn direct_for(std::uint32_t np) {
  using U = std::uint64_t;
  switch (np) {
    case 0: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct0_fn>(&call_direct<NR>));
    case 1: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct1_fn>(&call_direct<NR, U>));
    case 2: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct2_fn>(&call_direct<NR, U, U>));
    case 3: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct3_fn>(&call_direct<NR, U, U, U>));
    case 4: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct4_fn>(&call_direct<NR, U, U, U, U>));
    default: return nullptr;
  }
}

template <std::uint32_t NR>
whp_call_fn fixed_for(std::uint32_t np) {
  switch (np) {
    case 0: return &call_fixed<0, NR>;
    case 1: return &call_fixed<1, NR>;
    case 2: return &call_fixed<2, NR>;
    case 3: return &call_fixed<3, NR>;
    case 4: return &call_fixed<4, NR>;
    default: return nullptr;
  }
}

// Every parameter and result is 32 bits wide (one cell per slot) and they fit on the stack.
std::uint8_t call_narrow(void* ctx, std::uint64_t* io) {
  auto* f = static_cast<WamrFunc*>(ctx);
  std::uint32_t cells[kStackCells];
  const std::uint32_t np = f->param_cells;
  for (std::uint32_t k = 0; k < np; ++k) cells[k] = static_cast<std::uint32_t>(io[k]);
  const std::uint8_t trap = invoke(f->owner, f->fn, np, cells);
  if (trap != WHP_TRAP_NONE) [[unlikely]] return trap;
  const std::uint32_t nr = f->result_cells;
  for (std::uint32_t k = 0; k < nr; ++k) io[k] = cells[k];
  return WHP_TRAP_NONE;
}

// i64/f64 take two cells (low word first, as WAMR stores them).
std::uint8_t call_wide(void* ctx, std::uint64_t* io) {
  auto* f = static_cast<WamrFunc*>(ctx);
  std::uint32_t* cells = f->cells.data();
  std::uint32_t c = 0;
  for (std::size_t k = 0; k < f->params.size(); ++k) {
    const bool wide = f->params[k] == WHP_I64 || f->params[k] == WHP_F64;
    std::memcpy(cells + c, &io[k], wide ? 8 : 4);
    c += wide ? 2 : 1;
  }
  const std::uint8_t trap = invoke(f->owner, f->fn, f->param_cells, cells);
  if (trap != WHP_TRAP_NONE) [[unlikely]] return trap;
  c = 0;
  for (std::size_t k = 0; k < f->results.size(); ++k) {
    const bool wide = f->results[k] == WHP_I64 || f->results[k] == WHP_F64;
    io[k] = 0;
    std::memcpy(&io[k], cells + c, wide ? 8 : 4);
    c += wide ? 2 : 1;
  }
  return WHP_TRAP_NONE;
}

}  // namespace

int instance_func(void* instance, const char* name, const whp_functype* type, whp_call_fn* call, void** ctx,
                  whp_error* err) {
  auto* i = static_cast<WamrInstance*>(instance);
  wasm_function_inst_t fn = wasm_runtime_lookup_function(i->inst, name, nullptr);
  if (fn == nullptr) {
    set_error(err, WHP_ERR_MISSING_EXPORT, WHP_TRAP_NONE, "module '%s': no function export '%s'",
              i->module->name.c_str(), name);
    return -1;
  }
  std::vector<std::uint8_t> params(type->params, type->params + type->nparams);
  std::vector<std::uint8_t> results(type->results, type->results + type->nresults);
  auto cells_of = [](const std::vector<std::uint8_t>& types) {
    std::uint32_t n = 0;
    for (std::uint8_t t : types) n += (t == WHP_I64 || t == WHP_F64) ? 2 : 1;
    return n;
  };
  std::uint32_t wamr_params = 0, wamr_results = 0;
  wasmhop_wamr_func_cells(fn, &wamr_params, &wamr_results);
  if (wamr_params != cells_of(params) || wamr_results != cells_of(results)) {
    set_error(err, WHP_ERR_SIGNATURE_MISMATCH, WHP_TRAP_NONE,
              "module '%s', export '%s': WAMR sees %u parameter and %u result cells, the host's type has %u and %u",
              i->module->name.c_str(), name, wamr_params, wamr_results, cells_of(params), cells_of(results));
    return -1;
  }
  const bool narrow = wamr_params == params.size() && wamr_results == results.size() &&
                      wamr_params <= kStackCells && wamr_results <= kStackCells;
  WamrFunc& f = i->funcs.emplace_back();  // in place: its address is the call's context
  f.enter.store(i->enter.load());
  f.inst = i->inst;
  f.env = i->env;
  f.exception = i->exception;
  f.fn = fn;
  f.owner = i;
  f.param_cells = wamr_params;
  f.result_cells = wamr_results;
  f.params = std::move(params);
  f.results = std::move(results);
  f.cells.assign(std::max<std::uint32_t>({1, wamr_params, wamr_results}), 0);
  whp_call_fn fixed = !narrow || wamr_results > 1 ? nullptr
                     : wamr_results == 0 ? fixed_for<0>(wamr_params) : fixed_for<1>(wamr_params);
  *call = fixed != nullptr ? fixed : narrow ? &call_narrow : &call_wide;
  *ctx = &f;
  return 0;
}

// Exports on call_fixed (all 32-bit, up to 4 parameters and 1 result) have a direct entry.
whp_direct_fn func_direct(whp_call_fn call, void*, const whp_functype* type) {
  if (call != fixed_for<0>(type->nparams) && call != fixed_for<1>(type->nparams)) return nullptr;
  return type->nresults == 0 ? direct_for<0>(type->nparams) : direct_for<1>(type->nparams);
}

}  // namespace wasmhop::wamr
