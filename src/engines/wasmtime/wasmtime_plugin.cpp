// wasmtime-cranelift, wasmtime-winch, wasmtime-pulley: Wasmtime through its own C API
// (wasmtime.h), as the plugin table of src/engines/plugin/plugin_abi.h.
//
// One wasm_engine_t per wasmhop Engine (configured per flavor, engine_config.hpp), one
// wasmtime_module_t per Module, one store per Instance. A resolved export's call function copies
// wasmhop's 8-byte slots into a stack array of Wasmtime's 16-byte raw values and calls
// wasmtime_func_call_unchecked (the type was checked once, at lookup). Call time limits use epoch
// interruption (epoch_ticker.hpp): a store without a limit has its deadline set far away once and
// its calls pay nothing for it.
#include <wasmtime.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engines/plugin/plugin_abi.h"
#include "engines/wasmtime/engine_config.hpp"
#include "engines/wasmtime/epoch_ticker.hpp"

namespace wasmhop::wasmtime_plugin {
namespace {

// --- errors ------------------------------------------------------------------------------------

[[gnu::format(printf, 4, 5)]] void set_error(whp_error* err, std::uint8_t kind, std::uint8_t trap,
                                             const char* format, ...) {
  if (err == nullptr) return;
  err->kind = kind;
  err->trap = trap;
  va_list args;
  va_start(args, format);
  std::vsnprintf(err->message, sizeof err->message, format, args);
  va_end(args);
}

// Wasmtime's text for an error or trap (a Rust error chain: a head, a blank line, "Caused by:"
// and the causes, one per line, numbered when several), made one line.
struct ErrorText {
  std::vector<std::string> head;
  std::vector<std::string> causes;
};

ErrorText split_chain(std::string_view text) {
  ErrorText out;
  bool in_causes = false;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\0')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line == "Caused by:") {
      in_causes = true;
      continue;
    }
    if (in_causes) {
      // "0: cause" when there are several; a line without a number continues the cause above
      // (a value printed over several lines).
      std::size_t digits = 0;
      while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
      const bool numbered = digits > 0 && line.substr(digits, 2) == ": ";
      if (numbered) line.remove_prefix(digits + 2);
      if (numbered || out.causes.empty()) {
        out.causes.emplace_back(line);
      } else {
        out.causes.back().append(" ").append(line);
      }
    } else {
      out.head.emplace_back(line);
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// "failed to parse WebAssembly module: unexpected end-of-file (at offset 0xe)"
std::string message_of(wasmtime_error_t* e) {
  wasm_byte_vec_t msg;
  wasmtime_error_message(e, &msg);
  const ErrorText t = split_chain(std::string_view(msg.data, msg.size));
  wasm_byte_vec_delete(&msg);
  std::string out = join(t.head, "; ");
  if (!t.causes.empty()) out += (out.empty() ? "" : ": ") + join(t.causes, ": ");
  return out;
}

// "wasm trap: integer divide by zero; wasm backtrace: 0: 0x3be - <unknown>!div_s" (the cause first;
// the head is where it happened).
std::string message_of(const wasm_trap_t* trap) {
  wasm_message_t msg;
  wasm_trap_message(trap, &msg);
  const ErrorText t = split_chain(std::string_view(msg.data, msg.size));
  wasm_byte_vec_delete(&msg);
  std::string where = join(t.head, " ");
  static constexpr std::string_view kAt = "error while executing at ";
  if (std::string_view(where).starts_with(kAt)) where.erase(0, kAt.size());
  if (t.causes.empty()) return where;
  std::string out = join(t.causes, ": ");
  if (!where.empty()) out += "; " + where;
  return out;
}

std::uint8_t whp_trap_of(const wasm_trap_t* trap) {
  wasmtime_trap_code_t code = 0;
  if (!wasmtime_trap_code(trap, &code)) return WHP_TRAP_UNKNOWN;
  switch (code) {
    case WASMTIME_TRAP_CODE_STACK_OVERFLOW: return WHP_TRAP_CALL_STACK_EXHAUSTED;
    case WASMTIME_TRAP_CODE_MEMORY_OUT_OF_BOUNDS: return WHP_TRAP_OUT_OF_BOUNDS_MEMORY;
    case WASMTIME_TRAP_CODE_TABLE_OUT_OF_BOUNDS: return WHP_TRAP_OUT_OF_BOUNDS_TABLE;
    // call_indirect through a null slot: the other engines call it an indirect-call failure too.
    case WASMTIME_TRAP_CODE_INDIRECT_CALL_TO_NULL: return WHP_TRAP_INDIRECT_CALL_MISMATCH;
    case WASMTIME_TRAP_CODE_BAD_SIGNATURE: return WHP_TRAP_INDIRECT_CALL_MISMATCH;
    case WASMTIME_TRAP_CODE_INTEGER_OVERFLOW: return WHP_TRAP_INTEGER_OVERFLOW;
    case WASMTIME_TRAP_CODE_INTEGER_DIVISION_BY_ZERO: return WHP_TRAP_INTEGER_DIVIDE_BY_ZERO;
    case WASMTIME_TRAP_CODE_BAD_CONVERSION_TO_INTEGER: return WHP_TRAP_INVALID_CONVERSION;
    case WASMTIME_TRAP_CODE_UNREACHABLE_CODE_REACHED: return WHP_TRAP_UNREACHABLE;
    case WASMTIME_TRAP_CODE_INTERRUPT: return WHP_TRAP_TIMEOUT;
    default: return WHP_TRAP_UNKNOWN;
  }
}

const char* trap_name(std::uint8_t t) {
  switch (t) {
    case WHP_TRAP_UNREACHABLE: return "unreachable";
    case WHP_TRAP_INTEGER_DIVIDE_BY_ZERO: return "integer_divide_by_zero";
    case WHP_TRAP_INTEGER_OVERFLOW: return "integer_overflow";
    case WHP_TRAP_INVALID_CONVERSION: return "invalid_conversion";
    case WHP_TRAP_OUT_OF_BOUNDS_MEMORY: return "out_of_bounds_memory";
    case WHP_TRAP_OUT_OF_BOUNDS_TABLE: return "out_of_bounds_table";
    case WHP_TRAP_INDIRECT_CALL_MISMATCH: return "indirect_call_mismatch";
    case WHP_TRAP_CALL_STACK_EXHAUSTED: return "call_stack_exhausted";
    case WHP_TRAP_TIMEOUT: return "timeout";
    default: return "unknown trap";
  }
}

std::string describe_limit(std::int64_t ns) {
  char buf[64];
  if (ns % 1'000'000'000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(ns / 1'000'000'000));
  } else if (ns % 1'000'000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(ns / 1'000'000));
  } else {
    std::snprintf(buf, sizeof buf, "%.6g s", static_cast<double>(ns) / 1e9);
  }
  return buf;
}

