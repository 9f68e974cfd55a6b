/* The C contract between libwasmhop and an engine plugin: a shared object of its own
 * (wasmhop-engine-<folder>.so) that carries one engine library (Wasmtime, Wasmer, ...) with every
 * symbol hidden but `wasmhop_engine_plugin_v1`, loaded with dlopen(RTLD_LOCAL). Engines that
 * export the same wasm-c-api names (and libnode, V8's) can then live in one wasmhop binary.
 *
 * Plain C so the Rust and C++ sides agree without sharing a compiler; src/engines/plugin/
 * turns it into wasmhop::Engine. The call path is not wrapped: the function pointer a plugin
 * hands out for an export IS the wasmhop::PackedCallFn every typed handle calls. */
#ifndef WASMHOP_PLUGIN_ABI_H
#define WASMHOP_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WHP_ABI_VERSION 1u

/* Error kinds and trap kinds: the numeric values of wasmhop::ErrorKind and wasmhop::TrapKind
 * (include/wasmhop/result.hpp); plugin_engine.cpp checks they agree at compile time. */
enum {
  WHP_ERR_MALFORMED_MODULE = 0,
  WHP_ERR_MISSING_EXPORT = 1,
  WHP_ERR_SIGNATURE_MISMATCH = 2,
  WHP_ERR_TRAP = 3,
  WHP_ERR_OUT_OF_BOUNDS = 4,
  WHP_ERR_ENGINE_UNAVAILABLE = 5,
  WHP_ERR_INSTANTIATION_FAILED = 6,
  WHP_ERR_IO = 7,
  WHP_ERR_INVALID_ARGUMENT = 8,
  WHP_ERR_TIMEOUT = 9,
  WHP_ERR_RESOURCE_LIMIT = 10,
  WHP_ERR_INTERNAL = 11
};
enum {
  WHP_TRAP_NONE = 0,
  WHP_TRAP_UNREACHABLE = 1,
  WHP_TRAP_INTEGER_DIVIDE_BY_ZERO = 2,
  WHP_TRAP_INTEGER_OVERFLOW = 3,
  WHP_TRAP_INVALID_CONVERSION = 4,
  WHP_TRAP_OUT_OF_BOUNDS_MEMORY = 5,
  WHP_TRAP_OUT_OF_BOUNDS_TABLE = 6,
  WHP_TRAP_INDIRECT_CALL_MISMATCH = 7,
  WHP_TRAP_CALL_STACK_EXHAUSTED = 8,
  WHP_TRAP_HOST_ERROR = 9,
  WHP_TRAP_UNKNOWN = 10,
  WHP_TRAP_TIMEOUT = 11 /* the call ran past its limit and was stopped */
};

/* Value types: the numeric values of wasmhop::ValType. */
enum { WHP_I32 = 0, WHP_I64 = 1, WHP_F32 = 2, WHP_F64 = 3 };

/* Capability bits (wasmhop::Capabilities; a plugin engine is always sandboxed and loads wasm). */
enum {
  WHP_CAP_JIT = 1u << 0,
  WHP_CAP_AOT = 1u << 1,
  WHP_CAP_INTERPRETER = 1u << 2,
  WHP_CAP_TIER_FIXED_PER_PROCESS = 1u << 3,
  WHP_CAP_TRAPS_RECOVERABLE = 1u << 4,
  WHP_CAP_INTERRUPTIBLE = 1u << 5, /* instance_set_timeout works; calls past it return WHP_TRAP_TIMEOUT */
  WHP_CAP_ANY_THREAD = 1u << 6,
  WHP_CAP_HOST_FUNCTIONS = 1u << 7, /* instance_new_imports binds function imports */
  WHP_CAP_COMPONENT = 1u << 8       /* the component_* entries compile and run components */
};

typedef struct whp_error {
  uint8_t kind; /* WHP_ERR_* */
  uint8_t trap; /* WHP_TRAP_* when kind is WHP_ERR_TRAP or WHP_ERR_TIMEOUT */
  char message[1024]; /* NUL-terminated; names the module / export it concerns */
} whp_error;

