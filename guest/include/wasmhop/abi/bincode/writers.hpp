// Bincode's writers (into a span, onto a vector, or counting), part of wasmhop/abi/bincode.hpp.
// A writer has put(data, n), fail(error), ok() and error(); errors are sticky.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "wasmhop/abi/bincode/error.hpp"

namespace wasmhop::bincode {

// Writes into a caller-provided span; never allocates. Overflow is reported, not written past.
class Writer {
 public:
  constexpr Writer() noexcept = default;
  explicit Writer(std::span<std::uint8_t> out) noexcept
      : begin_(out.data()), cur_(out.data()), end_(out.data() + out.size()) {}
  Writer(void* data, std::size_t size) noexcept
      : Writer(std::span<std::uint8_t>(static_cast<std::uint8_t*>(data), size)) {}

  void put(const void* data, std::size_t n) noexcept {
    if (n > static_cast<std::size_t>(end_ - cur_)) {
      fail(Error::overflow);
      return;
    }
    if (n != 0) std::memcpy(cur_, data, n);
    cur_ += n;
  }
  void fail(Error e) noexcept {
    if (error_ == Error::none) error_ = e;
    end_ = cur_;  // nothing more gets written
  }
  [[nodiscard]] bool ok() const noexcept { return error_ == Error::none; }
  [[nodiscard]] Error error() const noexcept { return error_; }
  // Bytes written so far (on error: the bytes before the failing value part).
  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(cur_ - begin_); }
  [[nodiscard]] std::span<std::uint8_t> written() const noexcept { return {begin_, size()}; }

  template <class T>
  Writer& write(const T& value);  // encodes one value; check ok() afterwards

 private:
  std::uint8_t* begin_ = nullptr;
  std::uint8_t* cur_ = nullptr;
  std::uint8_t* end_ = nullptr;
  Error error_ = Error::none;
};

// Appends to a growable std::vector<std::uint8_t>.
class BufferWriter {
 public:
  explicit BufferWriter(std::vector<std::uint8_t>& out) noexcept : out_(&out) {}

  void put(const void* data, std::size_t n) {
    if (error_ != Error::none || n == 0) return;
    const auto* p = static_cast<const std::uint8_t*>(data);
    out_->insert(out_->end(), p, p + n);
  }
  void fail(Error e) noexcept {
    if (error_ == Error::none) error_ = e;
  }
  [[nodiscard]] bool ok() const noexcept { return error_ == Error::none; }
  [[nodiscard]] Error error() const noexcept { return error_; }
  [[nodiscard]] std::vector<std::uint8_t>& buffer() const noexcept { return *out_; }

  template <class T>
  BufferWriter& write(const T& value);

 private:
  std::vector<std::uint8_t>* out_;
  Error error_ = Error::none;
};

// Counts bytes instead of writing them (size_of). Does not validate strings or chars.
class SizeCounter {
 public:
  static constexpr bool counts_only = true;
  constexpr void put(const void*, std::size_t n) noexcept { size_ += n; }
  constexpr void fail(Error) noexcept {}
  [[nodiscard]] constexpr bool ok() const noexcept { return true; }
  [[nodiscard]] constexpr Error error() const noexcept { return Error::none; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }

 private:
  std::size_t size_ = 0;
};

}  // namespace wasmhop::bincode
