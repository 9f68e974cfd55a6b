// The instance of the v8 engines (v8_instance.cpp), for the modules of v8_engine.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <v8.h>

#include "engines/common/wasm_module_info.hpp"
#include "engines/v8/imports.hpp"
#include "engines/v8/v8_runtime.hpp"
#include "wasmhop/engine.hpp"

namespace wasmhop::v8engine {

// The error of a call made from another thread than the one V8 runs on (the one that started it).
[[nodiscard]] Error wrong_thread_error(std::string_view module);

// The instance of module `module` around `instance`, a WebAssembly.Instance just built on `rt`:
// its exports' call paths, its memory and lookups. `host` holds the data of the functions in its
// imports object.
[[nodiscard]] Result<std::unique_ptr<Instance>> make_instance(std::string module, Runtime* rt,
                                                              std::unique_ptr<HostImports> host,
                                                              v8::Local<v8::Object> instance,
                                                              const moduleinfo::WasmModuleInfo& info);

}  // namespace wasmhop::v8engine
