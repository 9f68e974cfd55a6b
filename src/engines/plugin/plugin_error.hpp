// Filling a whp_error (plugin_abi.h) from a plugin written in C++: one helper for every plugin.
#pragma once

#include <cstdarg>
#include <cstdint>
#include <cstdio>

#include "engines/plugin/plugin_abi.h"

namespace wasmhop::plugin {

// printf-style; the message is cut at whp_error's buffer. A null `err` is ignored.
[[gnu::format(printf, 4, 5)]] inline void set_error(whp_error* err, std::uint8_t kind, std::uint8_t trap,
                                                    const char* format, ...) {
  if (err == nullptr) return;
  err->kind = kind;
  err->trap = trap;
  va_list args;
  va_start(args, format);
  std::vsnprintf(err->message, sizeof err->message, format, args);
  va_end(args);
}

}  // namespace wasmhop::plugin
