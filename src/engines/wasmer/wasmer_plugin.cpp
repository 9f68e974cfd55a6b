// The whp_plugin_v1 table of the Wasmer plugin (wasmhop-engine-wasmer.so) over the crate's C
// interface (crate/src: engine.rs, instance.rs). What is wasmhop's decision lives here: the three
// configurations, what each is called, its tier and capabilities; the Rust side does the Wasmer work.
#include <cstdio>
#include <cstring>

#include "engines/plugin/plugin_abi.h"
#include "engines/plugin/plugin_error.hpp"

extern "C" {
const char* whp_wasmer_version(void);
void* whp_wasmer_engine_new(const char* config, whp_error* err);
void whp_wasmer_engine_free(void* engine);
void* whp_wasmer_module_new(void* engine, const uint8_t* wasm, size_t len, const char* name, whp_error* err);
void whp_wasmer_module_free(void* module);
void* whp_wasmer_instance_new(void* module, whp_error* err);
void* whp_wasmer_instance_new_imports(void* module, const whp_import* imports, uint32_t nimports, whp_error* err);
void whp_wasmer_instance_free(void* instance);
int whp_wasmer_instance_func(void* instance, const char* name, const whp_functype* type, whp_call_fn* call,
                             void** ctx, whp_error* err);
void whp_wasmer_instance_memory(void* instance, uint8_t** base, uint64_t* size);
const char* whp_wasmer_instance_last_error(void* instance);
whp_direct_fn whp_wasmer_func_direct(whp_call_fn call, void* ctx, const whp_functype* type);
}

namespace {

// Wasmer 4.x has no epoch or interrupt handle (its metering middleware would add a counter to
// every block): no WHP_CAP_INTERRUPTIBLE, so wasmhop runs time-limited calls in a child process.
// Each instance has its own Store, entered from any thread (one at a time).
constexpr uint32_t kCaps = WHP_CAP_JIT | WHP_CAP_TRAPS_RECOVERABLE | WHP_CAP_ANY_THREAD | WHP_CAP_HOST_FUNCTIONS;

struct Config {
  const char* config;
  const char* tier;
  const char* description;
};
constexpr Config kConfigs[] = {
    {"singlepass", "baseline", "Wasmer's Singlepass compiler: one pass, no optimization (fast compile)"},
    {"cranelift", "optimizing", "Wasmer's Cranelift compiler (opt level speed), the paper's configuration"},
    {"llvm", "optimizing", "Wasmer's LLVM compiler (LLVM 15, opt level aggressive): slowest compile, fastest code"},
};

void set_error(whp_error* err, uint8_t kind, const char* text) {
  wasmhop::plugin::set_error(err, kind, WHP_TRAP_NONE, "%s", text);
}

void* engine_new(const char* config, whp_engine_info* info, whp_error* err) {
  const Config* found = nullptr;
  for (const Config& c : kConfigs) {
    if (std::strcmp(c.config, config) == 0) found = &c;
  }
  if (found == nullptr) {
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, "unknown Wasmer configuration (singlepass, cranelift or llvm)");
    return nullptr;
  }
  if (std::strcmp(found->config, "llvm") == 0 && WASMHOP_WASMER_LLVM_WHY_NOT[0] != '\0') {
    char text[sizeof err->message];
    std::snprintf(text, sizeof text, "built without Wasmer's LLVM compiler: %s", WASMHOP_WASMER_LLVM_WHY_NOT);
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, text);
    return nullptr;
  }
  void* engine = whp_wasmer_engine_new(found->config, err);
  if (engine == nullptr) return nullptr;
  *info = whp_engine_info{"Wasmer", whp_wasmer_version(), found->tier, found->description, kCaps};
  return engine;
}

void* instance_new(void* module, int64_t timeout_ns, whp_error* err) {
  if (timeout_ns > 0) {  // not interruptible: wasmhop refuses before asking; a direct caller learns why
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, "this Wasmer (4.x) cannot stop a running start function (no interrupt)");
    return nullptr;
  }
  return whp_wasmer_instance_new(module, err);
}

void* instance_new_imports(void* module, const whp_import* imports, uint32_t nimports, int64_t timeout_ns,
                           whp_error* err) {
  if (timeout_ns > 0) {
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, "this Wasmer (4.x) cannot stop a running start function (no interrupt)");
    return nullptr;
  }
  return whp_wasmer_instance_new_imports(module, imports, nimports, err);
}

int instance_set_timeout(void*, int64_t timeout_ns, whp_error* err) {
  if (timeout_ns == 0) return 0;
  set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, "this Wasmer (4.x) cannot stop a running call (no interrupt)");
  return -1;
}

constexpr whp_plugin_v1 kPlugin = {
    WHP_ABI_VERSION,
    sizeof(whp_plugin_v1),
    engine_new,
    whp_wasmer_engine_free,
    whp_wasmer_module_new,
    whp_wasmer_module_free,
    instance_new,
    whp_wasmer_instance_free,
    whp_wasmer_instance_func,
    whp_wasmer_instance_memory,
    instance_set_timeout,
    whp_wasmer_instance_last_error,
    whp_wasmer_func_direct,
    instance_new_imports,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const whp_plugin_v1* wasmhop_engine_plugin_v1(void) {
  return &kPlugin;
}
