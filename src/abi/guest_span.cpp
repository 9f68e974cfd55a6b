#include "wasmhop/abi/guest_span.hpp"

#include <fmt/format.h>

namespace wasmhop::abi {

Status check_span(GuestSpan span, std::uint64_t min_len, const GuestMemory& mem, std::string_view what) {
  if (span.ptr == 0) {
    return fail(ErrorKind::resource_limit,
                fmt::format("'{}' returned a null buffer (the guest could not allocate {} bytes)", what, min_len));
  }
  if (span.len < min_len) {
    return fail(ErrorKind::out_of_bounds,
                fmt::format("'{}' returned a buffer of {} bytes, {} were needed", what, span.len, min_len));
  }
  if (!mem.contains(span.ptr, span.len)) {
    return fail(ErrorKind::out_of_bounds,
                fmt::format("'{}' returned [{}, {}+{}), outside linear memory of {} bytes", what, span.ptr,
                            span.ptr, span.len, mem.size()));
  }
  return {};
}

}  // namespace wasmhop::abi
