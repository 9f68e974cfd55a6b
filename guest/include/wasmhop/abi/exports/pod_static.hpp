// POD, static, guest side: the host copied the message's bytes into the static buffer, whose
// pointer it fetched once (static_buffer()) and passes back with each call, as in the paper:
// <prefix>_pod_static(ptr, len). Reading anywhere in its own memory cannot hurt the sandbox, so
// the only checks are the length: a record's size, or at most the buffer's capacity.
// The host side is src/abi/pod_static.hpp.
#pragma once

#include "wasmhop/abi/exports/receive.hpp"

namespace wasmhop::abi::receive {

template <class Wire>
[[nodiscard]] inline typename Wire::Message static_at(std::int32_t ptr, std::int32_t len) noexcept {
  if constexpr (BytesWire<Wire>) {
    if (static_cast<std::uint32_t>(len) > Wire::static_capacity) [[unlikely]] __builtin_trap();
  }
  return pod_at<typename Wire::Message>(ptr, len);
}

}  // namespace wasmhop::abi::receive

#define WASMHOP_ABI_pod_static_record(prefix, Wire, handle)                                        \
  WASMHOP_EXPORT(std::int32_t, prefix##_pod_static, (std::int32_t ptr, std::int32_t len)) {        \
    return handle(::wasmhop::abi::receive::static_at<Wire>(ptr, len));                            \
  }
#define WASMHOP_ABI_pod_static_bytes WASMHOP_ABI_pod_static_record