// --- engine, module, instance ----------------------------------------------------------------

struct WtEngine {
  WtEngine(const Flavor& f, wasm_engine_t* e) : flavor(f), engine(e), ticker(e) {}
  WtEngine(const WtEngine&) = delete;
  WtEngine& operator=(const WtEngine&) = delete;
  ~WtEngine() = default;  // the ticker stops before the engine goes (engine_free)

  const Flavor& flavor;
  wasm_engine_t* engine;
  EpochTicker ticker;
};

struct WtModule {
  WtEngine* engine = nullptr;
  wasmtime_module_t* module = nullptr;
  std::string name;
  std::string imports;  // "env.host_log, wasi_snapshot_preview1.fd_write" ("" when none)
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
};

// Moves one value between a wasmhop slot and a Wasmtime raw value with the width of its type:
// the host wrote (and reads) an i32 or f32 as 4 bytes, Wasmtime's trampolines too, and an 8-byte
// copy of a value stored as 4 bytes just before would stall the load (no store forwarding).
[[gnu::always_inline]] inline void copy_value(void* to, const void* from, bool wide) {
  if (wide) {
    std::memcpy(to, from, 8);
  } else {
    std::memcpy(to, from, 4);
  }
}

struct WtInstance {
  WtEngine* engine = nullptr;
  std::string module_name;
  wasmtime_store_t* store = nullptr;
  wasmtime_context_t* ctx = nullptr;
  wasmtime_instance_t instance{};
  bool has_memory = false;
  wasmtime_memory_t memory{};
  // Epochs a call may run for (0: no limit; the store's deadline is then kNoDeadline).
  std::uint64_t deadline_ticks = 0;
  std::unordered_map<std::string, std::unique_ptr<WtFunc>> funcs;  // by export name
  std::string last_error;

