/* The binary interface between libwasmhop (the host) and a shared object the wasm2c engine builds.
 *
 * Plain C: this header is compiled into libwasmhop and, embedded as text, into every generated
 * shared object (next to runtime_shim.c). Any change to a struct here must bump
 * WASMHOP_W2C_ABI_VERSION; the cache key covers this file's text, so old objects are rebuilt.
 *
 * The host fills a wasmhop_w2c_host and passes it to the object's one entry point,
 * wasmhop_w2c_attach(), which returns the module's description: instance size, entry points and
 * the export table (names, types, packed-call wrappers). The object needs nothing from the host
 * executable's symbol table, so libwasmhop can be linked statically into any program. */
#ifndef WASMHOP_W2C_ABI_H_
#define WASMHOP_W2C_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASMHOP_W2C_ABI_VERSION 4u

/* One argument or result slot (the layout of wasmhop::RawVal). */
typedef union wasmhop_w2c_val {
  int32_t i32;
  int64_t i64;
  float f32;
  double f64;
  uint64_t bits;
} wasmhop_w2c_val;

/* Arguments in io[0..params), results written to io[0..results) (io is a wasmhop_w2c_val
 * array; void* so that the host can call it as a detail::GuardedTarget). May trap (longjmp). */
typedef void (*wasmhop_w2c_packed_fn)(void* instance, void* io);

/* The same call with the trap guard inside (x86-64): arms a jump buffer, links it as the host's
 * current trap frame, calls, unlinks. Returns 0, or the trap (a wasmhop::TrapKind) when one
 * unwound to it. Exactly a wasmhop::PackedCallFn with ctx = the instance, so the host calls the
 * object directly: one indirect call per guest call. */
typedef uint8_t (*wasmhop_w2c_guarded_fn)(void* instance, void* io);

/* The direct entry (wasmhop::Func::direct, scoped_direct), x86-64, for exports of at most 4
 * parameters and 1 result: wasmhop_w2c_direct_result (*)(void* instance, uint64_t a0, ...), one
 * uint64_t per parameter (i32 and f32 bits in the low 4 bytes; the upper ones are ignored). When
 * the host's innermost trap frame is a TrapScope (tagged with bit 0) it calls the export with no
 * guard, and a trap unwinds through it (with the object's unwind tables) to the host's call;
 * otherwise it arms a trap frame as the guarded entry does and returns the trap in `trap`.
 * Stored as this generic type. */
typedef struct wasmhop_w2c_direct_result {
  uint64_t value; /* the result's bits (i32, f32: the low 4, zero-extended) */
  uint64_t trap;  /* 0, or the wasmhop::TrapKind */
} wasmhop_w2c_direct_result;
typedef void (*wasmhop_w2c_direct_fn)(void);

typedef struct wasmhop_w2c_export {
  const char* name;  /* the export's name, name_len bytes (not necessarily NUL-free) */
  uint32_t name_len;
  char kind;         /* 'f' function, 'm' memory, 't' table, 'g' global */
  const char* params;   /* functions: one code per value: i=i32 I=i64 f=f32 F=f64 r=reference */
  const char* results;
  wasmhop_w2c_packed_fn packed; /* NULL when a reference type makes it uncallable from the host */
  const char* symbol;           /* the generated C function (wasm2c's API), e.g. "Z_mZ_x3" */
  wasmhop_w2c_guarded_fn guarded; /* NULL when packed is, or off x86-64 */
  wasmhop_w2c_direct_fn direct;   /* NULL off x86-64, when packed is, or with more parameters or results */
} wasmhop_w2c_export;

/* The host's trap frame (wasmhop::detail::TrapFrame on x86-64): the jump buffer its longjmp
 * restores (rbx, rbp, r12-r15, rsp, rip) and the enclosing frame. */
typedef struct wasmhop_w2c_trap_frame {
  void* buf[8];
  struct wasmhop_w2c_trap_frame* prev;
} wasmhop_w2c_trap_frame;

