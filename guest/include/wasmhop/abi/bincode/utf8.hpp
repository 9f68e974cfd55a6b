// Bincode's UTF-8 check for strings and chars, strict as Rust's str::from_utf8 (no overlongs, no
// surrogates, nothing above U+10FFFF), part of wasmhop/abi/bincode.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace wasmhop::bincode {

namespace detail {

// Length of a UTF-8 sequence from its first byte; 0 if it cannot start one.
[[nodiscard]] constexpr unsigned utf8_width(std::uint8_t b) noexcept {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

// Validates one multi-byte sequence p[0..width) whose width came from utf8_width(p[0]).
[[nodiscard]] constexpr bool utf8_sequence_ok(const std::uint8_t* p, unsigned width) noexcept {
  const std::uint8_t b0 = p[0];
  const std::uint8_t b1 = p[1];
  // The second byte's range depends on the first (excludes overlongs, surrogates, > U+10FFFF).
  std::uint8_t lo = 0x80, hi = 0xBF;
  if (b0 == 0xE0) lo = 0xA0;
  else if (b0 == 0xED) hi = 0x9F;
  else if (b0 == 0xF0) lo = 0x90;
  else if (b0 == 0xF4) hi = 0x8F;
  if (b1 < lo || b1 > hi) return false;
  for (unsigned i = 2; i < width; ++i)
    if ((p[i] & 0xC0) != 0x80) return false;
  return true;
}

}  // namespace detail

[[nodiscard]] inline bool is_valid_utf8(const void* data, std::size_t size) noexcept {
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::size_t i = 0;
  while (i < size) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= size) {
      std::uint64_t chunk;
      std::memcpy(&chunk, p + i, 8);
      if ((chunk & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i >= size) break;
    const unsigned w = detail::utf8_width(p[i]);
    if (w == 0) return false;
    if (w > 1) {
      if (size - i < w || !detail::utf8_sequence_ok(p + i, w)) return false;
    }
    i += w;
  }
  return true;
}

}  // namespace wasmhop::bincode
