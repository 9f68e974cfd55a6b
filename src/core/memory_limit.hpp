// Engine::set_memory_limit for wasm modules: the module's own memory maximum lowered to the limit,
// so that every wasm engine enforces it the way it enforces a declared maximum (memory.grow answers
// -1). Internal to libwasmhop (src/core/engine.cpp); exposed here for tests and the fuzzers.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::detail {

// Returns the module with every memory of its memory section limited to `max_pages` (a memory
// without a maximum gets one; a larger maximum is lowered). resource_limit when a memory needs more
// than `max_pages` at start. Bytes it cannot parse come back unchanged, for the engine's validator
// to reject. Memories of the memory64 proposal are left alone (no engine here accepts them).
[[nodiscard]] Result<std::vector<std::uint8_t>> limit_memory_pages(std::span<const std::uint8_t> wasm,
                                                                   std::uint32_t max_pages,
                                                                   std::string_view module_name);

}  // namespace wasmhop::detail
