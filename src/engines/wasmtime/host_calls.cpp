// Host functions: each whp_import becomes a function of its exact type in the instance's store,
// made with wasmtime_func_new_unchecked. That is Wasmtime's cheapest host call from the C API:
// the arguments arrive as one array of raw values, with no type check or boxing per call (the
// host checked the type once, at binding). They are copied into the host's 8-byte slots, the
// host function is called, the results copied back. A failing host function returns a trap from
// the callback: Wasmtime unwinds the guest itself, nothing unwinds through C++ frames.
#include "engines/wasmtime/host_calls.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <new>
#include <string_view>

#include "engines/wasmtime/raw_values.hpp"

namespace wasmhop::wasmtime_plugin {
namespace {

// wasm.h numbers i32, i64, f32, f64 as WHP_I32..WHP_F64 do: a type code is its wasm_valkind_t.
static_assert(int{WASM_I32} == int{WHP_I32} && int{WASM_I64} == int{WHP_I64} && int{WASM_F32} == int{WHP_F32} &&
              int{WASM_F64} == int{WHP_F64});

// What whp_caller::opaque points at during one host call.
struct CallerRef {
  WtInstance* inst;
  wasmtime_caller_t* caller;
};

// The calling instance's memory now. Its handle is looked up once per instance: after
// instantiation, or here by the first host function that asks while the start function runs.
void caller_memory(void* opaque, std::uint8_t** base, std::uint64_t* size) {
  auto* ref = static_cast<CallerRef*>(opaque);
  WtInstance& inst = *ref->inst;
  if (!inst.memory_resolved) {
    static constexpr std::string_view kMemory = "memory";
    wasmtime_extern_t item;
    if (wasmtime_caller_export_get(ref->caller, kMemory.data(), kMemory.size(), &item)) {
      if (item.kind == WASMTIME_EXTERN_MEMORY) {
        inst.has_memory = true;
        inst.memory = item.of.memory;
      }
      wasmtime_extern_delete(&item);
    }
    inst.memory_resolved = true;
  }
  if (!inst.has_memory) {
    *base = nullptr;
    *size = 0;
    return;
  }
  // The caller's context, not the store's: the store is borrowed by this call.
  wasmtime_context_t* ctx = wasmtime_caller_context(ref->caller);
  *base = wasmtime_memory_data(ctx, &inst.memory);
  *size = wasmtime_memory_data_size(ctx, &inst.memory);
}

// The trap that ends the guest call; its text is what last_error shows (the host keeps the
// host function's own error and reports that).
[[gnu::noinline, gnu::cold]] wasm_trap_t* host_failed(const WtHostFn& f) {
  char text[256];
  const int n = std::snprintf(text, sizeof text, "host function %s.%s failed", f.imp.module, f.imp.field);
  return wasmtime_trap_new(text, n < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(n), sizeof text - 1));
}

[[gnu::always_inline]] inline bool call_host(const WtHostFn& f, wasmtime_caller_t* caller, std::uint64_t* io) {
  CallerRef ref{f.inst, caller};
  const whp_caller view{&ref, &caller_memory};
  return f.imp.call(f.imp.ctx, &view, io) == 0;
}

// P parameters and R results known at compile time: the copies unroll.
template <std::uint32_t P, std::uint32_t R>
wasm_trap_t* host_fixed(void* env, wasmtime_caller_t* caller, wasmtime_val_raw_t* raw, std::size_t) noexcept {
  const auto& f = *static_cast<const WtHostFn*>(env);
  constexpr std::uint32_t n = P > R ? P : R;
  std::uint64_t io[n == 0 ? 1 : n];
  for (std::uint32_t i = 0; i < P; ++i) copy_value(&io[i], &raw[i], (f.wide_params >> i) & 1u);
  if (!call_host(f, caller, io)) [[unlikely]] return host_failed(f);
  for (std::uint32_t i = 0; i < R; ++i) copy_value(&raw[i], &io[i], (f.wide_results >> i) & 1u);
  return nullptr;
}

// Any other arity.
wasm_trap_t* host_any(void* env, wasmtime_caller_t* caller, wasmtime_val_raw_t* raw, std::size_t) noexcept {
  const auto& f = *static_cast<const WtHostFn*>(env);
  const std::uint32_t n = f.nparams > f.nresults ? f.nparams : f.nresults;
  constexpr std::uint32_t kStack = 16;
  std::uint64_t stack[kStack];
  std::unique_ptr<std::uint64_t[]> heap;
  std::uint64_t* io = stack;
  if (n > kStack) {
    heap.reset(new (std::nothrow) std::uint64_t[n]);
    if (!heap) return host_failed(f);
    io = heap.get();
  }
  for (std::uint32_t i = 0; i < f.nparams; ++i) copy_value(&io[i], &raw[i], is_wide(f.wide_params, i));
  if (!call_host(f, caller, io)) return host_failed(f);
  for (std::uint32_t i = 0; i < f.nresults; ++i) copy_value(&raw[i], &io[i], is_wide(f.wide_results, i));
  return nullptr;
}

template <std::uint32_t R>
wasmtime_func_unchecked_callback_t pick_for_results(std::uint32_t p) {
  switch (p) {
    case 0: return &host_fixed<0, R>;
    case 1: return &host_fixed<1, R>;
    case 2: return &host_fixed<2, R>;
    case 3: return &host_fixed<3, R>;
    case 4: return &host_fixed<4, R>;
    default: return &host_any;
  }
}

wasmtime_func_unchecked_callback_t pick_host(std::uint32_t p, std::uint32_t r) {
  switch (r) {
    case 0: return pick_for_results<0>(p);
    case 1: return pick_for_results<1>(p);
    default: return &host_any;
  }
}

bool known_types(const std::uint8_t* types, std::uint32_t n) {
  for (std::uint32_t k = 0; k < n; ++k) {
    if (types[k] > WHP_F64) return false;
  }
  return true;
}

wasm_valtype_vec_t valtypes(const std::uint8_t* types, std::uint32_t n) {
  wasm_valtype_vec_t v;
  wasm_valtype_vec_new_uninitialized(&v, n);
  for (std::uint32_t k = 0; k < n; ++k) v.data[k] = wasm_valtype_new(static_cast<wasm_valkind_t>(types[k]));
  return v;
}

}  // namespace

