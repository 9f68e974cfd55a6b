// See wamr_host.hpp.
#include "engines/wamr/wamr_host.hpp"

#include <cstdio>

#include "engines/plugin/plugin_error.hpp"

namespace wasmhop::wamr {
namespace {

// The caller's memory now (it may have grown since the instance was made).
void caller_memory(void* opaque, std::uint8_t** base, std::uint64_t* size) {
  wasmhop_wamr_memory(static_cast<WamrInstance*>(opaque)->inst, base, size);
}

// The guest call ends with this exception (the host keeps the reason and reports it).
[[gnu::cold, gnu::noinline]] void fail(wasm_module_inst_t inst, const whp_import& imp) {
  char text[256];
  std::snprintf(text, sizeof text, "host function %s.%s failed", imp.module, imp.field);
  wasm_runtime_set_exception(inst, text);
}

// Every function import's raw native. WAMR's raw convention hands over the arguments in 8-byte
// slots (i32/f32 in the low 4 bytes) and reads the result from the first: plugin_abi.h's io
// layout, so the slots go to the host as they are.
void trampoline(wasm_exec_env_t env, std::uint64_t* args) {
  wasm_module_inst_t inst = wasm_runtime_get_module_inst(env);
  auto* i = static_cast<WamrInstance*>(wasm_runtime_get_custom_data(inst));
  const auto k = reinterpret_cast<std::uintptr_t>(wasm_runtime_get_function_attachment(env));
  const whp_import& imp = i->imports[k];
  if (imp.call(imp.ctx, &i->caller, args) != 0) [[unlikely]] fail(inst, imp);
}

}  // namespace

std::uint32_t link_imports(wasm_module_t module) {
  return wasmhop_wamr_link_imports(module, reinterpret_cast<void*>(&trampoline));
}

bool bind_imports(WamrInstance* i, const whp_import* imports, std::uint32_t nimports, whp_error* err) {
  const WamrModule& m = *i->module;
  if (nimports != m.function_imports) {
    plugin::set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
                      "module '%s' has %u function imports; the host bound %u", m.name.c_str(), m.function_imports,
                      nimports);
    return false;
  }
  for (std::uint32_t k = 0; k < nimports; ++k) {
    if (imports[k].type.nresults > 1) {  // WAMR's raw natives return one value
      plugin::set_error(err, WHP_ERR_SIGNATURE_MISMATCH, WHP_TRAP_NONE,
                        "module '%s': import %s.%s has several results, which WAMR's host functions cannot return",
                        m.name.c_str(), imports[k].module, imports[k].field);
      return false;
    }
  }
  i->imports.assign(imports, imports + nimports);
  i->caller = whp_caller{i, &caller_memory};
  return true;
}

}  // namespace wasmhop::wamr
