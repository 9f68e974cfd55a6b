/* The loops of raw_wasm3.cpp that need wasm3's internal headers (C only): add_i32(i, 7) through
 * wasm3's own `Call` on the runtime's stack, as m3_CallWithArgs runs it once its text arguments
 * are parsed; and the result slot after an m3_CallWithArgs call. */
#include <stdint.h>

#include "m3_env.h"
#include "m3_exec.h"

/* Starts a 64-byte line, as wasmhop's direct entries do (wasm3_internals.c): its loop then starts
 * one too, and the loop's speed no longer depends on where the rest of the plugin put it. */
__attribute__((aligned(64))) int whp_raw_m3_call_loop(IM3Function add, int64_t calls, int64_t* checksum) {
  IM3Runtime runtime = add->module->runtime;
  uint64_t* stack = (uint64_t*)runtime->stack;
  int64_t sum = 0;
  for (int64_t i = 0; i < calls; ++i) {
    const int32_t a = (int32_t)i;
    stack[0] = (uint32_t)a;
    stack[1] = 7;
    M3Result r = (M3Result)Call(add->compiled, (m3stack_t)stack, runtime->memory.mallocated, d_m3OpDefaultArgs);
    if (r != m3Err_none) return -1;
    const int32_t got = *(int32_t*)stack;
    if (got != (int32_t)((uint32_t)a + 7u)) return -2;
    sum += got;
  }
  *checksum = sum;
  return 0;
}

int32_t whp_raw_m3_result_i32(IM3Function f) { return *(int32_t*)f->module->runtime->stack; }