/* Each instance is one zeroed block: this header, then wasm2c's instance struct (at
 * instance_offset). The generated code counts wasm call depth in the header (per instance, so
 * instances on different threads never share a counter); every entry from the host resets it.
 * `imports` (import_count functions, living as long as the instance; NULL without imports) is
 * set by the host before instantiate. */
typedef struct wasmhop_w2c_instance_header {
  uint32_t call_depth;
  uint32_t reserved;
  const struct wasmhop_w2c_imports* imports;
} wasmhop_w2c_instance_header;

/* One function import bound to its host function: `call` is the host's wasmhop::ImportCallFn
 * (arguments in io[0..params), results to io[0..results); non-zero: the host function failed and
 * the guest call must end with a trap). */
typedef struct wasmhop_w2c_import {
  uint8_t (*call)(void* ctx, const void* caller, wasmhop_w2c_val* io);
  void* ctx;
} wasmhop_w2c_import;

/* What the generated import functions receive (the one imported module's "instance"), one per
 * instance: the functions in import order and the caller (a wasmhop::CallerView) they pass on. */
typedef struct wasmhop_w2c_imports {
  const wasmhop_w2c_import* funcs;
  const void* caller;
} wasmhop_w2c_imports;

typedef struct wasmhop_w2c_module_desc {
  uint32_t abi_version;
  const char* key;        /* the cache key this object was built for */
  size_t instance_size;   /* bytes to allocate (zeroed) per instance: header + instance struct */
  size_t instance_offset; /* where wasm2c's instance struct starts in that block */
  uint32_t max_call_depth; /* wasm calls nested deeper than this trap (call stack exhausted) */
  uint32_t export_count;
  const wasmhop_w2c_export* exports;
  uint32_t import_count;   /* function imports (the object has no other kind) */
  /* The functions below take the instance struct (block + instance_offset). */
  /* Runs data/element initialisation and the start function: may trap. With imports, the
   * header's `imports` must be set first. */
  void (*instantiate)(void* instance);
  /* Frees memories and tables; safe after a trapped or partial instantiate. */
  void (*free_instance)(void* instance);
  /* The first exported memory (a wasm_rt_memory_t*), or NULL. */
  void* (*exported_memory)(void* instance);
} wasmhop_w2c_module_desc;

/* A trap code beyond wasm_rt_trap_t: the runtime could not allocate (a table). */
#define WASMHOP_W2C_TRAP_RESOURCE 0x100u
/* A trap code beyond wasm_rt_trap_t: a host function failed (the host keeps its error). */
#define WASMHOP_W2C_TRAP_HOST_FUNCTION 0x101u

/* What the host provides. Memories are the host's guard-paged reservations; traps unwind to
 * the host's guarded call. */
typedef struct wasmhop_w2c_host {
  uint32_t abi_version;
  void (*trap)(uint32_t wasm_rt_trap_code); /* does not return */
  /* The three memory functions take and fill a wasm_rt_memory_t. allocate traps on failure. */
  void (*memory_allocate)(void* memory, uint32_t initial_pages, uint32_t max_pages);
  uint32_t (*memory_grow)(void* memory, uint32_t delta_pages);
  void (*memory_free)(void* memory);
  /* x86-64: where the host's current-trap-frame pointer (a wasmhop_w2c_trap_frame*, initial-exec
   * thread-local) lives, relative to the thread pointer (%fs:0); the same for every thread.
   * 0 when the guarded entries must not be used. */
  intptr_t trap_frame_tls_offset;
} wasmhop_w2c_host;

/* The object's only entry point with a fixed name: records the host (once per loaded object),
 * initialises the module (function types) and returns its description; NULL when the host's
 * ABI version differs. */
typedef const wasmhop_w2c_module_desc* (*wasmhop_w2c_attach_fn)(const wasmhop_w2c_host* host);
#define WASMHOP_W2C_ATTACH_SYMBOL "wasmhop_w2c_attach"

#ifdef __cplusplus
}
#endif

#endif /* WASMHOP_W2C_ABI_H_ */
