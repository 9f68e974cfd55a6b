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

uint8_t whp_m3_call(void* ctx, uint64_t* io) {
  whp_m3_export* e = (whp_m3_export*)ctx;
  IM3Runtime runtime = e->runtime;
  /* Arguments take one 64-bit position each, as in m3_CallWithArgs. */
  uint64_t* stack = (uint64_t*)runtime->stack;
  for (uint32_t i = 0; i < e->nparams; ++i) stack[i] = io[i];
  M3Result r = (M3Result)Call(e->function->compiled, (m3stack_t)stack, runtime->memory.mallocated,
                              d_m3OpDefaultArgs);
  if (UNLIKELY(r != m3Err_none)) {
    *e->last_trap = r;
    return whp_m3_trap_kind(r);
  }
  if (e->nresults != 0) io[0] = e->result_is_32 ? (uint64_t)(*(uint32_t*)stack) : stack[0];
  return WHP_TRAP_NONE;
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
