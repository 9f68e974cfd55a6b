// wasm bytes -> C: wabt's binary reader and validator, then its C writer (wasm2c), plus
// wasmhop's glue (packed-call wrappers and the export table the host reads at load time).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasmhop/engine.hpp"

namespace wasmhop::wasm2c {

// File names inside a build directory: the generated pair and the runtime files beside them.
inline constexpr const char* kSourceName = "module.c";
inline constexpr const char* kHeaderName = "module.h";

struct Translation {
  std::string source;                // module.c: wasm2c's output, then the shim and glue
  std::string header;                // module.h
  std::vector<ExportDesc> exports;   // in the module's order
  // "env.g (global)": imports wasmhop cannot provide (anything but functions of value types);
  // empty when the module is translated.
  std::vector<std::string> imports;
};

// The version of the glue translate appends (module_glue.cpp, import_glue.cpp); part of the
// cache key (bump on any change to the generated text).
inline constexpr int kGlueVersion = 8;

// Call-stack exhaustion: counted per instance (true), or left to the native stack's guard page
// alone (false; the guard page stays as a backstop either way).
inline constexpr bool kCountCallDepth = false;

// Wasm calls nested deeper than this trap with call_stack_exhausted (wasm2c's own default for
// its depth-counting mode, WASM_RT_MAX_CALL_STACK_DEPTH).
inline constexpr unsigned kMaxCallDepth = 500;

// Reads and validates `wasm` (errors: malformed_module with wabt's messages, naming
// `module_name`). When the module imports anything but functions of value types, only exports
// and imports are filled (no C is generated: wasmhop provides only host functions, so it can
// never be instantiated). Function imports call the host's bindings (import_glue.hpp).
// `key` is recorded in the object, so a loaded object can prove what it was built for.
[[nodiscard]] Result<Translation> translate(std::span<const std::uint8_t> wasm,
                                            std::string_view module_name, std::string_view key);

// wabt's version, from wabt/config.h (WABT_VERSION_STRING) of the wabt we are built with.
[[nodiscard]] const char* wabt_version() noexcept;

// Codes used in the object's export table: i=i32 I=i64 f=f32 F=f64 r=reference.
[[nodiscard]] Result<FuncType> parse_type_codes(const char* params, const char* results);

}  // namespace wasmhop::wasm2c
