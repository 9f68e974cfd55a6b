// SHA-256 (FIPS 180-4), for the wasm2c object cache's keys: a cached object is trusted to be
// the compilation of the module whose bytes hash to its key, so the hash must resist collisions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace wasmhop::wasm2c {

class Sha256 {
 public:
  Sha256() noexcept;
  Sha256& update(std::span<const std::uint8_t> bytes) noexcept;
  Sha256& update(std::string_view text) noexcept {
    return update({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  }
  // A length-prefixed field: fields cannot run into each other ("ab","c" != "a","bc").
  Sha256& field(std::string_view text) noexcept;
  [[nodiscard]] std::array<std::uint8_t, 32> digest() noexcept;  // finishes the hash
  [[nodiscard]] std::string hex_digest() noexcept;

 private:
  void block(const std::uint8_t* p) noexcept;
  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buf_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes
};

}  // namespace wasmhop::wasm2c
