/* wasm3_internals.h: the plugin's typed call path and the few internals it needs. */
#include "engines/wasm3/wasm3_internals.h"

#include "engines/plugin/plugin_abi.h"
#include "m3_compile.h"
#include "m3_env.h"
#include "m3_exec.h"

/* What a raw function returns when its host function failed (compared by address). */
static const char whp_m3_host_failed[] = "[trap] host function failed";

uint8_t whp_m3_trap_kind(M3Result r) {
  if (r == m3Err_none) return WHP_TRAP_NONE;
  if (r == whp_m3_host_failed) return WHP_TRAP_HOST_ERROR;
  if (r == m3Err_trapUnreachable) return WHP_TRAP_UNREACHABLE;
  if (r == m3Err_trapDivisionByZero) return WHP_TRAP_INTEGER_DIVIDE_BY_ZERO;
  if (r == m3Err_trapIntegerOverflow) return WHP_TRAP_INTEGER_OVERFLOW;
  if (r == m3Err_trapIntegerConversion) return WHP_TRAP_INVALID_CONVERSION;
  if (r == m3Err_trapOutOfBoundsMemoryAccess) return WHP_TRAP_OUT_OF_BOUNDS_MEMORY;
  if (r == m3Err_trapTableIndexOutOfRange || r == m3Err_trapTableElementIsNull) return WHP_TRAP_OUT_OF_BOUNDS_TABLE;
  if (r == m3Err_trapIndirectCallTypeMismatch) return WHP_TRAP_INDIRECT_CALL_MISMATCH;
  if (r == m3Err_trapStackOverflow) return WHP_TRAP_CALL_STACK_EXHAUSTED;
  return WHP_TRAP_UNKNOWN;
}

/* A call's trap: kept as the instance's last trap (its text), returned as its kind. */
static uint8_t whp_m3_keep_trap(const whp_m3_export* e, M3Result r) {
  *e->last_trap = r;
  return whp_m3_trap_kind(r);
}

/* Arguments take one 64-bit position each and the result comes back in position 0, as in
 * m3_CallWithArgs. N: the argument count (-1: e->nparams, in a loop); R: 0 none, 32 or 64. */
#define WHP_M3_CALL(NAME, N, R)                                                                   \
  static uint8_t NAME(void* ctx, uint64_t* io) {                                                 \
    const whp_m3_export* e = (const whp_m3_export*)ctx;                                          \
    uint64_t* stack = e->stack;                                                                  \
    const uint32_t n = (N) < 0 ? e->nparams : (uint32_t)(N);                                     \
    for (uint32_t i = 0; i < n; ++i) stack[i] = io[i];                                           \
    M3Result r = (M3Result)Call((pc_t)e->code, (m3stack_t)stack, (M3MemoryHeader*)*e->memory,     \
                                d_m3OpDefaultArgs);                                              \
    if (UNLIKELY(r != m3Err_none)) return whp_m3_keep_trap(e, r);                                \
    if ((R) == 32) io[0] = *(const uint32_t*)stack;                                              \
    if ((R) == 64) io[0] = stack[0];                                                             \
    return WHP_TRAP_NONE;                                                                        \
  }
