// Instances of the wabt-interp engine's modules (wabt_instance.cpp), for wabt_interp_engine.cpp.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <string>

#include <wabt/interp/interp.h>

#include "wasmhop/engine.hpp"

namespace wasmhop::wabt_interp {

// An instance of module `name` from its description: its own store, the host functions `bound`
// as its imports, its start function run under `start_timeout`.
[[nodiscard]] Result<std::unique_ptr<Instance>> instantiate(const ::wabt::interp::ModuleDesc& desc,
                                                            std::span<const BoundImport> bound,
                                                            const std::string& name,
                                                            std::chrono::nanoseconds start_timeout);

}  // namespace wasmhop::wabt_interp
