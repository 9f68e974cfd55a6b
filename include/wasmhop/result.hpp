// Errors are values: every fallible call returns Result<T>; the library never exits or aborts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace wasmhop {

enum class ErrorKind : std::uint8_t {
  malformed_module,      // bytes are not a valid module (or not a loadable native script)
  missing_export,        // no export of that name (or not a function / memory)
  signature_mismatch,    // the export's real type differs from the requested one
  trap,                  // the guest trapped; Error::trap says which trap
  out_of_bounds,         // a guest pointer/length outside linear memory
  engine_unavailable,    // the engine is not built in, or cannot start here
  instantiation_failed,  // unresolved imports, start function failure, limits
  io_error,              // a file could not be read or written
  invalid_argument,      // bad input from the caller (parse errors, bad values)
  timeout,               // the guest ran past its deadline and was stopped
  resource_limit,        // a configured limit (memory, size) was exceeded
  internal,              // an engine failed in a way the others do not (message says how)
  interrupted,           // a stop was requested (SIGINT / SIGTERM) and the work was stopped
};

enum class TrapKind : std::uint8_t {
  none = 0,
  unreachable,
  integer_divide_by_zero,
  integer_overflow,
  invalid_conversion,
  out_of_bounds_memory,
  out_of_bounds_table,
  indirect_call_mismatch,
  call_stack_exhausted,
  host_error,  // not a wasm trap: the engine reported an exception (details in the message)
  unknown,
  timeout,     // not a trap: the call ran past its time limit and was stopped (ErrorKind::timeout)
};

[[nodiscard]] std::string_view to_string(ErrorKind kind) noexcept;
[[nodiscard]] std::string_view to_string(TrapKind kind) noexcept;

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  // names the module / export / file it concerns
  TrapKind trap = TrapKind::none;

  // "trap (integer_divide_by_zero): module m, export e: ..." — one line for users.
  [[nodiscard]] std::string describe() const;
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

[[nodiscard]] inline tl::unexpected<Error> fail(ErrorKind kind, std::string message,
                                                TrapKind trap = TrapKind::none) {
  return tl::unexpected<Error>(Error{kind, std::move(message), trap});
}

}  // namespace wasmhop
