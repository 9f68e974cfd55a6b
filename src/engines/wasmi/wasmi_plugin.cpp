// The wasmi engine plugin: the plugin table (plugin_abi.h) over wasmhop's wasmi core, a Rust
// staticlib (crate/) that calls wasmi's typed API. The function pointer an export resolves to is
// the core's monomorphized `TypedFunc` caller itself; nothing here sits on the call path.
#include <cstdio>

#include "engines/plugin/plugin_abi.h"
#include "engines/wasmi/wasmi_core.h"

namespace {

constexpr const char* kDescription =
    "wasmi's register-machine interpreter; exports called through wasmi's TypedFunc (Rust, via a C shim)";

void* engine_new(const char* config, whp_engine_info* info, whp_error* err) {
  if (config != nullptr && config[0] != '\0') {
    err->kind = WHP_ERR_ENGINE_UNAVAILABLE;
    std::snprintf(err->message, sizeof err->message, "wasmi has no configuration '%s'", config);
    return nullptr;
  }
  info->name = "wasmi";
  info->version = whp_wasmi_version();
  info->tier = "interpreter";
  info->description = kDescription;
  // A store per instance, Send in Rust: any thread, one call at a time. Fuel is not time, so no
  // call time limit (not interruptible). Imports become wasmi host functions (crate/src/host.rs).
  info->caps = WHP_CAP_INTERPRETER | WHP_CAP_TRAPS_RECOVERABLE | WHP_CAP_ANY_THREAD | WHP_CAP_HOST_FUNCTIONS;
  return whp_wasmi_engine_new(err);
}

void engine_free(void* e) { whp_wasmi_engine_free(static_cast<whp_wasmi_engine*>(e)); }

void* module_new(void* e, const uint8_t* wasm, size_t len, const char* name, whp_error* err) {
  return whp_wasmi_module_new(static_cast<whp_wasmi_engine*>(e), wasm, len, name, err);
}

void module_free(void* m) { whp_wasmi_module_free(static_cast<whp_wasmi_module*>(m)); }

// libwasmhop refuses limits for engines that are not interruptible: a limit here is a mistake.
bool refuse_limit(int64_t timeout_ns, whp_error* err) {
  if (timeout_ns <= 0) return false;
  err->kind = WHP_ERR_ENGINE_UNAVAILABLE;
  std::snprintf(err->message, sizeof err->message, "wasmi cannot stop a running call");
  return true;
}

void* instance_new(void* m, int64_t timeout_ns, whp_error* err) {
  if (refuse_limit(timeout_ns, err)) return nullptr;
  return whp_wasmi_instance_new(static_cast<whp_wasmi_module*>(m), err);
}

void* instance_new_imports(void* m, const whp_import* imports, uint32_t nimports, int64_t timeout_ns,
                           whp_error* err) {
  if (refuse_limit(timeout_ns, err)) return nullptr;
  return whp_wasmi_instance_new_imports(static_cast<whp_wasmi_module*>(m), imports, nimports, err);
}

void instance_free(void* i) { whp_wasmi_instance_free(static_cast<whp_wasmi_instance*>(i)); }

int instance_func(void* i, const char* name, const whp_functype* type, whp_call_fn* call, void** ctx,
                  whp_error* err) {
  return whp_wasmi_instance_func(static_cast<whp_wasmi_instance*>(i), name, type, call, ctx, err);
}

void instance_memory(void* i, uint8_t** base, uint64_t* size) {
  whp_wasmi_instance_memory(static_cast<whp_wasmi_instance*>(i), base, size);
}

int instance_set_timeout(void*, int64_t timeout_ns, whp_error* err) {
  if (timeout_ns == 0) return 0;
  err->kind = WHP_ERR_ENGINE_UNAVAILABLE;
  std::snprintf(err->message, sizeof err->message, "wasmi cannot stop a running call");
  return -1;
}

const char* instance_last_error(void* i) {
  return whp_wasmi_instance_last_error(static_cast<whp_wasmi_instance*>(i));
}

constexpr whp_plugin_v1 kPlugin{WHP_ABI_VERSION, sizeof(whp_plugin_v1), engine_new,  engine_free,
                                module_new,      module_free,           instance_new, instance_free,
                                instance_func,   instance_memory,       instance_set_timeout,
                                instance_last_error, whp_wasmi_func_direct, instance_new_imports};

}  // namespace

extern "C" __attribute__((visibility("default"))) const whp_plugin_v1* wasmhop_engine_plugin_v1() {
  return &kPlugin;
}
