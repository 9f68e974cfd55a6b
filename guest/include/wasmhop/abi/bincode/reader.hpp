// Bincode's Reader: a bounds-checked cursor over a const byte span with a sticky error, part of
// wasmhop/abi/bincode.hpp (Reader::read<T> is in decode.hpp).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "wasmhop/abi/bincode/error.hpp"
#include "wasmhop/abi/bincode/utf8.hpp"

namespace wasmhop::bincode {

class Reader {
 public:
  constexpr Reader() noexcept = default;
  explicit Reader(std::span<const std::uint8_t> in) noexcept
      : begin_(in.data()), cur_(in.data()), end_(in.data() + in.size()) {}
  Reader(const void* data, std::size_t size) noexcept
      : Reader(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(data), size)) {}

  // The next n bytes, or nullptr (and Error::truncated) if fewer remain.
  [[nodiscard]] const std::uint8_t* take(std::size_t n) noexcept {
    if (n > static_cast<std::size_t>(end_ - cur_)) {
      fail(Error::truncated);
      return nullptr;
    }
    const std::uint8_t* p = cur_;
    cur_ += n;
    return p;
  }
  // Records the first error; afterwards every read fails and returns zero values.
  void fail(Error e) noexcept {
    if (error_ == Error::none) error_ = e;
    end_ = cur_;
  }
  [[nodiscard]] bool ok() const noexcept { return error_ == Error::none; }
  [[nodiscard]] Error error() const noexcept { return error_; }
  [[nodiscard]] std::size_t position() const noexcept { return static_cast<std::size_t>(cur_ - begin_); }
  [[nodiscard]] std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - cur_); }
  [[nodiscard]] std::span<const std::uint8_t> rest() const noexcept { return {cur_, remaining()}; }
  // Fails with Error::trailing_bytes unless the whole input was consumed; returns ok().
  bool expect_end() noexcept {
    if (ok() && cur_ != end_) fail(Error::trailing_bytes);
    return ok();
  }

  // Reads a u64 element count and checks that `count * max(min_element_size, 1)` bytes remain.
  [[nodiscard]] std::size_t read_length(std::size_t min_element_size) noexcept;
  // A u64-length-prefixed byte string, borrowed from the input (Rust Vec<u8> / &[u8]).
  [[nodiscard]] std::span<const std::uint8_t> read_bytes() noexcept;
  // A u64-length-prefixed UTF-8 string, borrowed from the input and validated.
  [[nodiscard]] std::string_view read_str() noexcept;

  // Decodes one value into `out`; returns ok(). On error `out` is valid but unspecified.
  template <class T>
  bool read(T& out);
  // Decodes one value of type T (default-constructible); check ok() afterwards.
  template <class T>
  [[nodiscard]] T read() {
    T v{};
    read(v);
    return v;
  }

 private:
  const std::uint8_t* begin_ = nullptr;
  const std::uint8_t* cur_ = nullptr;
  const std::uint8_t* end_ = nullptr;
  Error error_ = Error::none;
};

inline std::size_t Reader::read_length(std::size_t min_element_size) noexcept {
  std::uint64_t n = 0;
  if (const std::uint8_t* p = take(8)) {
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&n, p, 8);
    } else {
      for (int i = 7; i >= 0; --i) n = (n << 8) | p[i];
    }
  } else {
    return 0;
  }
  const std::size_t unit = min_element_size == 0 ? 1 : min_element_size;
  if (n > static_cast<std::uint64_t>(remaining() / unit)) {
    fail(Error::length_too_large);
    return 0;
  }
  return static_cast<std::size_t>(n);
}

inline std::span<const std::uint8_t> Reader::read_bytes() noexcept {
  const std::size_t n = read_length(1);
  const std::uint8_t* p = take(n);
  return p == nullptr ? std::span<const std::uint8_t>{} : std::span<const std::uint8_t>{p, n};
}

inline std::string_view Reader::read_str() noexcept {
  const std::size_t n = read_length(1);
  const std::uint8_t* p = take(n);
  if (p == nullptr) return {};
  if (!is_valid_utf8(p, n)) {
    fail(Error::invalid_utf8);
    return {};
  }
  return {reinterpret_cast<const char*>(p), n};
}

}  // namespace wasmhop::bincode
