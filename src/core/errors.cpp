#include <chrono>

#include <fmt/format.h>

#include "wasmhop/func.hpp"
#include "wasmhop/guest_memory.hpp"
#include "wasmhop/engine.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop {

std::string_view to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::malformed_module: return "malformed_module";
    case ErrorKind::missing_export: return "missing_export";
    case ErrorKind::signature_mismatch: return "signature_mismatch";
    case ErrorKind::trap: return "trap";
    case ErrorKind::out_of_bounds: return "out_of_bounds";
    case ErrorKind::engine_unavailable: return "engine_unavailable";
    case ErrorKind::instantiation_failed: return "instantiation_failed";
    case ErrorKind::io_error: return "io_error";
    case ErrorKind::invalid_argument: return "invalid_argument";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::resource_limit: return "resource_limit";
    case ErrorKind::internal: return "internal";
    case ErrorKind::interrupted: return "interrupted";
  }
  return "unknown";
}

std::string_view to_string(TrapKind kind) noexcept {
  switch (kind) {
    case TrapKind::none: return "none";
    case TrapKind::unreachable: return "unreachable";
    case TrapKind::integer_divide_by_zero: return "integer_divide_by_zero";
    case TrapKind::integer_overflow: return "integer_overflow";
    case TrapKind::invalid_conversion: return "invalid_conversion";
    case TrapKind::out_of_bounds_memory: return "out_of_bounds_memory";
    case TrapKind::out_of_bounds_table: return "out_of_bounds_table";
    case TrapKind::indirect_call_mismatch: return "indirect_call_mismatch";
    case TrapKind::call_stack_exhausted: return "call_stack_exhausted";
    case TrapKind::host_error: return "host_error";
    case TrapKind::unknown: return "unknown";
    case TrapKind::timeout: return "timeout";
  }
  return "unknown";
}

std::string Error::describe() const {
  if (kind == ErrorKind::trap) return fmt::format("trap ({}): {}", to_string(trap), message);
  return fmt::format("{}: {}", to_string(kind), message);
}

namespace {
std::string describe_duration(std::chrono::nanoseconds d) {
  const auto ns = d.count();
  if (ns % 1'000'000'000 == 0) return fmt::format("{} s", ns / 1'000'000'000);
  if (ns % 1'000'000 == 0) return fmt::format("{} ms", ns / 1'000'000);
  return fmt::format("{:.6g} s", static_cast<double>(ns) / 1e9);
}
}  // namespace

Error trap_error(const Func& f, TrapKind trap) {
  // A host function that failed ended the call: its error is the reason, whatever trap the
  // engine raised to unwind the guest.
  if (auto host = f.owner != nullptr ? f.owner->take_host_failure() : std::nullopt) {
    f.owner->recover_after_trap();
    host->message = fmt::format("module '{}', export '{}': {}", f.owner->module_name(), f.name, host->message);
    return std::move(*host);
  }
  std::string detail = f.owner != nullptr ? f.owner->last_error_detail() : std::string();
  if (f.owner != nullptr && trap != TrapKind::host_error) f.owner->recover_after_trap();
  std::string module = f.owner != nullptr ? f.owner->module_name() : std::string("?");
  if (trap == TrapKind::timeout) {
    const std::string limit = f.owner != nullptr ? describe_duration(f.owner->call_timeout()) : std::string("?");
    return Error{ErrorKind::timeout,
                 fmt::format("module '{}', export '{}': still running after its time limit of {}; stopped",
                             module, f.name, limit),
                 trap};
  }
  std::string msg = fmt::format("module '{}', export '{}': {}", module, f.name, to_string(trap));
  if (!detail.empty()) msg += fmt::format(" ({})", detail);
  const ErrorKind kind = trap == TrapKind::host_error ? ErrorKind::internal : ErrorKind::trap;
  return Error{kind, std::move(msg), trap};
}

tl::unexpected<Error> GuestMemory::out_of_bounds(std::uint64_t ptr, std::uint64_t len) const {
  return fail(ErrorKind::out_of_bounds,
              fmt::format("guest range [{}, {}+{}) is outside linear memory of {} bytes", ptr, ptr,
                          len, size_));
}

}  // namespace wasmhop
