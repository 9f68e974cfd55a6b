/* wasmhop's wasm-rt runtime for wasm2c output. Not compiled into libwasmhop: the engine embeds
 * this text and includes it at the end of every generated C file, so each shared object carries
 * its own runtime and needs no symbol from the host executable. Everything here is hidden
 * (-fvisibility=hidden), so two loaded modules never bind to each other's runtime.
 *
 * What needs the host (traps, linear memories) forwards to the wasmhop_w2c_host table given to
 * wasmhop_w2c_attach(); the rest (function types, tables) is plain C.
 *
 * Expects wasm-rt.h and wasmhop_w2c_abi.h to be included already. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const wasmhop_w2c_host* wasmhop_host;

void wasm_rt_init(void) {}
bool wasm_rt_is_initialized(void) { return true; }
void wasm_rt_free(void) {}

void wasm_rt_trap(wasm_rt_trap_t code) {
  wasmhop_host->trap((uint32_t)code);
  abort(); /* the host's trap never returns */
}

/* A host function failed (the host keeps its error): end the guest call as a trap does. */
__attribute__((noreturn, cold, noinline, unused)) static void wasmhop_w2c_shim_host_function_failed(void) {
  wasmhop_host->trap(WASMHOP_W2C_TRAP_HOST_FUNCTION);
  abort();
}

const char* wasm_rt_strerror(wasm_rt_trap_t trap) {
  switch (trap) {
    case WASM_RT_TRAP_NONE: return "No error";
    case WASM_RT_TRAP_OOB: return "Out-of-bounds access in linear memory or a table";
    case WASM_RT_TRAP_INT_OVERFLOW: return "Integer overflow on divide or truncation";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "Integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "Conversion from NaN to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "Unreachable instruction executed";
    case WASM_RT_TRAP_CALL_INDIRECT: return "Invalid call_indirect";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "Uncaught exception";
#if !WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS
    case WASM_RT_TRAP_EXHAUSTION: return "Call stack exhausted";
#endif
  }
  return "Unknown trap";
}

/* Function types: equal signatures get equal indices (call_indirect compares indices). Only
 * called from the module's init function, which the host runs once, under a lock. */
typedef struct {
  uint32_t params, results;
  unsigned char* types; /* params then results */
} wasmhop_func_type;

static wasmhop_func_type* wasmhop_func_types;
static uint32_t wasmhop_func_type_count;

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  const uint32_t n = params + results;
  unsigned char stack_types[64];
  unsigned char* types = n <= sizeof stack_types ? stack_types : (unsigned char*)malloc(n);
  if (types == NULL) abort();
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < n; ++i) types[i] = (unsigned char)va_arg(ap, int);
  va_end(ap);
  for (uint32_t i = 0; i < wasmhop_func_type_count; ++i) {
    const wasmhop_func_type* t = &wasmhop_func_types[i];
    if (t->params == params && t->results == results && (n == 0 || memcmp(t->types, types, n) == 0)) {
      if (types != stack_types) free(types);
      return i;
    }
  }
  wasmhop_func_type* grown = (wasmhop_func_type*)realloc(
      wasmhop_func_types, (wasmhop_func_type_count + 1) * sizeof *grown);
  unsigned char* kept = (unsigned char*)malloc(n == 0 ? 1 : n);
  if (grown == NULL || kept == NULL) abort(); /* at load time, a few bytes: not recoverable */
  memcpy(kept, types, n);
  if (types != stack_types) free(types);
  wasmhop_func_types = grown;
  wasmhop_func_types[wasmhop_func_type_count].params = params;
  wasmhop_func_types[wasmhop_func_type_count].results = results;
  wasmhop_func_types[wasmhop_func_type_count].types = kept;
  return wasmhop_func_type_count++;
}

__attribute__((destructor)) static void wasmhop_free_func_types(void) {
  for (uint32_t i = 0; i < wasmhop_func_type_count; ++i) free(wasmhop_func_types[i].types);
  free(wasmhop_func_types);
  wasmhop_func_types = NULL;
  wasmhop_func_type_count = 0;
}

/* Linear memories: the host's guard-paged reservations (out-of-bounds accesses fault). */
void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint32_t initial_pages, uint32_t max_pages) {
  wasmhop_host->memory_allocate(memory, initial_pages, max_pages);
}
uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint32_t delta) {
  return wasmhop_host->memory_grow(memory, delta);
}
void wasm_rt_free_memory(wasm_rt_memory_t* memory) { wasmhop_host->memory_free(memory); }

