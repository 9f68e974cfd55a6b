// Wasmtime's errors and traps in wasmhop's terms: whp_error filling, one-line texts, trap kinds.
#pragma once

#include <wasmtime.h>

#include <cstdint>
#include <string>

#include "engines/plugin/plugin_abi.h"
#include "engines/plugin/plugin_error.hpp"

namespace wasmhop::wasmtime_plugin {

using plugin::set_error;  // engines/plugin/plugin_error.hpp

// Wasmtime's text, on one line: "failed to parse WebAssembly module: unexpected end-of-file ..."
std::string message_of(wasmtime_error_t* e);
// The cause first, then where: "wasm trap: integer divide by zero; wasm backtrace: 0: 0x3be - ..."
std::string message_of(const wasm_trap_t* trap);

std::uint8_t whp_trap_of(const wasm_trap_t* trap);  // WHP_TRAP_*
const char* trap_name(std::uint8_t whp_trap);
std::string describe_limit(std::int64_t ns);  // "200 ms", as wasmhop's own messages say it

}  // namespace wasmhop::wasmtime_plugin
