// How the memory-passing ABIs write a wire's message into guest memory (src/abi/): a record as
// its POD bytes, bytes as they are. The span was checked to hold the message.
#pragma once

#include <type_traits>

#include "wasmhop/abi/guest_span.hpp"
#include "wasmhop/abi/pod.hpp"
#include "wasmhop/abi/wire.hpp"

namespace wasmhop::abi {

// The message's size as POD bytes.
template <class M>
[[nodiscard]] constexpr std::uint32_t pod_size(const M& m) noexcept {
  if constexpr (std::is_same_v<M, Bytes>) return static_cast<std::uint32_t>(m.size());
  else return sizeof(M);
}

// Copies the message's POD bytes to the start of `span`.
template <class M>
[[nodiscard, gnu::always_inline]] inline Status write_message(const GuestMemory& mem, GuestSpan span, const M& m) {
  if constexpr (std::is_same_v<M, Bytes>) return mem.write_bytes(span.ptr, m);
  else return write_pod(mem, span, m);
}

}  // namespace wasmhop::abi
