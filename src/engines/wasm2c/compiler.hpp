// The system C compiler the wasm2c engine runs on generated code: found once per engine, run
// once per cache miss.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::wasm2c {

struct CCompiler {
  std::vector<std::string> command;  // program (resolved path) and any arguments CC carried
  std::string source;                // where it came from: "CC", "WASMHOP_WASM2C_CC", "PATH"
  std::string version_line;          // first line of `--version`, e.g. "gcc (Debian 12.2.0-14) 12.2.0"
  std::string identity;              // resolved command + full `--version` output (cache key)
};

// The compiler: $CC at run time when set (it may carry arguments: "ccache gcc"), else the one
// recorded at build time (CMake's WASMHOP_WASM2C_CC), else cc / gcc / clang from PATH.
// engine_unavailable when none runs.
[[nodiscard]] Result<CCompiler> find_c_compiler();

// The flags every object is built with (part of the cache key):
//   -O2 -fPIC -shared           optimised position-independent shared object
//   -fvisibility=hidden         the runtime shim stays private to each object
//   -fno-semantic-interposition the packed wrappers may inline wasm2c's exported functions
//   -fno-optimize-sibling-calls recursion stays recursion (a wasm call chain always uses stack,
//                               so running out of it faults on the guard page instead of the
//                               compiler turning `f(x) = f(x+1) + 1` into an endless loop)
//   -fstack-clash-protection    large frames probe page by page, so they cannot jump the guard
//   -w                          generated code: no warnings
//   -Wl,-z,defs -lm             every symbol resolved when the object is linked, not at dlopen
[[nodiscard]] const std::vector<std::string>& c_flags();
[[nodiscard]] std::string c_flags_text();

// Runs `compiler flags -o out source`, with the working directory `dir`. On failure the error
// (kind internal) carries the compiler's diagnostics (first lines).
[[nodiscard]] Status compile_shared_object(const CCompiler& cc, const std::filesystem::path& dir,
                                           const std::filesystem::path& source,
                                           const std::filesystem::path& out,
                                           std::string_view module_name);

}  // namespace wasmhop::wasm2c
