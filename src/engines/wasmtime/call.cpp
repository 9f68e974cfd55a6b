// Copies wasmhop's 8-byte slots into a stack array of Wasmtime's 16-byte raw values, calls
// wasmtime_func_call_unchecked (the type was checked once, at lookup) and copies the results back.
// With a call limit, the store's epoch deadline is set first (epoch_ticker.hpp).
#include "engines/wasmtime/call.hpp"

#include <wasmtime.h>

#include <memory>
#include <new>

#include "engines/wasmtime/errors.hpp"
#include "engines/wasmtime/objects.hpp"
#include "engines/wasmtime/raw_values.hpp"

namespace wasmhop::wasmtime_plugin {
namespace {

[[gnu::noinline, gnu::cold]] std::uint8_t call_failed(WtInstance& inst, wasmtime_error_t* err, wasm_trap_t* trap) {
  if (trap != nullptr) {
    const std::uint8_t kind = whp_trap_of(trap);
    inst.last_error = message_of(trap);
    wasm_trap_delete(trap);
    if (err != nullptr) wasmtime_error_delete(err);
    return kind;
  }
  // Not a trap: Wasmtime refused the call itself (it never should once the type was checked).
  inst.last_error = message_of(err);
  wasmtime_error_delete(err);
  return WHP_TRAP_HOST_ERROR;
}

// P parameters and R results known at compile time: the copies unroll.
template <std::uint32_t P, std::uint32_t R>
std::uint8_t call_fixed(void* c, std::uint64_t* io) noexcept {
  auto* f = static_cast<WtFunc*>(c);
  constexpr std::uint32_t n = P > R ? P : R;
  wasmtime_val_raw_t raw[n == 0 ? 1 : n];
  for (std::uint32_t i = 0; i < P; ++i) copy_value(&raw[i], &io[i], (f->wide_params >> i) & 1u);
  if (const std::uint64_t ticks = f->deadline_ticks; ticks != 0) {
    wasmtime_context_set_epoch_deadline(f->ctx, ticks);
  }
  wasm_trap_t* trap = nullptr;
  wasmtime_error_t* err = wasmtime_func_call_unchecked(f->ctx, &f->func, raw, n, &trap);
  if (err != nullptr || trap != nullptr) [[unlikely]] {
    return call_failed(*f->inst, err, trap);
  }
  for (std::uint32_t i = 0; i < R; ++i) copy_value(&io[i], &raw[i], (f->wide_results >> i) & 1u);
  return WHP_TRAP_NONE;
}

// Any other arity.
std::uint8_t call_any(void* c, std::uint64_t* io) noexcept {
  auto* f = static_cast<WtFunc*>(c);
  const std::uint32_t n = f->nparams > f->nresults ? f->nparams : f->nresults;
  constexpr std::uint32_t kStack = 16;
  wasmtime_val_raw_t stack[kStack];
  std::unique_ptr<wasmtime_val_raw_t[]> heap;
  wasmtime_val_raw_t* raw = stack;
  if (n > kStack) {
    heap.reset(new (std::nothrow) wasmtime_val_raw_t[n]);
    if (!heap) return WHP_TRAP_HOST_ERROR;
    raw = heap.get();
  }
  for (std::uint32_t i = 0; i < f->nparams; ++i) copy_value(&raw[i], &io[i], is_wide(f->wide_params, i));
  if (const std::uint64_t ticks = f->deadline_ticks; ticks != 0) {
    wasmtime_context_set_epoch_deadline(f->ctx, ticks);
  }
  wasm_trap_t* trap = nullptr;
  wasmtime_error_t* err = wasmtime_func_call_unchecked(f->ctx, &f->func, raw, n, &trap);
  if (err != nullptr || trap != nullptr) return call_failed(*f->inst, err, trap);
  for (std::uint32_t i = 0; i < f->nresults; ++i) copy_value(&io[i], &raw[i], is_wide(f->wide_results, i));
  return WHP_TRAP_NONE;
}

// A direct entry's failure, returned whole: the entry tail-calls it and its success path keeps
// the result in a register (merged with this path, the result went through a saved register).
[[gnu::noinline, gnu::cold]] whp_direct_result direct_failed(WtInstance& inst, wasmtime_error_t* err,
                                                               wasm_trap_t* trap) {
  return {0, call_failed(inst, err, trap)};
}

// The direct entry (plugin_abi.h) of P parameters and a result of RBITS bits (0: none): each
// argument goes into its raw value whole (Wasmtime reads an i32 from the low 4 bytes), the result
// is read with its own width (an 8-byte read of a 4-byte store would not be forwarded).
//
// The function's context lies in the frame beside the values whose address Wasmtime receives, so
// the failure path reads it back from there: nothing has to live in a callee-saved register across
// the call (a push, a move and a pop fewer on every call).
template <std::uint32_t RBITS, class... Bits>
whp_direct_result call_direct(void* c, Bits... args) noexcept {
  constexpr std::uint32_t n = sizeof...(Bits) > 0 ? sizeof...(Bits) : 1;
  struct {
    wasmtime_val_raw_t raw[n];
    WtFunc* f;
  } frame;
  frame.f = static_cast<WtFunc*>(c);
  std::uint32_t i = 0;
  ((frame.raw[i++].i64 = static_cast<std::int64_t>(args)), ...);
  if (const std::uint64_t ticks = frame.f->deadline_ticks; ticks != 0) {
    wasmtime_context_set_epoch_deadline(frame.f->ctx, ticks);
  }
  wasm_trap_t* trap = nullptr;
  wasmtime_error_t* err = wasmtime_func_call_unchecked(frame.f->ctx, &frame.f->func, frame.raw, n, &trap);
  if (err != nullptr || trap != nullptr) [[unlikely]] return direct_failed(*frame.f->inst, err, trap);
  if constexpr (RBITS == 32) return {static_cast<std::uint32_t>(frame.raw[0].i32), WHP_TRAP_NONE};
  else if constexpr (RBITS == 64) return {static_cast<std::uint64_t>(frame.raw[0].i64), WHP_TRAP_NONE};
  else return {0, WHP_TRAP_NONE};
}

template <std::uint32_t RBITS>
whp_direct_fn direct_for_params(std::uint32_t p) {
  using U = std::uint64_t;
  switch (p) {
    case 0: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct0_fn>(&call_direct<RBITS>));
    case 1: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct1_fn>(&call_direct<RBITS, U>));
    case 2: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct2_fn>(&call_direct<RBITS, U, U>));
    case 3: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct3_fn>(&call_direct<RBITS, U, U, U>));
    case 4: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct4_fn>(&call_direct<RBITS, U, U, U, U>));
    default: return nullptr;
  }
}

template <std::uint32_t R>
whp_call_fn pick_for_results(std::uint32_t p) {
  switch (p) {
    case 0: return &call_fixed<0, R>;
    case 1: return &call_fixed<1, R>;
    case 2: return &call_fixed<2, R>;
    case 3: return &call_fixed<3, R>;
    case 4: return &call_fixed<4, R>;
    case 5: return &call_fixed<5, R>;
    case 6: return &call_fixed<6, R>;
    default: return &call_any;
  }
}

}  // namespace

whp_direct_fn pick_direct(const whp_functype& type) {
  if (type.nresults == 0) return direct_for_params<0>(type.nparams);
  if (type.nresults > 1) return nullptr;
  const bool wide = type.results[0] == WHP_I64 || type.results[0] == WHP_F64;
  return wide ? direct_for_params<64>(type.nparams) : direct_for_params<32>(type.nparams);
}

whp_call_fn pick_call(std::uint32_t p, std::uint32_t r) {
  switch (r) {
    case 0: return pick_for_results<0>(p);
    case 1: return pick_for_results<1>(p);
    case 2: return pick_for_results<2>(p);
    default: return &call_any;
  }
}

}  // namespace wasmhop::wasmtime_plugin
