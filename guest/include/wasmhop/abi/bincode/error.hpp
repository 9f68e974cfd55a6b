// Bincode's error codes, the customization points (codec<T>, variant_count_v) and the 128-bit
// integer types: what every other part of the codec (wasmhop/abi/bincode.hpp) names.
#pragma once

#include <cstdint>
#include <string_view>

namespace wasmhop::bincode {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

enum class Error : std::uint8_t {
  none = 0,
  overflow,          // encode: the output span is too small
  truncated,         // decode: the input ends inside a value
  invalid_bool,      // decode: a bool byte other than 0 or 1
  invalid_tag,       // decode: an Option tag other than 0 or 1
  invalid_variant,   // decode: an enum / variant index out of range
  invalid_utf8,      // a string that is not valid UTF-8
  invalid_char,      // a char that is not one Unicode scalar value
  length_too_large,  // decode: a length prefix larger than the remaining input can hold
  trailing_bytes,    // decode_exact: input left over after the value
  invalid_value,     // a user codec (codec<T>) rejected the value
};

[[nodiscard]] constexpr std::string_view to_string(Error e) noexcept {
  switch (e) {
    case Error::none: return "none";
    case Error::overflow: return "output buffer too small";
    case Error::truncated: return "input truncated";
    case Error::invalid_bool: return "invalid bool (not 0 or 1)";
    case Error::invalid_tag: return "invalid option tag (not 0 or 1)";
    case Error::invalid_variant: return "invalid enum variant index";
    case Error::invalid_utf8: return "invalid UTF-8 in string";
    case Error::invalid_char: return "invalid char encoding";
    case Error::length_too_large: return "length prefix larger than the remaining input";
    case Error::trailing_bytes: return "trailing bytes after the value";
    case Error::invalid_value: return "invalid value";
  }
  return "unknown";
}

// Customization point: specialize for a type the built-in rules do not cover.
//   template <> struct wasmhop::bincode::codec<My> {
//     static constexpr std::size_t min_size = 4;          // smallest encoding, in bytes
//     template <class W> static void write(W& w, const My& v);   // via wasmhop::bincode::write
//     static void read(Reader& r, My& v);                        // via wasmhop::bincode::read
//   };
template <class T>
struct codec;

// Variant count of a C++ enum, for decode validation (0 = unknown, any u32 index accepted):
//   template <> inline constexpr std::uint32_t wasmhop::bincode::variant_count_v<Color> = 3;
template <class E>
inline constexpr std::uint32_t variant_count_v = 0;

}  // namespace wasmhop::bincode
