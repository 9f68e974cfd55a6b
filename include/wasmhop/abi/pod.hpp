// Bytemuck-like POD copies: a trivially copyable, standard-layout struct crosses the boundary as
// its bytes. Host and guest share the struct definition; its size and alignment are pinned at
// compile time on both sides (WASMHOP_POD_LAYOUT in the guest SDK's wasmhop/abi/pod_layout.hpp),
// so a mismatch fails the build, not a run.
#pragma once

#include <cstring>
#include <type_traits>

#include "wasmhop/abi/guest_span.hpp"

namespace wasmhop::abi {

template <class T>
concept Pod = std::is_trivially_copyable_v<T> && std::is_standard_layout_v<T>;

// Copies `value` to the start of `span` (already checked with check_span for sizeof(T)).
template <Pod T>
[[nodiscard]] Status write_pod(const GuestMemory& mem, GuestSpan span, const T& value) {
  return mem.write(span.ptr, value);
}

template <Pod T>
[[nodiscard]] Result<T> read_pod(const GuestMemory& mem, GuestSpan span) {
  if (span.len < sizeof(T)) {
    return fail(ErrorKind::out_of_bounds, "guest span is smaller than the struct read from it");
  }
  return mem.read<T>(span.ptr);
}

}  // namespace wasmhop::abi
