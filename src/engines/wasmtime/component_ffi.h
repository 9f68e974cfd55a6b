/* The C interface of the crate's component module (crate/src/component.rs): components compiled
 * and called through Wasmtime's typed component API, which wasmtime.h does not offer. Errors
 * fill a whp_error; no panic crosses it. */
#ifndef WASMHOP_WASMTIME_COMPONENT_FFI_H
#define WASMHOP_WASMTIME_COMPONENT_FFI_H

#include <stddef.h>
#include <stdint.h>

#include "engines/plugin/plugin_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

void* wasmhop_wt_component_engine_new(const char* flavor, whp_error* err);
void wasmhop_wt_component_engine_free(void* engine);
void* wasmhop_wt_component_new(void* engine, const uint8_t* bytes, size_t len, const char* name, whp_error* err);
void wasmhop_wt_component_free(void* component);
void* wasmhop_wt_component_instance_new(void* component, whp_error* err);
void wasmhop_wt_component_instance_free(void* instance);
int32_t wasmhop_wt_component_world(void* instance, uint32_t world, void* table, whp_error* err);
const char* wasmhop_wt_component_last_error(void* instance);

#ifdef __cplusplus
}
#endif

#endif /* WASMHOP_WASMTIME_COMPONENT_FFI_H */
