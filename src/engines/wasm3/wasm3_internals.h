/* What the wasm3 plugin needs beyond wasm3.h, written in C against wasm3's own internal headers
 * (wasm3_internals.c): wasm3 0.4.7's public API calls exports only with text arguments
 * (m3_CallWithArgs), so the typed call path here does what that function does without the text:
 * arguments into the runtime's stack slots, wasm3's `Call`, the result from slot 0. */
#ifndef WASMHOP_WASM3_INTERNALS_H
#define WASMHOP_WASM3_INTERNALS_H

#include <stdint.h>

#include "engines/plugin/plugin_abi.h"
#include "wasm3.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One resolved export: the context its call function gets (filled by whp_m3_bind). */
typedef struct whp_m3_export {
  const void* first_op;    /* the compiled code's first operation (code[0]) ... */
  const void* operands;    /* ... and what follows it (code + 1): that operation's pc */
  uint64_t* stack;         /* the runtime's stack: arguments in, result out */
  void* const* memory;     /* where the runtime keeps its memory header (moves when memory grows) */
  const void* code;        /* the function's compiled code */
  uint32_t nparams;
  M3Result* last_trap;     /* where the instance keeps wasm3's text for its last trap */
} whp_m3_export;

typedef uint8_t (*whp_m3_call_fn)(void* ctx, uint64_t* io);

/* Fills *e for a compiled function of `runtime` and returns its call function (plugin_abi.h's
 * whp_call_fn): one specialized per argument count (0..4) and result (none, 32 or 64 bits),
 * a loop over the arguments beyond that. */
whp_m3_call_fn whp_m3_bind(whp_m3_export* e, IM3Runtime runtime, IM3Function function, uint32_t nparams,
                           uint32_t nresults, int result_is_32, M3Result* last_trap);

/* The direct entry (plugin_abi.h) for an export bound by whp_m3_bind, same context; NULL past
 * WHP_DIRECT_MAX_PARAMS parameters or one result. */
whp_direct_fn whp_m3_direct(uint32_t nparams, uint32_t nresults, int result_is_32);

/* The tail entry (plugin_abi.h) for an export bound by whp_m3_bind, same context, its result slot
 * in *slot; NULL past WHP_DIRECT_MAX_PARAMS parameters or one result. whp_m3_tail_trap is its
 * whp_tail_trap_fn: the trap kind of the word, which it keeps as the instance's last trap. */
whp_direct_fn whp_m3_tail(const whp_m3_export* e, uint32_t nparams, uint32_t nresults, const void** slot);
uint8_t whp_m3_tail_trap(void* ctx, uintptr_t status);

/* The WHP_TRAP_* kind of a wasm3 result (WHP_TRAP_NONE for m3Err_none). */
uint8_t whp_m3_trap_kind(M3Result result);

/* Before m3_LoadModule: keeps the memory maximum at 65535 pages (wasm3 0.4.7 computes the byte
 * size of 65536 pages in 32 bits, which wraps to 0). */
void whp_m3_prepare_module(IM3Module module);

/* Function `index` (imports first) of a loaded module, compiled; NULL with *error set otherwise. */
IM3Function whp_m3_function(IM3Module module, uint32_t index, M3Result* error);

/* The signature wasm3 compiled for `function`: c_m3Type_* codes; *ret is c_m3Type_none for none. */
void whp_m3_signature(IM3Function function, uint32_t* nargs, const uint8_t** args, uint8_t* ret);

/* 1 when `module` is linked into `runtime` (m3_FreeRuntime then frees it), else 0. */
int whp_m3_runtime_owns(IM3Runtime runtime, IM3Module module);

/* A host function as the raw function linked for an import sees it (its cookie). */
typedef struct whp_m3_host {
  whp_host_fn call;
  void* ctx;
  const whp_caller* caller;
} whp_m3_host;

/* Links the module's index-th function import (imports in module order) to `host`: wasm3 then
 * calls the host's function with its own stack slots as the io array (64-bit slots, arguments
 * from slot 0, the result into slot 0: plugin_abi.h's layout). Call before m3_LoadModule, which
 * runs the start function; `module` is parsed, not yet loaded into `runtime`. `signature` is
 * wasm3's text ("i(iI)"). A failing host function traps the guest (whp_m3_trap_kind:
 * WHP_TRAP_HOST_ERROR). */
M3Result whp_m3_link_import(IM3Runtime runtime, IM3Module module, uint32_t index, const char* signature,
                            whp_m3_host* host);

/* The runtime's linear memory now (the header wasm3 keeps in front of it skipped). */
void whp_m3_memory(IM3Runtime runtime, uint8_t** base, uint64_t* size);

#ifdef __cplusplus
}
#endif

#endif /* WASMHOP_WASM3_INTERNALS_H */