bool define_host_functions(WtInstance& inst, const whp_import* imports, std::uint32_t n,
                           std::vector<wasmtime_extern_t>& externs, std::string& why) {
  externs.reserve(externs.size() + n);
  inst.host_fns.reserve(inst.host_fns.size() + n);
  for (std::uint32_t k = 0; k < n; ++k) {
    const whp_import& imp = imports[k];
    const whp_functype& t = imp.type;
    if (imp.call == nullptr || !known_types(t.params, t.nparams) || !known_types(t.results, t.nresults)) {
      why = std::string("import ") + imp.module + "." + imp.field + ": no host function, or a value type it cannot take";
      return false;
    }
    std::unique_ptr<WtHostFn> fn(new (std::nothrow) WtHostFn{&inst, imp, t.nparams, t.nresults,
                                                              wide_bits(t.params, t.nparams),
                                                              wide_bits(t.results, t.nresults)});
    if (!fn) {
      why = "out of memory";
      return false;
    }
    wasm_valtype_vec_t params = valtypes(t.params, t.nparams);
    wasm_valtype_vec_t results = valtypes(t.results, t.nresults);
    wasm_functype_t* type = wasm_functype_new(&params, &results);  // takes both vectors
    wasmtime_extern_t item;
    item.kind = WASMTIME_EXTERN_FUNC;
    wasmtime_func_new_unchecked(inst.ctx, type, pick_host(t.nparams, t.nresults), fn.get(), nullptr, &item.of.func);
    wasm_functype_delete(type);
    externs.push_back(item);
    inst.host_fns.push_back(std::move(fn));
  }
  return true;
}

}  // namespace wasmhop::wasmtime_plugin
