// Host functions on WAMR. The 2020 loader links imports at load time, by module name, and only
// for its built-in modules ("env", "wasi_*", "spectest"): a registered native is one per process
// and name, and cannot tell instances apart. So the plugin links every function import of a
// module, right after loading it, to one raw trampoline whose attachment is the import's index
// (module-level, the same for every instance); the trampoline finds the calling instance through
// its module instance's custom data, and the host function there. Two modules that import the
// same name, or two instances of one module, thus each call their own host function.
#pragma once

#include <cstdint>

#include "engines/wamr/wamr_instance.hpp"

namespace wasmhop::wamr {

// Links the loaded module's function imports to the trampoline; their number.
std::uint32_t link_imports(wasm_module_t module);

// Gives the instance its host functions (imports[k]: the k-th function import) before anything
// runs in it. False with *err when they cannot be bound.
bool bind_imports(WamrInstance* i, const whp_import* imports, std::uint32_t nimports, whp_error* err);

}  // namespace wasmhop::wamr
