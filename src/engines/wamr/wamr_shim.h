/* The few things wasmhop needs from WAMR that its public API (wasm_export.h) does not offer in
 * the pinned 2020 snapshot. wamr_shim.c is compiled inside each WAMR runtime library with that
 * build's own configuration, so the internal structures it reads have the layout WAMR uses. */
#ifndef WASMHOP_WAMR_SHIM_H
#define WASMHOP_WAMR_SHIM_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* wasm_runtime_call_wasm without what it does first on every call: pthread_getattr_np, which
 * reads /proc/self/maps on the main thread (about 240 us a call here), to bound the native
 * stack, which exec envs from wasmhop_wamr_create_exec_env do not need. It is the interpreter's
 * own entry (interpreter/wasm_runtime.h), declared here with opaque pointers so the call path
 * makes no extra hop. argv holds 32-bit cells: arguments in, results out. False: an exception
 * is set. */
#ifdef __cplusplus /* wamr_shim.c sees WAMR's own declarations */
bool wasm_call_function(wasm_exec_env_t env, wasm_function_inst_t func, unsigned argc, uint32_t argv[]);
/* What wasm_call_function runs (interpreter/wasm_interp.h): the call, results in argv unless an
 * exception was raised. wasm_call_function is this, then wasm_get_exception (its WASI proc-exit
 * check is compiled out: no WASI here). */
void wasm_interp_call_wasm(wasm_module_inst_t inst, wasm_exec_env_t env, wasm_function_inst_t func, uint32_t argc,
                           uint32_t argv[]);
#endif

/* The instance's exception text, in place: its first byte is 0 while there is none (the test
 * wasm_get_exception makes). */
const char* wasmhop_wamr_exception(wasm_module_inst_t inst);

/* wasm_runtime_create_exec_env, then: no native stack bound (any thread may call), and the
 * guest's whole C stack back (with the thread manager, WAMR splits a module's stack region
 * among 4 future threads and bounds this one to a fifth). */
wasm_exec_env_t wasmhop_wamr_create_exec_env(wasm_module_inst_t inst, uint32_t stack_size);

/* Cells (32-bit words) of a function's parameters and results. */
void wasmhop_wamr_func_cells(wasm_function_inst_t func, uint32_t* params, uint32_t* results);

/* Sets / clears the exec env's terminate flag, which the interpreter polls at branches and
 * calls (thread manager); a set flag makes the running call return at once. Any thread. */
void wasmhop_wamr_interrupt(wasm_exec_env_t env);
void wasmhop_wamr_clear_interrupt(wasm_exec_env_t env);

/* Removes the module's start function from what instantiation runs and returns its index
 * (UINT32_MAX: none), so that the host runs it on its own exec env, under its time limit. */
uint32_t wasmhop_wamr_take_start(wasm_module_t module);
wasm_function_inst_t wasmhop_wamr_function(wasm_module_inst_t inst, uint32_t index);

/* Raises the maximum page count of the module's own memory to `pages` when it can grow (WAMR's
 * loader caps it at 1 GiB, its global pool's size, even with the system allocator, which has no
 * pool). Modules that never grow memory are left alone: WAMR gave them one flat page. */
void wasmhop_wamr_set_max_pages(wasm_module_t module, uint32_t pages);

/* Links every function import of the loaded module to `raw_native` (WAMR's raw convention:
 * void f(wasm_exec_env_t, uint64_t* args)), the import's index as its attachment, whatever its
 * module name (the 2020 loader links only its built-in modules' names, at load time). Returns
 * the number of function imports. Module-level: every instance of the module calls raw_native. */
uint32_t wasmhop_wamr_link_imports(wasm_module_t module, void* raw_native);

/* The default linear memory now: base and byte size (NULL, 0 when there is none). */
void wasmhop_wamr_memory(wasm_module_inst_t inst, uint8_t** base, uint64_t* size);

#ifdef __cplusplus
}
#endif

#endif /* WASMHOP_WAMR_SHIM_H */