/* Static strings owned by the plugin (live until it is unloaded, i.e. for the process). */
typedef struct whp_engine_info {
  const char* name;        /* "Wasmtime" */
  const char* version;     /* the engine's own version: "48.0.8" */
  const char* tier;        /* "interpreter", "baseline", "optimizing", "dynamic" or "aot" */
  const char* description; /* one line: how it runs a module */
  uint32_t caps;           /* WHP_CAP_* */
} whp_engine_info;

/* A function type as the host parsed it from the module (already validated by the engine). */
typedef struct whp_functype {
  const uint8_t* params; /* WHP_I32 ... */
  const uint8_t* results;
  uint32_t nparams;
  uint32_t nresults;
} whp_functype;

/* Calls one export: arguments in io[0..nparams), results written to io[0..nresults) (8-byte
 * slots: i32 in the low 4 bytes, f32 likewise, i64/f64 whole). Returns WHP_TRAP_NONE or the trap
 * that ended the call; the engine has unwound and the instance stays usable. Never throws,
 * never aborts. Identical to wasmhop::PackedCallFn. */
typedef uint8_t (*whp_call_fn)(void* ctx, uint64_t* io);

/* The direct entry of an export with at most WHP_DIRECT_MAX_PARAMS parameters and at most one
 * result, optional: arguments in registers (one uint64_t each: i32 and f32 bits in the low 4
 * bytes, the upper ones unspecified), the result and the trap kind back in registers (this
 * 16-byte struct is returned in RAX:RDX on x86-64, X0:X1 on AArch64). The same call as its
 * whp_call_fn, with the same ctx, minus the trip of every value through the io array in memory:
 * the caller's store, the plugin's load, and the same again for the result.
 * `value` is meaningful only when `trap` is WHP_TRAP_NONE and there is a result (i32/f32: its
 * low 4 bytes). */