  void set_limit(std::int64_t ns) {
    const std::uint64_t ticks = ns > 0 ? EpochTicker::ticks_for(std::chrono::nanoseconds(ns)) : 0;
    if (ticks != 0 && deadline_ticks == 0) engine->ticker.acquire();
    if (ticks == 0 && deadline_ticks != 0) engine->ticker.release();
    deadline_ticks = ticks;
    wasmtime_context_set_epoch_deadline(ctx, ticks != 0 ? ticks : kNoDeadline);
  }
};

// --- the call path ---------------------------------------------------------------------------

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
  if (const std::uint64_t ticks = f->inst->deadline_ticks; ticks != 0) {
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
  // Past 32 values the widths are not recorded: 8 bytes is right for every type, only slower.
  auto wide = [](std::uint32_t bits, std::uint32_t i) { return i >= 32 || ((bits >> i) & 1u) != 0; };
  for (std::uint32_t i = 0; i < f->nparams; ++i) copy_value(&raw[i], &io[i], wide(f->wide_params, i));
  if (const std::uint64_t ticks = f->inst->deadline_ticks; ticks != 0) {
    wasmtime_context_set_epoch_deadline(f->ctx, ticks);
  }
  wasm_trap_t* trap = nullptr;
  wasmtime_error_t* err = wasmtime_func_call_unchecked(f->ctx, &f->func, raw, n, &trap);
  if (err != nullptr || trap != nullptr) return call_failed(*f->inst, err, trap);
  for (std::uint32_t i = 0; i < f->nresults; ++i) copy_value(&io[i], &raw[i], wide(f->wide_results, i));
  return WHP_TRAP_NONE;
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

whp_call_fn pick_call(std::uint32_t p, std::uint32_t r) {
  switch (r) {
    case 0: return pick_for_results<0>(p);
    case 1: return pick_for_results<1>(p);
    case 2: return pick_for_results<2>(p);
    default: return &call_any;
  }
}

// --- the plugin table ------------------------------------------------------------------------

void* engine_new(const char* config, whp_engine_info* info, whp_error* err) {
  const Flavor* flavor = find_flavor(config != nullptr ? config : "");
  if (flavor == nullptr) {
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, WHP_TRAP_NONE,
              "unknown Wasmtime configuration '%s' (known: cranelift, winch, pulley)", config ? config : "");
    return nullptr;
  }
  std::string why;
  wasm_engine_t* engine = new_configured_engine(*flavor, why);
  if (engine == nullptr) {
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, WHP_TRAP_NONE, "Wasmtime %s: %s", flavor->config, why.c_str());
    return nullptr;
  }
  info->name = "Wasmtime";
  info->version = WASMHOP_WASMTIME_VERSION;
  info->tier = flavor->tier;
  info->description = flavor->description;
  info->caps = (flavor->interpreter ? WHP_CAP_INTERPRETER : WHP_CAP_JIT) | WHP_CAP_TRAPS_RECOVERABLE |
               WHP_CAP_INTERRUPTIBLE | WHP_CAP_ANY_THREAD;
  return new (std::nothrow) WtEngine(*flavor, engine);
}

void engine_free(void* e) {
  auto* engine = static_cast<WtEngine*>(e);
  if (engine == nullptr) return;
  wasm_engine_t* raw = engine->engine;
  delete engine;  // stops the ticker thread, which uses the engine
  wasm_engine_delete(raw);
}

std::string import_names(const wasmtime_module_t* module) {
  wasm_importtype_vec_t imports;
  wasmtime_module_imports(module, &imports);
  std::string names;
  for (std::size_t i = 0; i < imports.size; ++i) {
    const wasm_name_t* mod = wasm_importtype_module(imports.data[i]);
    const wasm_name_t* field = wasm_importtype_name(imports.data[i]);
    if (!names.empty()) names += ", ";
    names.append(mod->data, mod->size).append(".").append(field->data, field->size);
  }
  wasm_importtype_vec_delete(&imports);
  return names;
}

