// wasmhop's glue, appended to wasm2c's output in module.c: for every function export a packed
// wrapper, a guarded entry and (small signatures) a direct entry; the export table; the import
// functions (import_glue.hpp); the module's description and the attach entry the host looks up
// (w2c_abi.h). Any change to the text it writes must bump kGlueVersion (translate.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engines/wasm2c/import_glue.hpp"

namespace wasmhop::wasm2c {

// The C writer's module name: every generated symbol starts with Z_m (Z_m_instantiate, ...).
inline constexpr const char* kCModuleName = "m";

// One export as the glue sees it; kind: f=function m=memory t=table g=global o=other.
struct GlueExport {
  std::string name;
  char kind;
  std::string params, results;  // type codes (c_types.hpp), r=reference
  bool callable = false;        // a function without reference types
};

// The glue for a module whose exports are `exports` (wasm2c's symbol for export i is Z_mZ_x<i>)
// and whose imports are `imports`; `key` is recorded in its description.
[[nodiscard]] std::string module_glue(const std::vector<GlueExport>& exports, const std::vector<GlueImport>& imports,
                                      std::string_view key);

}  // namespace wasmhop::wasm2c