/* Tables: heap arrays. A failed allocation at instantiation traps (the host reports it). */
#define WASMHOP_DEFINE_TABLE(type, null_value)                                                 \
  void wasm_rt_allocate_##type##_table(wasm_rt_##type##_table_t* table, uint32_t elements,     \
                                       uint32_t max_elements) {                                \
    table->size = 0;                                                                           \
    table->max_size = max_elements;                                                            \
    table->data = NULL;                                                                        \
    if (elements == 0) return;                                                                 \
    table->data = (wasm_rt_##type##_t*)calloc(elements, sizeof(wasm_rt_##type##_t));           \
    if (table->data == NULL) wasmhop_host->trap(WASMHOP_W2C_TRAP_RESOURCE);                    \
    table->size = elements;                                                                    \
    for (uint32_t i = 0; i < elements; ++i) table->data[i] = null_value;                       \
  }                                                                                            \
  void wasm_rt_free_##type##_table(wasm_rt_##type##_table_t* table) {                          \
    free(table->data);                                                                         \
    table->data = NULL;                                                                        \
    table->size = 0;                                                                           \
  }                                                                                            \
  uint32_t wasm_rt_grow_##type##_table(wasm_rt_##type##_table_t* table, uint32_t delta,        \
                                       wasm_rt_##type##_t init) {                              \
    const uint32_t old = table->size;                                                          \
    const uint64_t wanted = (uint64_t)old + delta;                                             \
    if (wanted > table->max_size) return UINT32_MAX;                                           \
    if (delta == 0) return old;                                                                \
    wasm_rt_##type##_t* data =                                                                 \
        (wasm_rt_##type##_t*)realloc(table->data, (size_t)wanted * sizeof(wasm_rt_##type##_t)); \
    if (data == NULL) return UINT32_MAX;                                                       \
    for (uint64_t i = old; i < wanted; ++i) data[i] = init;                                    \
    table->data = data;                                                                        \
    table->size = (uint32_t)wanted;                                                            \
    return old;                                                                                \
  }
WASMHOP_DEFINE_TABLE(funcref, wasm_rt_funcref_null_value)
WASMHOP_DEFINE_TABLE(externref, wasm_rt_externref_null_value)
#undef WASMHOP_DEFINE_TABLE

/* Direct entries: a value from its uint64_t argument bits, and a result's bits. */
static inline uint32_t wasmhop_w2c_arg_i32(uint64_t a) { return (uint32_t)a; }
static inline uint64_t wasmhop_w2c_arg_i64(uint64_t a) { return a; }
static inline float wasmhop_w2c_arg_f32(uint64_t a) {
  const uint32_t bits = (uint32_t)a;
  float v;
  memcpy(&v, &bits, sizeof v);
  return v;
}
static inline double wasmhop_w2c_arg_f64(uint64_t a) {
  double v;
  memcpy(&v, &a, sizeof v);
  return v;
}
static inline uint64_t wasmhop_w2c_bits_i32(uint32_t v) { return v; }
static inline uint64_t wasmhop_w2c_bits_i64(uint64_t v) { return v; }
static inline uint64_t wasmhop_w2c_bits_f32(float v) {
  uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  return bits;
}
static inline uint64_t wasmhop_w2c_bits_f64(double v) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  return bits;
}

#if defined(__x86_64__)
/* The guarded entries: uint8_t wasmhop_call_<i>(void* instance, void* io), one per callable
 * export, in assembly. Each builds the host's trap frame on its own stack (the jump buffer the
 * host's longjmp restores: rbx rbp r12-r15, rsp, rip), links it as the thread's current trap
 * frame (the host's initial-exec TLS slot, at a fixed offset from %fs in every thread), calls the
 * export's packed wrapper directly, unlinks and returns 0. A trap (explicit, or a fault caught by
 * the host's signal handler) longjmps to label 1 with the TrapKind in %eax. Being assembly, it
 * keeps instance and io in their argument registers: nothing is spilled. */
static intptr_t wasmhop_frame_offset __attribute__((used));

