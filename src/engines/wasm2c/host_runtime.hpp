// The host side of the runtime shim: what every generated object calls back into (traps and
// linear memories), as the wasmhop_w2c_host table handed to wasmhop_w2c_attach().
#pragma once

#include <string>

#include "engines/wasm2c/w2c_abi.h"
#include "wasmhop/result.hpp"

namespace wasmhop::wasm2c {

[[nodiscard]] const wasmhop_w2c_host* host_api() noexcept;

// wasm_rt_trap_t (and WASMHOP_W2C_TRAP_RESOURCE) -> TrapKind.
[[nodiscard]] TrapKind map_trap(std::uint32_t wasm_rt_code) noexcept;

// Why the last host_error trap on this thread happened (a memory that could not be reserved),
// then cleared.
[[nodiscard]] std::string take_host_error();

}  // namespace wasmhop::wasm2c
