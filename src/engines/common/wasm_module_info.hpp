// What V8's and the plugins' APIs do not tell an embedder about a compiled module: the type of each
// exported function and the names of the modules it imports from. Read from the binary once,
// at compile time, after V8 has validated it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasmhop/engine.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::moduleinfo {

struct ParsedExport {
  ExportDesc desc;
  // Set when a function's type uses a value type wasmhop cannot pass (v128, references):
  // the export is listed, but looking it up as a function is a signature_mismatch.
  std::string unsupported;
};

struct WasmModuleInfo {
  std::vector<ParsedExport> exports;
  std::vector<std::string> import_modules;  // distinct, in order of first use
  std::vector<ImportDesc> imports;          // every import, in order
  std::string memory_export;                // the exported memory ("memory" if present), or ""
};

// `name` names the module in errors. Only the type, import, function and export sections are
// read; every read is bounds-checked.
[[nodiscard]] Result<WasmModuleInfo> read_module_info(std::span<const std::uint8_t> wasm,
                                                      std::string_view name);

}  // namespace wasmhop::moduleinfo