#define WASMHOP_GUARDED_ENTRY(name, packed)                                                  \
  __attribute__((visibility("hidden"))) uint8_t name(void*, void*);                         \
  __asm__(".text\n.p2align 4\n.globl " #name "\n.hidden " #name "\n.type " #name          \
          ", @function\n" #name ":\n"                                                       \
          "  subq $88, %rsp\n" /* frame: buf[8] at 0, prev at 64; 16-byte aligned */         \
          "  movq wasmhop_frame_offset(%rip), %rax\n"                                        \
          "  movq %rbx, 0(%rsp)\n"                                                           \
          "  movq %rbp, 8(%rsp)\n"                                                           \
          "  movq %r12, 16(%rsp)\n"                                                          \
          "  movq %r13, 24(%rsp)\n"                                                          \
          "  movq %r14, 32(%rsp)\n"                                                          \
          "  movq %r15, 40(%rsp)\n"                                                          \
          "  movq %rsp, 48(%rsp)\n" /* the landing pad runs on this frame */                 \
          "  leaq 1f(%rip), %rcx\n"                                                          \
          "  movq %rcx, 56(%rsp)\n"                                                          \
          "  movq %fs:(%rax), %rcx\n"                                                        \
          "  movq %rcx, 64(%rsp)\n" /* prev = current frame */                               \
          "  movq %rsp, %fs:(%rax)\n" /* current frame = this one */                          \
          "  call " #packed "\n"                                                             \
          "  movq wasmhop_frame_offset(%rip), %rax\n"                                        \
          "  movq 64(%rsp), %rcx\n"                                                          \
          "  movq %rcx, %fs:(%rax)\n" /* current frame = prev */                             \
          "  xorl %eax, %eax\n"                                                              \
          "  addq $88, %rsp\n"                                                               \
          "  ret\n"                                                                          \
          "1:\n" /* a trap: callee-saved registers and rsp restored, TrapKind in eax */       \
          "  movq wasmhop_frame_offset(%rip), %rcx\n"                                        \
          "  movq 64(%rsp), %rdx\n"                                                          \
          "  movq %rdx, %fs:(%rcx)\n"                                                        \
          "  addq $88, %rsp\n"                                                               \
          "  ret\n"                                                                          \
          ".size " #name ", .-" #name "\n");
#endif

#if defined(__x86_64__)
/* Whether the host's innermost trap frame is a TrapScope (its pointer tagged with bit 0). */
static inline int wasmhop_w2c_in_scope(void) {
  uintptr_t frame;
  __asm__ volatile("movq %%fs:(%1), %0" : "=r"(frame) : "r"(wasmhop_frame_offset));
  return (int)(frame & 1u);
}

/* The per-call guard of a direct entry: wasmhop_w2c_direct_result name(void* instance, a0..a3)
 * arms a trap frame as WASMHOP_GUARDED_ENTRY does, calls `body` with the same arguments (so
 * scratch registers are r10/r11, never an argument register), and returns body's result, or
 * {0, TrapKind} when a trap jumped back to it. */
#define WASMHOP_GUARDED_DIRECT(name, body)                                                   \
  __asm__(".text\n.p2align 4\n.type " #name ", @function\n" #name ":\n"                    \
          "  subq $88, %rsp\n"                                                               \
          "  movq wasmhop_frame_offset(%rip), %r10\n"                                        \
          "  movq %rbx, 0(%rsp)\n"                                                           \
          "  movq %rbp, 8(%rsp)\n"                                                           \
          "  movq %r12, 16(%rsp)\n"                                                          \
          "  movq %r13, 24(%rsp)\n"                                                          \
          "  movq %r14, 32(%rsp)\n"                                                          \
          "  movq %r15, 40(%rsp)\n"                                                          \
          "  movq %rsp, 48(%rsp)\n"                                                          \
          "  leaq 1f(%rip), %r11\n"                                                          \
          "  movq %r11, 56(%rsp)\n"                                                          \
          "  movq %fs:(%r10), %r11\n"                                                        \
          "  movq %r11, 64(%rsp)\n"                                                          \
          "  movq %rsp, %fs:(%r10)\n"                                                        \
          "  call " #body "\n"                                                               \
          "  movq wasmhop_frame_offset(%rip), %r10\n"                                        \
          "  movq 64(%rsp), %r11\n"                                                          \
          "  movq %r11, %fs:(%r10)\n"                                                        \
          "  addq $88, %rsp\n"                                                               \
          "  ret\n"                                                                          \
          "1:\n" /* a trap: TrapKind in eax */                                               \
          "  movq wasmhop_frame_offset(%rip), %r10\n"                                        \
          "  movq 64(%rsp), %r11\n"                                                          \
          "  movq %r11, %fs:(%r10)\n"                                                        \
          "  movl %eax, %edx\n"                                                              \
          "  xorl %eax, %eax\n"                                                              \
          "  addq $88, %rsp\n"                                                               \
          "  ret\n"                                                                          \
          ".size " #name ", .-" #name "\n");
#endif

/* Called by the generated wasmhop_w2c_attach(). The first host to attach is kept: one loaded
 * object serves one libwasmhop. */
static const wasmhop_w2c_module_desc* wasmhop_w2c_shim_attach(const wasmhop_w2c_host* host,
                                                              const wasmhop_w2c_module_desc* desc,
                                                              void (*init_module)(void)) {
  if (host == NULL || host->abi_version != WASMHOP_W2C_ABI_VERSION) return NULL;
  if (wasmhop_host == NULL) {
    wasmhop_host = host;
#if defined(__x86_64__)
    wasmhop_frame_offset = host->trap_frame_tls_offset;
#endif
    init_module();
  }
  return desc;
}