void* module_new(void* e, const std::uint8_t* wasm, std::size_t len, const char* name, whp_error* err) {
  auto* engine = static_cast<WtEngine*>(e);
  static const std::uint8_t kEmpty[1] = {0};
  if (wasm == nullptr) wasm = kEmpty;
  wasmtime_module_t* module = nullptr;
  if (wasmtime_error_t* error = wasmtime_module_new(engine->engine, wasm, len, &module)) {
    const std::string why = message_of(error);
    wasmtime_error_delete(error);
    // Wasmtime compiles while it validates: tell a module that is not valid wasm from a valid
    // one past what this configuration compiles (its own limits, or a feature it lacks).
    if (wasmtime_error_t* invalid = wasmtime_module_validate(engine->engine, wasm, len)) {
      wasmtime_error_delete(invalid);
      set_error(err, WHP_ERR_MALFORMED_MODULE, WHP_TRAP_NONE, "module '%s': not a valid wasm module: %s", name,
                why.c_str());
    } else {
      set_error(err, WHP_ERR_RESOURCE_LIMIT, WHP_TRAP_NONE,
                "module '%s': valid, but beyond what Wasmtime (%s) compiles: %s", name, engine->flavor.config,
                why.c_str());
    }
    return nullptr;
  }
  auto* m = new (std::nothrow) WtModule{engine, module, name, import_names(module)};
  if (m == nullptr) wasmtime_module_delete(module);
  return m;
}

void module_free(void* m) {
  auto* module = static_cast<WtModule*>(m);
  if (module == nullptr) return;
  wasmtime_module_delete(module->module);
  delete module;
}

void instance_free(void* i) {
  auto* inst = static_cast<WtInstance*>(i);
  if (inst == nullptr) return;
  if (inst->deadline_ticks != 0) inst->engine->ticker.release();
  if (inst->store != nullptr) wasmtime_store_delete(inst->store);
  delete inst;
}

void* instance_new(void* m, std::int64_t timeout_ns, whp_error* err) {
  auto* module = static_cast<WtModule*>(m);
  if (!module->imports.empty()) {
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
              "module '%s' imports %s, which the host does not provide (wasmhop gives scripts no imports)",
              module->name.c_str(), module->imports.c_str());
    return nullptr;
  }
  auto inst = std::unique_ptr<WtInstance, void (*)(void*)>(new (std::nothrow) WtInstance, &instance_free);
  if (!inst) {
    set_error(err, WHP_ERR_RESOURCE_LIMIT, WHP_TRAP_NONE, "module '%s': out of memory", module->name.c_str());
    return nullptr;
  }
  inst->engine = module->engine;
  inst->module_name = module->name;
  inst->store = wasmtime_store_new(module->engine->engine, nullptr, nullptr);
  if (inst->store == nullptr) {
    set_error(err, WHP_ERR_INTERNAL, WHP_TRAP_NONE, "module '%s': wasmtime_store_new failed", module->name.c_str());
    return nullptr;
  }
  inst->ctx = wasmtime_store_context(inst->store);
  // The start function runs under the instantiation limit; later calls under the instance's own.
  inst->set_limit(timeout_ns);
  wasm_trap_t* trap = nullptr;
  wasmtime_error_t* error = wasmtime_instance_new(inst->ctx, module->module, nullptr, 0, &inst->instance, &trap);
  inst->set_limit(0);
  if (trap != nullptr) {
    const std::uint8_t kind = whp_trap_of(trap);
    const std::string why = message_of(trap);
    wasm_trap_delete(trap);
    if (error != nullptr) wasmtime_error_delete(error);
    if (kind == WHP_TRAP_TIMEOUT) {
      set_error(err, WHP_ERR_TIMEOUT, WHP_TRAP_TIMEOUT,
                "module '%s': start function still running after its time limit of %s; stopped",
                module->name.c_str(), describe_limit(timeout_ns).c_str());
    } else {
      set_error(err, WHP_ERR_TRAP, kind, "module '%s': start function: %s (%s)", module->name.c_str(),
                trap_name(kind), why.c_str());
    }
    return nullptr;
  }
  if (error != nullptr) {
    const std::string why = message_of(error);
    wasmtime_error_delete(error);
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE, "module '%s': %s", module->name.c_str(),
              why.c_str());
    return nullptr;
  }
  wasmtime_extern_t item;
  static constexpr std::string_view kMemory = "memory";
  if (wasmtime_instance_export_get(inst->ctx, &inst->instance, kMemory.data(), kMemory.size(), &item)) {
    if (item.kind == WASMTIME_EXTERN_MEMORY) {
      inst->has_memory = true;
      inst->memory = item.of.memory;
    }
    wasmtime_extern_delete(&item);
  }
  return inst.release();
}