#define WHP_M3_CALLS(N, SUFFIX)                 \
  WHP_M3_CALL(whp_m3_call_##SUFFIX##_r0, N, 0)  \
  WHP_M3_CALL(whp_m3_call_##SUFFIX##_r32, N, 32) \
  WHP_M3_CALL(whp_m3_call_##SUFFIX##_r64, N, 64)
WHP_M3_CALLS(0, p0)
WHP_M3_CALLS(1, p1)
WHP_M3_CALLS(2, p2)
WHP_M3_CALLS(3, p3)
WHP_M3_CALLS(4, p4)
WHP_M3_CALLS(-1, pn)

static const whp_m3_call_fn kCalls[6][3] = {
    {whp_m3_call_p0_r0, whp_m3_call_p0_r32, whp_m3_call_p0_r64},
    {whp_m3_call_p1_r0, whp_m3_call_p1_r32, whp_m3_call_p1_r64},
    {whp_m3_call_p2_r0, whp_m3_call_p2_r32, whp_m3_call_p2_r64},
    {whp_m3_call_p3_r0, whp_m3_call_p3_r32, whp_m3_call_p3_r64},
    {whp_m3_call_p4_r0, whp_m3_call_p4_r32, whp_m3_call_p4_r64},
    {whp_m3_call_pn_r0, whp_m3_call_pn_r32, whp_m3_call_pn_r64}};

/* The direct entries (plugin_abi.h): the same call with the arguments in registers and the
 * result returned in one. The stack is read again from the context after the call (one load
 * instead of one more register kept across it), and a trap's bookkeeping stays out of line. */
static __attribute__((noinline, cold)) whp_direct_result whp_m3_trapped(const whp_m3_export* e, M3Result r) {
  const whp_direct_result out = {0, whp_m3_keep_trap(e, r)};
  return out;
}

/* wasm3's Call (m3_exec.h) on the runtime's stack, as m3_CallWithArgs runs it, spelled out: its
 * yield hook, then the function's first operation (read from the context as it was at bind: one
 * load, not the code pointer and then the code). The operation, stack and memory are read after
 * the hook rather than before it, so that only the context lives across that call (one
 * callee-saved register where Call's arguments kept four). Its M3Result: NULL (m3Err_none, which
 * wasm3.h defines so) when the call returned. The tail entries end in it as a tail call. */
static inline __attribute__((always_inline)) uintptr_t whp_m3_enter(const whp_m3_export* e) {
  const M3Result r = m3_Yield();
  if (UNLIKELY(r != NULL)) return (uintptr_t)r;
  return (uintptr_t)((IM3Operation)e->first_op)((pc_t)e->operands, (m3stack_t)e->stack, (M3MemoryHeader*)*e->memory,
                                                d_m3OpDefaultArgs);
}

static inline __attribute__((always_inline)) whp_direct_result whp_m3_run(const whp_m3_export* e, int result_bits) {
  const M3Result r = (M3Result)whp_m3_enter(e);
  if (UNLIKELY(r != NULL)) return whp_m3_trapped(e, r);
  whp_direct_result out = {0, WHP_TRAP_NONE};
  if (result_bits == 32) out.value = *(const uint32_t*)e->stack;
  if (result_bits == 64) out.value = e->stack[0];
  return out;
}

/* Each entry starts a 64-byte line, and up to two parameters its hot path ends in that line (48 to
 * 64 bytes; its branches to the trap path are short ones: CMakeLists.txt keeps this file's blocks
 * in one section): the front end fetches the entry's whole path as one block. Worth 0.3 ns of
 * the Pair call's 7.9 here (docs/engines.md). */
#define WHP_UNPAREN(...) __VA_ARGS__
/* The entries' shapes: X(N, parameters after ctx, their stores into wasm3's stack). */
#define WHP_M3_SHAPES(X)                                                                      \
  X(0, (), ((void)stack))                                                                     \
  X(1, (, uint64_t a0), (stack[0] = a0))                                                      \
  X(2, (, uint64_t a0, uint64_t a1), (stack[0] = a0, stack[1] = a1))                          \
  X(3, (, uint64_t a0, uint64_t a1, uint64_t a2), (stack[0] = a0, stack[1] = a1, stack[2] = a2)) \
  X(4, (, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3),                                \
    (stack[0] = a0, stack[1] = a1, stack[2] = a2, stack[3] = a3))
#define WHP_M3_DIRECT(SUFFIX, R, PARAMS, STORES)                                                  \
  static __attribute__((aligned(64))) whp_direct_result whp_m3_direct_##SUFFIX(void* ctx WHP_UNPAREN PARAMS) { \
    const whp_m3_export* e = (const whp_m3_export*)ctx;                                           \
    uint64_t* stack = e->stack;                                                                   \
    WHP_UNPAREN STORES;                                                                           \
    return whp_m3_run(e, R);                                                                      \
  }
#define WHP_M3_DIRECTS(N, PARAMS, STORES)            \
  WHP_M3_DIRECT(p##N##_r0, 0, PARAMS, STORES)        \
  WHP_M3_DIRECT(p##N##_r32, 32, PARAMS, STORES)      \
  WHP_M3_DIRECT(p##N##_r64, 64, PARAMS, STORES)
WHP_M3_SHAPES(WHP_M3_DIRECTS)

static const whp_direct_fn kDirect[5][3] = {
    {(whp_direct_fn)whp_m3_direct_p0_r0, (whp_direct_fn)whp_m3_direct_p0_r32, (whp_direct_fn)whp_m3_direct_p0_r64},
    {(whp_direct_fn)whp_m3_direct_p1_r0, (whp_direct_fn)whp_m3_direct_p1_r32, (whp_direct_fn)whp_m3_direct_p1_r64},
    {(whp_direct_fn)whp_m3_direct_p2_r0, (whp_direct_fn)whp_m3_direct_p2_r32, (whp_direct_fn)whp_m3_direct_p2_r64},
    {(whp_direct_fn)whp_m3_direct_p3_r0, (whp_direct_fn)whp_m3_direct_p3_r32, (whp_direct_fn)whp_m3_direct_p3_r64},
    {(whp_direct_fn)whp_m3_direct_p4_r0, (whp_direct_fn)whp_m3_direct_p4_r32, (whp_direct_fn)whp_m3_direct_p4_r64}};

whp_direct_fn whp_m3_direct(uint32_t nparams, uint32_t nresults, int result_is_32) {
  if (nparams > WHP_DIRECT_MAX_PARAMS || nresults > 1) return NULL;
  return kDirect[nparams][nresults == 0 ? 0 : (result_is_32 ? 1 : 2)];
}

/* The tail entries (plugin_abi.h): the arguments into the stack, wasm3's yield hook, then the
 * function's first operation as a tail call, so that wasm3's own return comes straight back to the
 * host: its M3Result is the entry's word (NULL, m3Err_none, when the call returned) and the result
 * stays in stack slot 0, where the host reads it. Laid out as the direct entries are (above). */
#define WHP_M3_TAIL(N, PARAMS, STORES)                                                            \
  static __attribute__((aligned(64))) uintptr_t whp_m3_tail_p##N(void* ctx WHP_UNPAREN PARAMS) {   \
    const whp_m3_export* e = (const whp_m3_export*)ctx;                                           \
    uint64_t* stack = e->stack;                                                                   \
    WHP_UNPAREN STORES;                                                                           \
    return whp_m3_enter(e);                                                                       \
  }
WHP_M3_SHAPES(WHP_M3_TAIL)

static const whp_direct_fn kTail[5] = {(whp_direct_fn)whp_m3_tail_p0, (whp_direct_fn)whp_m3_tail_p1,
                                       (whp_direct_fn)whp_m3_tail_p2, (whp_direct_fn)whp_m3_tail_p3,
                                       (whp_direct_fn)whp_m3_tail_p4};

whp_direct_fn whp_m3_tail(const whp_m3_export* e, uint32_t nparams, uint32_t nresults, const void** slot) {
  if (nparams > WHP_DIRECT_MAX_PARAMS || nresults > 1) return NULL;
  *slot = e->stack;
  return kTail[nparams];
}

uint8_t whp_m3_tail_trap(void* ctx, uintptr_t status) {
  return whp_m3_keep_trap((const whp_m3_export*)ctx, (M3Result)status);
}

whp_m3_call_fn whp_m3_bind(whp_m3_export* e, IM3Runtime runtime, IM3Function function, uint32_t nparams,
                           uint32_t nresults, int result_is_32, M3Result* last_trap) {
  e->code = function->compiled;
  e->first_op = (const void*)function->compiled[0];
  e->operands = function->compiled + 1;
  e->stack = (uint64_t*)runtime->stack;
  e->memory = (void* const*)&runtime->memory.mallocated;
  e->nparams = nparams;
  e->last_trap = last_trap;
  const int result = nresults == 0 ? 0 : (result_is_32 ? 1 : 2);
  return kCalls[nparams <= 4 ? nparams : 5][result];
}

void whp_m3_prepare_module(IM3Module module) {
  if (module->memoryInfo.maxPages == 0 || module->memoryInfo.maxPages > 65535) module->memoryInfo.maxPages = 65535;
}

IM3Function whp_m3_function(IM3Module module, uint32_t index, M3Result* error) {
  *error = m3Err_none;
  if (index >= module->numFunctions) {
    *error = m3Err_functionLookupFailed;
    return NULL;
  }
  IM3Function f = &module->functions[index];
  if (!f->compiled) {
    *error = Compile_Function(f);
    if (*error != m3Err_none) return NULL;
  }
  return f;
}

void whp_m3_memory(IM3Runtime runtime, uint8_t** base, uint64_t* size) {
  M3MemoryHeader* h = runtime->memory.mallocated;
  if (h == NULL) {
    *base = NULL;
    *size = 0;
    return;
  }
  *base = (uint8_t*)(h + 1);
  *size = h->length;
}

void whp_m3_signature(IM3Function function, uint32_t* nargs, const uint8_t** args, uint8_t* ret) {
  *nargs = function->funcType->numArgs;
  *args = function->funcType->argTypes;
  *ret = function->funcType->returnType;
}

int whp_m3_runtime_owns(IM3Runtime runtime, IM3Module module) {
  for (IM3Module m = runtime->modules; m != NULL; m = m->next) {
    if (m == module) return 1;
  }
  return 0;
}

/* memory.grow in wasm3 0.4.7 adds the requested pages to the current count in 32 bits: a request
 * of 0xFFFFFFFF (-1) wraps to fewer pages than there are, and wasm3 then shrinks the memory and
 * reports success. The plugin is linked with --wrap=ResizeMemory, which routes memory.grow's call
 * (the only one from outside m3_env.c) here: asking for fewer pages than there are can only be
 * such a wrap, and fails as a grow past the maximum does (memory.grow returns -1). */
M3Result __real_ResizeMemory(IM3Runtime runtime, u32 pages);
M3Result __wrap_ResizeMemory(IM3Runtime runtime, u32 pages) {
  if (pages < runtime->memory.numPages) return m3Err_wasmMemoryOverflow;
  return __real_ResizeMemory(runtime, pages);
}

/* The raw function of every linked import: the host reads and writes wasm3's slots in place. */
static const void* whp_m3_call_host(IM3Runtime runtime, uint64_t* sp, void* mem, void* cookie) {
  (void)runtime;
  (void)mem;
  const whp_m3_host* h = (const whp_m3_host*)cookie;
  return h->call(h->ctx, h->caller, sp) == 0 ? m3Err_none : whp_m3_host_failed;
}

M3Result LinkRawFunctionEx(IM3Module io_module, IM3Function io_function, ccstr_t signature, const void* i_function,
                           void* cookie); /* m3_bind.c, not in a header */

M3Result whp_m3_link_import(IM3Runtime runtime, IM3Module module, uint32_t index, const char* signature,
                            whp_m3_host* host) {
  IM3Function f = NULL;
  for (uint32_t i = 0, k = 0; i < module->numFunctions; ++i) {
    if (module->functions[i].import.moduleUtf8 == NULL) continue;
    if (k++ == index) {
      f = &module->functions[i];
      break;
    }
  }
  if (f == NULL) return m3Err_functionLookupFailed;
  /* By index, not m3_LinkRawFunctionEx's name lookup (which links the first import of a name
   * only). Linking takes code pages from the module's runtime, which m3_LoadModule sets only
   * right before it runs the start function: set it for the link, then unset it again so that
   * m3_LoadModule loads the module as usual. */
  module->runtime = runtime;
  const M3Result r = LinkRawFunctionEx(module, f, signature, (const void*)whp_m3_call_host, host);
  module->runtime = NULL;
  return r;
}
