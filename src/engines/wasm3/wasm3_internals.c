/* wasm3_internals.h: the plugin's typed call path and the few internals it needs. */
#include "engines/wasm3/wasm3_internals.h"

#include "engines/plugin/plugin_abi.h"
#include "m3_compile.h"
#include "m3_env.h"
#include "m3_exec.h"

uint8_t whp_m3_trap_kind(M3Result r) {
  if (r == m3Err_none) return WHP_TRAP_NONE;
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
    if (UNLIKELY(r != m3Err_none)) {                                                             \
      *e->last_trap = r;                                                                         \
      return whp_m3_trap_kind(r);                                                                \
    }                                                                                            \
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

whp_m3_call_fn whp_m3_bind(whp_m3_export* e, IM3Runtime runtime, IM3Function function, uint32_t nparams,
                           uint32_t nresults, int result_is_32, M3Result* last_trap) {
  e->code = function->compiled;
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
