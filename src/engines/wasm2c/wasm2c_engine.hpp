// wasm2c-specific information beyond the Engine interface: whether a module came from the
// object cache, where the cache lives, and the compiled object itself (for tests and the raw
// benchmark).
#pragma once

#include <filesystem>
#include <string>

#include "wasmhop/engine.hpp"

namespace wasmhop::wasm2c {

struct ModuleInfo {
  bool cache_hit = false;       // the object was loaded from the cache (no translate, no cc)
  bool rebuilt = false;         // a cached object existed but was unusable; `note` says why
  std::string note;
  std::string key;              // SHA-256 over module bytes, wabt, compiler, flags, runtime shim
  std::filesystem::path object; // the cached shared object (empty: module has imports)
  double translate_seconds = 0; // wabt read + validate + C writer (0 on a cache hit)
  double cc_seconds = 0;        // the C compiler (0 on a cache hit)
};

// The wasm2c details of a module compiled by the wasm2c engine; nullptr for any other module.
[[nodiscard]] const ModuleInfo* module_info(const Module& module) noexcept;

// Where compiled objects are cached: $WASMHOP_CACHE_DIR when set, else
// $XDG_CACHE_HOME/wasmhop/wasm2c, else ~/.cache/wasmhop/wasm2c. Read on every compile.
[[nodiscard]] Result<std::filesystem::path> cache_directory();

}  // namespace wasmhop::wasm2c
