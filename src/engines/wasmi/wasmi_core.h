/* The C interface of wasmhop's wasmi core (crate/src/lib.rs, a Rust staticlib): the plugin
 * functions of plugin_abi.h that need wasmi, one for one. */
#ifndef WASMHOP_WASMI_CORE_H
#define WASMHOP_WASMI_CORE_H

#include "engines/plugin/plugin_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct WhpEngine whp_wasmi_engine;
typedef struct WhpModule whp_wasmi_module;
typedef struct WhpInstance whp_wasmi_instance;

const char* whp_wasmi_version(void);
whp_wasmi_engine* whp_wasmi_engine_new(whp_error* err);
void whp_wasmi_engine_free(whp_wasmi_engine* engine);
whp_wasmi_module* whp_wasmi_module_new(whp_wasmi_engine* engine, const uint8_t* wasm, size_t len, const char* name,
                                       whp_error* err);
void whp_wasmi_module_free(whp_wasmi_module* module);
whp_wasmi_instance* whp_wasmi_instance_new(whp_wasmi_module* module, whp_error* err);
whp_wasmi_instance* whp_wasmi_instance_new_imports(whp_wasmi_module* module, const whp_import* imports,
                                                   uint32_t nimports, whp_error* err);
void whp_wasmi_instance_free(whp_wasmi_instance* instance);
int whp_wasmi_instance_func(whp_wasmi_instance* instance, const char* name, const whp_functype* type,
                            whp_call_fn* call, void** ctx, whp_error* err);
void whp_wasmi_instance_memory(whp_wasmi_instance* instance, uint8_t** base, uint64_t* size);
const char* whp_wasmi_instance_last_error(whp_wasmi_instance* instance);
whp_direct_fn whp_wasmi_func_direct(whp_call_fn call, void* ctx, const whp_functype* type);

#ifdef __cplusplus
}
#endif

#endif /* WASMHOP_WASMI_CORE_H */
