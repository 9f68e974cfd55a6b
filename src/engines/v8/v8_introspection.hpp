// What tests and tools may ask the v8 engines' runtime without including V8's headers.
#pragma once

#include <cstdint>

namespace wasmhop::v8engine {

// Whether V8 uses its guard-page trap handler (through wasmhop's signal handler) instead of
// explicit bounds checks. False before V8 starts in this process.
[[nodiscard]] bool trap_handler_enabled() noexcept;

// How many out-of-bounds faults V8's trap handler has turned into traps in this process.
[[nodiscard]] std::uint64_t trap_handler_hits() noexcept;

}  // namespace wasmhop::v8engine
