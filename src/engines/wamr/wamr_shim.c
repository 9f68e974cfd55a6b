/* See wamr_shim.h. Reads WAMR's interpreter structures (interpreter/wasm_runtime.h), which is
 * why this file is built with WAMR's own definitions and never outside its runtime library. */
#include "wamr_shim.h"

#include "wasm_exec_env.h"
#include "wasm_runtime.h"


wasm_exec_env_t wasmhop_wamr_create_exec_env(wasm_module_inst_t inst, uint32_t stack_size) {
  WASMExecEnv* e = (WASMExecEnv*)wasm_runtime_create_exec_env(inst, stack_size);
  const WASMModule* m = ((const WASMModuleInstance*)inst)->module;
  /* No native stack bound: the fast interpreter runs wasm-to-wasm calls in one C frame (its own
   * frames live on the exec env's wasm stack, which it bounds), so the bound would only guard
   * what cannot grow, and it belongs to one thread while any thread may call. */
  if (e != NULL) e->native_stack_boundary = NULL;
  if (e != NULL && m->aux_stack_top_global_index != (uint32)-1 && m->aux_stack_size != 0) {
    e->aux_stack_boundary = m->aux_stack_bottom - m->aux_stack_size;
  }
  return (wasm_exec_env_t)e;
}

const char* wasmhop_wamr_exception(wasm_module_inst_t inst) { return ((const WASMModuleInstance*)inst)->cur_exception; }

void wasmhop_wamr_func_cells(wasm_function_inst_t func, uint32_t* params, uint32_t* results) {
  const WASMFunctionInstance* f = (const WASMFunctionInstance*)func;
  *params = f->param_cell_num;
  *results = f->ret_cell_num;
}

void wasmhop_wamr_interrupt(wasm_exec_env_t env) {
  __atomic_fetch_or(&((WASMExecEnv*)env)->suspend_flags.flags, 0x01u, __ATOMIC_SEQ_CST);
}

void wasmhop_wamr_clear_interrupt(wasm_exec_env_t env) {
  __atomic_fetch_and(&((WASMExecEnv*)env)->suspend_flags.flags, ~0x01u, __ATOMIC_SEQ_CST);
}

uint32_t wasmhop_wamr_take_start(wasm_module_t module) {
  WASMModule* m = (WASMModule*)module;
  const uint32_t start = m->start_function;
  m->start_function = (uint32_t)-1;
  return start;
}

wasm_function_inst_t wasmhop_wamr_function(wasm_module_inst_t inst, uint32_t index) {
  WASMModuleInstance* i = (WASMModuleInstance*)inst;
  return index < i->function_count ? (wasm_function_inst_t)&i->functions[index] : NULL;
}

uint32_t wasmhop_wamr_link_imports(wasm_module_t module, void* raw_native) {
  WASMModule* m = (WASMModule*)module;
  for (uint32_t k = 0; k < m->import_function_count; ++k) {
    WASMFunctionImport* f = &m->import_functions[k].u.function;
    f->func_ptr_linked = raw_native;
    f->signature = NULL; /* no pointer or string arguments to translate: 8-byte slots as they are */
    f->attachment = (void*)(uintptr_t)k;
    f->call_conv_raw = true;
  }
  return m->import_function_count;
}

void wasmhop_wamr_set_max_pages(wasm_module_t module, uint32_t pages) {
  WASMModule* m = (WASMModule*)module;
  if (m->memory_count == 0 || !m->possible_memory_grow) return;
  if (pages >= m->memories[0].init_page_count) m->memories[0].max_page_count = pages;
}

void wasmhop_wamr_memory(wasm_module_inst_t inst, uint8_t** base, uint64_t* size) {
  const WASMMemoryInstance* mem = ((const WASMModuleInstance*)inst)->default_memory;
  if (mem == NULL || mem->cur_page_count == 0) {
    *base = NULL;
    *size = 0;
    return;
  }
  *base = mem->memory_data;
  *size = (uint64_t)mem->num_bytes_per_page * mem->cur_page_count;
}

#if WASM_ENABLE_LIBC_BUILTIN == 0
/* The 2020 loader asks WAMR's libc-builtin for imported globals of its built-in modules ("env")
 * even when that library is left out, as here: it provides none. */
bool wasm_native_lookup_libc_builtin_global(const char* module_name, const char* global_name,
                                            WASMGlobalImport* global) {
  (void)module_name;
  (void)global_name;
  (void)global;
  return false;
}
#endif
