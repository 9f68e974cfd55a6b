// The generator's only source of randomness: erand48's 48-bit linear congruential generator.
//
// X <- (0x5DEECE66D * X + 0xB) mod 2^48 and the variate is X / 2^48, exactly as POSIX erand48 does,
// so a seed gives the same stream on every platform and compiler (no std::*_distribution).
#pragma once

#include <array>
#include <cstdint>

namespace wasmhop::gen {

inline constexpr std::uint64_t kMask48 = (std::uint64_t{1} << 48) - 1;

class Erand48 {
 public:
  // State from erand48's three 16-bit words, xsubi[0] being the least significant.
  constexpr explicit Erand48(std::array<std::uint16_t, 3> xsubi) noexcept
      : x_(std::uint64_t{xsubi[0]} | (std::uint64_t{xsubi[1]} << 16) |
           (std::uint64_t{xsubi[2]} << 32)) {}
  constexpr explicit Erand48(std::uint64_t state48) noexcept : x_(state48 & kMask48) {}

  // The next 48-bit state; the variate is next_bits() / 2^48.
  constexpr std::uint64_t next_bits() noexcept {
    x_ = (0x5DEECE66Dull * x_ + 0xBull) & kMask48;
    return x_;
  }
  // A uniform variate in [0, 1): exact, since 48 bits fit in a double's 53-bit significand.
  constexpr double next() noexcept { return static_cast<double>(next_bits()) * 0x1p-48; }

  [[nodiscard]] constexpr std::uint64_t state() const noexcept { return x_; }

 private:
  std::uint64_t x_;
};

// floor(x * w / 2^48) for x < 2^48 and w < 2^38, in portable 64-bit arithmetic.
[[nodiscard]] constexpr std::uint64_t mul_shift48_floor(std::uint64_t x, std::uint64_t w) noexcept {
  const std::uint64_t a = (x >> 24) * w;         // < 2^62
  const std::uint64_t b = (x & 0xFFFFFF) * w;    // < 2^62
  return (a + (b >> 24)) >> 24;
}

// ceil(x * w / 2^48) for x < 2^48 and w < 2^38.
[[nodiscard]] constexpr std::uint64_t mul_shift48_ceil(std::uint64_t x, std::uint64_t w) noexcept {
  const std::uint64_t a = (x >> 24) * w;
  const std::uint64_t b = (x & 0xFFFFFF) * w;
  const std::uint64_t low = (((a & 0xFFFFFF) << 24) + b) & kMask48;  // (x * w) mod 2^48
  return ((a + (b >> 24)) >> 24) + (low != 0 ? 1 : 0);
}

// splitmix64: derives stream states from a user seed (not used by the default, reference seeds).
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t z) noexcept {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace wasmhop::gen
