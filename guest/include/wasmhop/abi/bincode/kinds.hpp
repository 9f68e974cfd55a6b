// Which kind of value a type is to Bincode (integer, float, string, map, set, sequence, a struct
// that lists its fields, ...), part of wasmhop/abi/bincode.hpp.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "wasmhop/abi/bincode/error.hpp"

namespace wasmhop::bincode {

namespace detail {

template <class T>
inline constexpr bool always_false = false;

template <class T, template <class...> class Tmpl>
inline constexpr bool is_specialization_v = false;
template <template <class...> class Tmpl, class... A>
inline constexpr bool is_specialization_v<Tmpl<A...>, Tmpl> = true;

template <class T>
inline constexpr bool is_std_array_v = false;
template <class T, std::size_t N>
inline constexpr bool is_std_array_v<std::array<T, N>> = true;

template <class T>
inline constexpr bool is_span_v = false;
template <class T, std::size_t N>
inline constexpr bool is_span_v<std::span<T, N>> = true;

template <class T>
concept user_codec = requires { sizeof(codec<T>); };

template <class T>
concept has_fields = requires(T& t, const T& ct) {
  t.wire_fields();
  ct.wire_fields();
};

template <class T>
inline constexpr bool is_int128_v = std::is_same_v<T, i128> || std::is_same_v<T, u128>;

// Integers encoded at their own width. char32_t is a Rust char; wchar_t/char16_t are ambiguous.
template <class T>
inline constexpr bool is_integer_v =
    (std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char32_t> &&
     !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char16_t>) ||
    is_int128_v<T>;

// The unsigned integer of T's width (std::make_unsigned rejects __int128 in strict C++ modes).
template <class T>
using unsigned_of_t = std::conditional_t<
    is_int128_v<T>, u128,
    std::conditional_t<sizeof(T) == 1, std::uint8_t,
                       std::conditional_t<sizeof(T) == 2, std::uint16_t,
                                          std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>>>>;

template <class T>
inline constexpr bool is_platform_width_v =
    (std::is_same_v<T, long> || std::is_same_v<T, unsigned long>) && sizeof(long) != 8;

template <class T>
inline constexpr bool is_float_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

// Types whose in-memory bytes (on a little-endian machine) are exactly their encoding.
template <class T>
inline constexpr bool is_memcpy_v =
    std::endian::native == std::endian::little &&
    ((is_integer_v<T> && !is_platform_width_v<T>) || is_float_v<T> || std::is_same_v<T, std::byte>);

// One-byte element types that a byte view (std::span<const B>) may borrow.
template <class T>
inline constexpr bool is_byte_v = std::is_same_v<T, std::uint8_t> || std::is_same_v<T, std::int8_t> ||
                                  std::is_same_v<T, char> || std::is_same_v<T, std::byte> ||
                                  std::is_same_v<T, char8_t>;

template <class T>
concept string_like = (is_specialization_v<T, std::basic_string> ||
                       is_specialization_v<T, std::basic_string_view>) &&
                      std::is_same_v<typename T::value_type, char>;

template <class T>
concept map_like = requires(const T& m) {
  typename T::key_type;
  typename T::mapped_type;
  m.begin();
  m.end();
  m.size();
};

template <class T>
concept set_like = !map_like<T> && requires(const T& s) {
  typename T::key_type;
  s.begin();
  s.end();
  s.size();
} && std::is_same_v<typename T::key_type, typename T::value_type>;

template <class T>
concept sequence_like = !map_like<T> && !set_like<T> && requires(const T& c) {
  typename T::value_type;
  c.begin();
  c.end();
  c.size();
};

template <class T>
concept contiguous = requires(const T& c) {
  { c.data() } -> std::convertible_to<const typename T::value_type*>;
};

}  // namespace detail

}  // namespace wasmhop::bincode