typedef struct whp_direct_result {
  uint64_t value;
  uint64_t trap; /* WHP_TRAP_* (64 bits wide: no padding, the whole register is the trap) */
} whp_direct_result;
#define WHP_DIRECT_MAX_PARAMS 4
typedef whp_direct_result (*whp_direct0_fn)(void* ctx);
typedef whp_direct_result (*whp_direct1_fn)(void* ctx, uint64_t a0);
typedef whp_direct_result (*whp_direct2_fn)(void* ctx, uint64_t a0, uint64_t a1);
typedef whp_direct_result (*whp_direct3_fn)(void* ctx, uint64_t a0, uint64_t a1, uint64_t a2);
typedef whp_direct_result (*whp_direct4_fn)(void* ctx, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
/* One of the five above, the one of the export's parameter count; cast back to it to call. */
typedef void (*whp_direct_fn)(void);

/* The tail entry of an export, optional: the same call as its direct entry (same ctx, the
 * arguments in registers the same way), except that the result stays where the engine left it, in
 * the 8-byte slot that func_tail names (i32 and f32: its low 4 bytes), and the entry returns a word:
 * 0 when the call returned, otherwise a nonzero word that only the plugin's whp_tail_trap_fn
 * understands, which turns it into the WHP_TRAP_* kind (never WHP_TRAP_NONE) and keeps the engine's
 * text for instance_last_error. Neither result nor trap kind has to be made by the plugin after
 * the engine returns, so the entry can end in a tail call into the engine, whose own return then
 * comes straight back to the caller: one call and return fewer than a direct entry's. */
typedef uintptr_t (*whp_tail0_fn)(void* ctx);
typedef uintptr_t (*whp_tail1_fn)(void* ctx, uint64_t a0);
typedef uintptr_t (*whp_tail2_fn)(void* ctx, uint64_t a0, uint64_t a1);
typedef uintptr_t (*whp_tail3_fn)(void* ctx, uint64_t a0, uint64_t a1, uint64_t a2);
typedef uintptr_t (*whp_tail4_fn)(void* ctx, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
typedef uint8_t (*whp_tail_trap_fn)(void* ctx, uintptr_t status);

/* Host functions (imports). The instance calling a host function, as the plugin describes it:
 * `memory` gives its exported memory now (NULL, 0 when none). Mirrors wasmhop::CallerView. */
typedef struct whp_caller {
  void* opaque;
  void (*memory)(void* opaque, uint8_t** base, uint64_t* size);
} whp_caller;

/* Calls a host function: arguments in io[0..nparams), results written to io[0..nresults) (the
 * slots of whp_call_fn). Returns 0, or non-zero when it failed: the plugin then ends the guest
 * call with a trap of any kind (the host keeps the reason). Never unwinds through the plugin.
 * Mirrors wasmhop::ImportCallFn. */
typedef uint8_t (*whp_host_fn)(void* ctx, const whp_caller* caller, uint64_t* io);

/* One function import bound to its host function; module, field and type as the module declares
 * them (the host checked the type). Valid while the instance lives. */
typedef struct whp_import {
  const char* module;
  const char* field;
  whp_functype type;
  whp_host_fn call;
  void* ctx;
} whp_import;

/* Components (the component model, wasmhop/component.hpp): the study's WIT worlds
 * (guest/component/wasmhop.wit), each resolved once into a table of typed calls. Every call
 * returns WHP_TRAP_NONE or the trap that ended it (a trap poisons the component instance); the
 * layouts are those of wasmhop::component_detail::MicroCalls and PolicyCalls. */
enum { WHP_WORLD_MICRO = 0, WHP_WORLD_POLICY = 1 };
typedef struct whp_micro_world {
  void* ctx;
  uint8_t (*mul_scalars)(void* ctx, int32_t a, int32_t b, int32_t* out);
  uint8_t (*mul_record)(void* ctx, int32_t a, int32_t b, int32_t* out); /* record pair { a, b } */
  uint8_t (*checksum)(void* ctx, const uint8_t* data, size_t len, uint32_t* out); /* list<u8> */
} whp_micro_world;
typedef struct whp_policy_world {
  void* ctx;
  uint8_t (*init)(void* ctx, uint64_t capacity, uint8_t size_change, uint8_t cost); /* enum cases */
  uint8_t (*access)(void* ctx, uint64_t id, uint64_t size, uint8_t* hit);         /* record request */
  uint8_t (*stats)(void* ctx, uint64_t* out4); /* requests, hits, bytes_requested, bytes_hit */
} whp_policy_world;

typedef struct whp_plugin_v1 {
  uint32_t abi_version; /* WHP_ABI_VERSION */
  uint32_t struct_size; /* sizeof(whp_plugin_v1) as the plugin was built (fields were added at the end) */

  /* `config` is the registry line's configuration ("cranelift", "winch", "pulley", "" ...).
   * NULL on failure, with *err filled (kind WHP_ERR_ENGINE_UNAVAILABLE for an unknown config). */
  void* (*engine_new)(const char* config, whp_engine_info* info, whp_error* err);
  void (*engine_free)(void* engine);

  /* Validates and compiles. `name` names the module in errors. Bytes are not kept. */
  void* (*module_new)(void* engine, const uint8_t* wasm, size_t len, const char* name, whp_error* err);
  void (*module_free)(void* module);

  /* Instantiates with no imports provided (a module that imports anything fails with
   * WHP_ERR_INSTANTIATION_FAILED naming the import). Runs the start function, stopped after
   * `timeout_ns` when > 0 (interruptible engines). Does not run `_initialize`: the host does. */
  void* (*instance_new)(void* module, int64_t timeout_ns, whp_error* err);
  void (*instance_free)(void* instance);

  /* Resolves exported function `name` of type `type` once: *call and *ctx stay valid while the
   * instance lives. Returns 0, or -1 with *err (missing_export, signature_mismatch). */
  int (*instance_func)(void* instance, const char* name, const whp_functype* type, whp_call_fn* call,
                       void** ctx, whp_error* err);

  /* The exported memory "memory" now: base and byte size (NULL, 0 when there is none). */
  void (*instance_memory)(void* instance, uint8_t** base, uint64_t* size);

  /* The limit for every later call on this instance (0: none). Only with WHP_CAP_INTERRUPTIBLE. */
  int (*instance_set_timeout)(void* instance, int64_t timeout_ns, whp_error* err);

  /* Text the engine gave for the last trap or failure on this instance ("" when none). */
  const char* (*instance_last_error)(void* instance);

  /* --- Since the direct entries: present when struct_size reaches past this point. --- */

  /* The direct entry (whp_directN_fn, N = type->nparams) of an export that instance_func
   * resolved to `call` and `ctx`, called with that ctx; NULL when there is none for this type
   * (callers then use `call`). May itself be NULL: no direct entries at all. */
  whp_direct_fn (*func_direct)(whp_call_fn call, void* ctx, const whp_functype* type);

  /* --- Since host functions: present when struct_size reaches past this point. --- */

  /* instance_new for a module that imports functions: imports[k] is its k-th function import
   * (import-section order, counting function imports only), nimports their number. Any other
   * import kind was refused by the host before. May be NULL: no host functions
   * (WHP_CAP_HOST_FUNCTIONS unset). */
  void* (*instance_new_imports)(void* module, const whp_import* imports, uint32_t nimports, int64_t timeout_ns,
                                whp_error* err);

  /* --- Since components: present when struct_size reaches past this point (WHP_CAP_COMPONENT). --- */

  /* Validates and compiles a component (the caller checked the preamble's layer). */
  void* (*component_new)(void* engine, const uint8_t* bytes, size_t len, const char* name, whp_error* err);
  void (*component_free)(void* component);
  /* A fresh instance with nothing imported; runs the component's start (the reactor's _initialize). */
  void* (*component_instance_new)(void* component, whp_error* err);
  void (*component_instance_free)(void* instance);
  /* Resolves and type-checks world `world`'s exports once into *table (a whp_micro_world or a
   * whp_policy_world), valid while the instance lives. Returns 0, or -1 with *err
   * (missing_export, signature_mismatch). */
  int (*component_world)(void* instance, uint32_t world, void* table, whp_error* err);
  /* Text the engine gave for the last trapped call on this instance ("" when none). */
  const char* (*component_last_error)(void* instance);

  /* --- Since tail entries: present when struct_size reaches past this point. --- */

  /* The tail entry (whp_tailN_fn, N = type->nparams, cast to whp_direct_fn) of an export that
   * instance_func resolved to `call` and `ctx`, called with that ctx; *slot and *trap_of set beside
   * it (both valid while the instance lives). NULL when there is none for this type (callers then
   * use the direct entry). May itself be NULL: no tail entries at all. */
  whp_direct_fn (*func_tail)(whp_call_fn call, void* ctx, const whp_functype* type, const void** slot,
                             whp_tail_trap_fn* trap_of);
} whp_plugin_v1;

/* The table as it was before func_direct: the least struct_size a version-1 plugin reports. */
#define WHP_PLUGIN_V1_BASE_SIZE offsetof(whp_plugin_v1, func_direct)

/* An optional field of a plugin's table, or NULL when the table ends before it (a plugin built
 * before the field was added): the host reads every field past the base size through this. */
#define WHP_PLUGIN_FIELD(api, field) \
  ((api)->struct_size >= offsetof(whp_plugin_v1, field) + sizeof((api)->field) ? (api)->field : NULL)

/* The one symbol a plugin exports. */
typedef const whp_plugin_v1* (*whp_plugin_entry_fn)(void);
#define WHP_PLUGIN_ENTRY "wasmhop_engine_plugin_v1"

#ifdef __cplusplus
}
#endif

#endif /* WASMHOP_PLUGIN_ABI_H */
