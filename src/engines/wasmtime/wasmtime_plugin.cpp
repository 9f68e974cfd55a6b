// wasmtime-cranelift, wasmtime-winch, wasmtime-pulley: Wasmtime through its own C API
// (wasmtime.h), as the plugin table of src/engines/plugin/plugin_abi.h.
//
// One wasm_engine_t per wasmhop Engine (configured per flavor, engine_config.hpp), one
// wasmtime_module_t per Module, one store per Instance. A resolved export's call function copies
// wasmhop's 8-byte slots into a stack array of Wasmtime's 16-byte raw values and calls
// wasmtime_func_call_unchecked (the type was checked once, at lookup). Call time limits use epoch
// interruption (epoch_ticker.hpp): a store without a limit has its deadline set far away once and
// its calls do nothing for it. The call path is in call.cpp, host functions (imports) in
// host_calls.cpp, error texts in errors.cpp.
#include <wasmtime.h>

#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "engines/plugin/plugin_abi.h"
#include "engines/wasmtime/call.hpp"
#include "engines/wasmtime/components.hpp"
#include "engines/wasmtime/engine_config.hpp"
#include "engines/wasmtime/errors.hpp"
#include "engines/wasmtime/host_calls.hpp"
#include "engines/wasmtime/objects.hpp"
#include "engines/wasmtime/raw_values.hpp"

namespace wasmhop::wasmtime_plugin {
namespace {

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
               WHP_CAP_INTERRUPTIBLE | WHP_CAP_ANY_THREAD | WHP_CAP_HOST_FUNCTIONS | WHP_CAP_COMPONENT;
  return new (std::nothrow) WtEngine(*flavor, engine);
}

void engine_free(void* e) {
  auto* engine = static_cast<WtEngine*>(e);
  if (engine == nullptr) return;
  wasm_engine_t* raw = engine->engine;
  free_component_engine(*engine);  // components made from it hold their own reference
  delete engine;  // stops the ticker thread, which uses the engine
  wasm_engine_delete(raw);
}

// "env.add, env.log" for messages; *count: how many.
std::string import_names(const wasmtime_module_t* module, std::size_t* count) {
  wasm_importtype_vec_t imports;
  wasmtime_module_imports(module, &imports);
  *count = imports.size;
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
  std::size_t import_count = 0;
  std::string imports = import_names(module, &import_count);
  auto* m = new (std::nothrow) WtModule{engine, module, name, std::move(imports), import_count};
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

using InstancePtr = std::unique_ptr<WtInstance, void (*)(void*)>;

// An instance object with its own store, not instantiated yet.
InstancePtr new_store(const WtModule& module, whp_error* err) {
  InstancePtr inst(new (std::nothrow) WtInstance, &instance_free);
  if (!inst) {
    set_error(err, WHP_ERR_RESOURCE_LIMIT, WHP_TRAP_NONE, "module '%s': out of memory", module.name.c_str());
    return inst;
  }
  inst->engine = module.engine;
  inst->module_name = module.name;
  inst->store = wasmtime_store_new(module.engine->engine, nullptr, nullptr);
  if (inst->store == nullptr) {
    set_error(err, WHP_ERR_INTERNAL, WHP_TRAP_NONE, "module '%s': wasmtime_store_new failed", module.name.c_str());
    return InstancePtr(nullptr, &instance_free);
  }
  inst->ctx = wasmtime_store_context(inst->store);
  return inst;
}

// Instantiates `module` in inst's store with these imports, running the start function under
// the instantiation limit; then looks up the exported memory. The instance, or nullptr with *err.
void* instantiate(InstancePtr inst, const WtModule& module, const wasmtime_extern_t* externs, std::size_t n,
                  std::int64_t timeout_ns, whp_error* err) {
  // The start function runs under the instantiation limit; later calls under the instance's own.
  inst->set_limit(timeout_ns);
  wasm_trap_t* trap = nullptr;
  wasmtime_error_t* error = wasmtime_instance_new(inst->ctx, module.module, externs, n, &inst->instance, &trap);
  inst->set_limit(0);
  if (trap != nullptr) {
    const std::uint8_t kind = whp_trap_of(trap);
    const std::string why = message_of(trap);
    wasm_trap_delete(trap);
    if (error != nullptr) wasmtime_error_delete(error);
    if (kind == WHP_TRAP_TIMEOUT) {
      set_error(err, WHP_ERR_TIMEOUT, WHP_TRAP_TIMEOUT,
                "module '%s': start function still running after its time limit of %s; stopped",
                module.name.c_str(), describe_limit(timeout_ns).c_str());
    } else {
      set_error(err, WHP_ERR_TRAP, kind, "module '%s': start function: %s (%s)", module.name.c_str(),
                trap_name(kind), why.c_str());
    }
    return nullptr;
  }
  if (error != nullptr) {
    const std::string why = message_of(error);
    wasmtime_error_delete(error);
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE, "module '%s': %s", module.name.c_str(),
              why.c_str());
    return nullptr;
  }
  if (!inst->memory_resolved) {  // a host function may have looked it up during the start function
    wasmtime_extern_t item;
    static constexpr std::string_view kMemory = "memory";
    if (wasmtime_instance_export_get(inst->ctx, &inst->instance, kMemory.data(), kMemory.size(), &item)) {
      if (item.kind == WASMTIME_EXTERN_MEMORY) {
        inst->has_memory = true;
        inst->memory = item.of.memory;
      }
      wasmtime_extern_delete(&item);
    }
    inst->memory_resolved = true;
  }
  return inst.release();
}

void* instance_new(void* m, std::int64_t timeout_ns, whp_error* err) {
  auto* module = static_cast<WtModule*>(m);
  if (module->import_count != 0) {
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
              "module '%s' imports %s, which the host does not provide (no host functions were given)",
              module->name.c_str(), module->imports.c_str());
    return nullptr;
  }
  InstancePtr inst = new_store(*module, err);
  if (!inst) return nullptr;
  return instantiate(std::move(inst), *module, nullptr, 0, timeout_ns, err);
}

