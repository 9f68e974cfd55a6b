// The MODULE a user hands to `wasmhop bench`: its bytes (text converted with wabt's library), checked
// once in the parent so that a bad file, a missing export or wrong ARGS are one clear error before
// any engine starts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "wasmhop/result.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop::cli::bench {

struct ProbedExport {
  std::string name;
  FuncType type;
  std::string unsupported;  // non-empty: a parameter/result type bench cannot pass ("v128", ...)
};

struct ProbedModule {
  std::vector<std::uint8_t> wasm;      // the binary module (converted when the file is text)
  bool from_text = false;
  std::vector<ProbedExport> functions;  // function exports, in the module's order
  std::vector<std::string> imports;     // "module.field" of each import
};

// Reads `path`: a binary module (starts with "\0asm") or the text format (.wat), converted with
// wabt's library. Every WebAssembly feature wabt knows is enabled: rejecting what an engine may
// accept is the engines' call. Errors: io_error (unreadable), malformed_module (the first parse or
// validation error with its line or offset).
[[nodiscard]] Result<ProbedModule> probe_module(const std::filesystem::path& path);

// Converts WebAssembly text to a binary module; `name` names it in errors.
[[nodiscard]] Result<std::vector<std::uint8_t>> wat_to_wasm(std::string_view text, const std::string& name);

// The function export `name`: missing_export naming the exports there are, or invalid_argument
// when its type has values bench cannot pass.
[[nodiscard]] Result<FuncType> find_function(const ProbedModule& m, std::string_view name,
                                             const std::string& module_name);

}  // namespace wasmhop::cli::bench
