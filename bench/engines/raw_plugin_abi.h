/* A raw baseline for a plugin engine, written directly against that engine's own API and
 * compiled into the engine's plugin (bench/engines/CMakeLists.txt), which exports the entry below
 * beside its own: both loops then run the same engine code. engine_overhead looks it up in the
 * plugin and times wasmhop's typed handle against it in the same process. */
#ifndef WASMHOP_RAW_PLUGIN_ABI_H
#define WASMHOP_RAW_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct whp_raw_variant {
  char name[96];    /* e.g. "raw wasmtime_func_call_unchecked" */
  double seconds;   /* the call loop only (compile and instantiate happen before) */
  int64_t checksum; /* sum of all results, so the work stays observable */
} whp_raw_variant;

/* Compiles `wasm_path` (conformance.wasm) with the engine configured as the registry line's
 * `config` says ("cranelift", ...), instantiates it, runs `_initialize` if exported, resolves
 * export add_i32 : (i32, i32) -> i32 once, then calls add_i32(i, 7) for i in [0, calls) and
 * checks every result == i + 7. Writes up to `max_out` variants (fastest legitimate path first)
 * and their count to *n_out. Returns 0, or -1 with a message in err[0..errlen). */
typedef int (*whp_raw_pair_fn)(const char* config, const char* wasm_path, int64_t calls,
                               whp_raw_variant* out, int max_out, int* n_out, char* err, size_t errlen);
#define WHP_RAW_PAIR_ENTRY "wasmhop_raw_pair_v1"

#ifdef __cplusplus
}
#endif

#endif /* WASMHOP_RAW_PLUGIN_ABI_H */