// The host refused every import that is not a function, so imports[k] is the module's k-th import.
void* instance_new_imports(void* m, const whp_import* imports, std::uint32_t n, std::int64_t timeout_ns,
                           whp_error* err) {
  auto* module = static_cast<WtModule*>(m);
  if (n != module->import_count) {
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
              "module '%s' imports %zu items (%s); the host gave %u functions", module->name.c_str(),
              module->import_count, module->imports.c_str(), n);
    return nullptr;
  }
  InstancePtr inst = new_store(*module, err);
  if (!inst) return nullptr;
  std::vector<wasmtime_extern_t> externs;
  std::string why;
  if (!define_host_functions(*inst, imports, n, externs, why)) {
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE, "module '%s': %s", module->name.c_str(),
              why.c_str());
    return nullptr;
  }
  return instantiate(std::move(inst), *module, externs.data(), externs.size(), timeout_ns, err);
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
  auto f = std::make_unique<WtFunc>(WtFunc{inst, inst->ctx, func, type->nparams, type->nresults,
                                           wide_bits(type->params, type->nparams),
                                           wide_bits(type->results, type->nresults), inst->deadline_ticks});
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

// Every export instance_func resolved has a WtFunc context, which the direct entries take too.
whp_direct_fn func_direct(whp_call_fn, void*, const whp_functype* type) { return pick_direct(*type); }

const whp_plugin_v1 kPlugin = {
    WHP_ABI_VERSION, sizeof(whp_plugin_v1), engine_new,           engine_free,          module_new,
    module_free,     instance_new,          instance_free,        instance_func,        instance_memory,
    instance_set_timeout,                   instance_last_error,  func_direct,          instance_new_imports,
    component_new,   component_free,        component_instance_new, component_instance_free, component_world,
    component_last_error,
    nullptr,  // func_tail: none (its direct entries return the result in a register already)
};

}  // namespace
}  // namespace wasmhop::wasmtime_plugin

extern "C" __attribute__((visibility("default"))) const whp_plugin_v1* wasmhop_engine_plugin_v1(void) {
  return &wasmhop::wasmtime_plugin::kPlugin;
}