bool same_types(const wasm_valtype_vec_t* have, const std::uint8_t* want, std::uint32_t n) {
  if (have->size != n) return false;
  for (std::uint32_t i = 0; i < n; ++i) {
    // wasm.h numbers i32, i64, f32, f64 as 0..3, like WHP_I32..WHP_F64.
    const wasm_valkind_t k = wasm_valtype_kind(have->data[i]);
    if (k > WASM_F64 || k != want[i]) return false;
  }
  return true;
}

int instance_func(void* i, const char* name, const whp_functype* type, whp_call_fn* call, void** ctx,
                  whp_error* err) {
  auto* inst = static_cast<WtInstance*>(i);
  wasmtime_extern_t item;
  if (!wasmtime_instance_export_get(inst->ctx, &inst->instance, name, std::strlen(name), &item)) {
    set_error(err, WHP_ERR_MISSING_EXPORT, WHP_TRAP_NONE, "module '%s': no export '%s'", inst->module_name.c_str(),
              name);
    return -1;
  }
  if (item.kind != WASMTIME_EXTERN_FUNC) {
    wasmtime_extern_delete(&item);
    set_error(err, WHP_ERR_MISSING_EXPORT, WHP_TRAP_NONE, "module '%s': export '%s' is not a function",
              inst->module_name.c_str(), name);
    return -1;
  }
  const wasmtime_func_t func = item.of.func;
  // Resolved once per name: a second lookup (the "uncached" configurations look up every call)
  // does the engine's by-name lookup above and reuses what the first one checked.
  if (auto found = inst->funcs.find(name); found != inst->funcs.end()) {
    WtFunc& f = *found->second;
    if (f.nparams == type->nparams && f.nresults == type->nresults) {
      *call = pick_call(f.nparams, f.nresults);
      *ctx = &f;
      return 0;
    }
  }
  wasm_functype_t* ft = wasmtime_func_type(inst->ctx, &func);
  const bool same = same_types(wasm_functype_params(ft), type->params, type->nparams) &&
                    same_types(wasm_functype_results(ft), type->results, type->nresults);
  wasm_functype_delete(ft);
  if (!same) {
    set_error(err, WHP_ERR_SIGNATURE_MISMATCH, WHP_TRAP_NONE,
              "module '%s', export '%s': Wasmtime sees a different type than the module's bytes declare",
              inst->module_name.c_str(), name);
    return -1;
  }
  auto wide = [](const std::uint8_t* types, std::uint32_t n) {
    std::uint32_t bits = 0;
    for (std::uint32_t k = 0; k < n && k < 32; ++k) {
      if (types[k] == WHP_I64 || types[k] == WHP_F64) bits |= 1u << k;
    }
    return bits;
  };
  auto f = std::make_unique<WtFunc>(WtFunc{inst, inst->ctx, func, type->nparams, type->nresults,
                                           wide(type->params, type->nparams), wide(type->results, type->nresults)});
  *call = pick_call(type->nparams, type->nresults);
  *ctx = f.get();
  inst->funcs[name] = std::move(f);
  return 0;
}

void instance_memory(void* i, std::uint8_t** base, std::uint64_t* size) {
  auto* inst = static_cast<WtInstance*>(i);
  if (!inst->has_memory) {
    *base = nullptr;
    *size = 0;
    return;
  }
  *base = wasmtime_memory_data(inst->ctx, &inst->memory);
  *size = wasmtime_memory_data_size(inst->ctx, &inst->memory);
}

int instance_set_timeout(void* i, std::int64_t timeout_ns, whp_error* err) {
  auto* inst = static_cast<WtInstance*>(i);
  if (timeout_ns < 0) {
    set_error(err, WHP_ERR_INVALID_ARGUMENT, WHP_TRAP_NONE, "module '%s': negative call timeout",
              inst->module_name.c_str());
    return -1;
  }
  inst->set_limit(timeout_ns);
  return 0;
}

const char* instance_last_error(void* i) { return static_cast<WtInstance*>(i)->last_error.c_str(); }

const whp_plugin_v1 kPlugin = {
    WHP_ABI_VERSION, sizeof(whp_plugin_v1), engine_new,           engine_free,          module_new,
    module_free,     instance_new,          instance_free,        instance_func,        instance_memory,
    instance_set_timeout,                   instance_last_error,
};

}  // namespace
}  // namespace wasmhop::wasmtime_plugin

extern "C" __attribute__((visibility("default"))) const whp_plugin_v1* wasmhop_engine_plugin_v1(void) {
  return &wasmhop::wasmtime_plugin::kPlugin;
}
