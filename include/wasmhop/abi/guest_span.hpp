// Guest buffers as the host sees them: a (ptr, len) in linear memory that the guest handed out.
// Nothing a guest returns is trusted: every span is checked against the memory before use.
#pragma once

#include <cstdint>
#include <string_view>

#include "wasmhop/guest_memory.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::abi {

struct GuestSpan {
  std::uint32_t ptr = 0;
  std::uint32_t len = 0;
};

// The i64 that alloc-style exports return: (ptr << 32) | len.
[[nodiscard]] constexpr GuestSpan unpack_ptr_len(std::int64_t packed) noexcept {
  const auto bits = static_cast<std::uint64_t>(packed);
  return {static_cast<std::uint32_t>(bits >> 32), static_cast<std::uint32_t>(bits)};
}

// Checks a guest-provided span: non-null, at least `min_len` bytes, inside `mem`. `what` names the
// export that produced it, for the error message.
[[nodiscard]] Status check_span(GuestSpan span, std::uint64_t min_len, const GuestMemory& mem,
                                std::string_view what);

}  // namespace wasmhop::abi
