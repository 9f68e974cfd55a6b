// wasmhop's glue for a module's function imports. wasm2c names an imported function after its
// module and field; translate renames every import to module kImportModule, field "i<k>" (as it
// renames exports to x<k>), so the generated code calls Z_hZ_i<k>(struct Z_h_instance_t*, ...)
// with the one imported module's instance pointer, which wasmhop makes the instance's
// wasmhop_w2c_imports. The glue defines each of those functions: arguments into slots, the host's
// binding (funcs[k]), a trap when the host function failed, the results out of the slots.
#pragma once

#include <string>
#include <vector>

namespace wasmhop::wasm2c {

inline constexpr const char* kImportModule = "h";

// One function import's type, as type codes (i=i32 I=i64 f=f32 F=f64).
struct GlueImport {
  std::string params;
  std::string results;
};

// The C definitions of Z_hZ_i0 ... for `imports` (in import order).
[[nodiscard]] std::string import_glue(const std::vector<GlueImport>& imports);

}  // namespace wasmhop::wasm2c
