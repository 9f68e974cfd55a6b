// Bincode sizes known at compile time: the smallest encoding of a type (min_size_v, which bounds
// a decoded length prefix) and the exact size of fixed-size types (fixed_size_v), part of
// wasmhop/abi/bincode.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "wasmhop/abi/bincode/kinds.hpp"

namespace wasmhop::bincode {

namespace detail {

inline constexpr std::size_t kVariable = static_cast<std::size_t>(-1);

// Element type and count of std::array<E, N> and E[N].
template <class T>
struct array_traits {
  static constexpr bool is_array = false;
};
template <class E, std::size_t N>
struct array_traits<std::array<E, N>> {
  static constexpr bool is_array = true;
  using element = std::remove_cv_t<E>;
  static constexpr std::size_t count = N;
};
template <class E, std::size_t N>
struct array_traits<E[N]> {
  static constexpr bool is_array = true;
  using element = std::remove_cv_t<E>;
  static constexpr std::size_t count = N;
};

template <class T>
consteval std::size_t min_size_impl();
template <class T>
consteval std::size_t fixed_size_impl();

template <class Tuple, std::size_t... I>
consteval std::size_t sum_min(std::index_sequence<I...>) {
  return (std::size_t{0} + ... + min_size_impl<std::remove_cvref_t<std::tuple_element_t<I, Tuple>>>());
}
template <class Tuple, std::size_t... I>
consteval std::size_t sum_fixed(std::index_sequence<I...>) {
  std::size_t total = 0;
  const std::size_t parts[] = {std::size_t{0},
                               fixed_size_impl<std::remove_cvref_t<std::tuple_element_t<I, Tuple>>>()...};
  for (std::size_t p : parts) {
    if (p == kVariable) return kVariable;
    total += p;
  }
  return total;
}
template <class V, std::size_t... I>
consteval std::size_t variant_min(std::index_sequence<I...>) {
  const std::size_t parts[] = {min_size_impl<std::variant_alternative_t<I, V>>()...};
  std::size_t m = kVariable;
  for (std::size_t p : parts) m = p < m ? p : m;
  return m;
}

template <class T>
using fields_t = decltype(std::declval<T&>().wire_fields());

// The smallest number of bytes any value of T encodes to.
template <class T>
consteval std::size_t min_size_impl() {
  if constexpr (user_codec<T>) return codec<T>::min_size;
  else if constexpr (std::is_same_v<T, bool> || is_integer_v<T> || is_float_v<T> ||
                     std::is_same_v<T, std::byte>)
    return sizeof(T);
  else if constexpr (std::is_same_v<T, char32_t>) return 1;
  else if constexpr (std::is_enum_v<T>) return 4;
  else if constexpr (std::is_same_v<T, std::monostate>) return 0;
  else if constexpr (is_specialization_v<T, std::optional>) return 1;
  else if constexpr (is_specialization_v<T, std::variant>)
    return 4 + variant_min<T>(std::make_index_sequence<std::variant_size_v<T>>{});
  else if constexpr (array_traits<T>::is_array)
    return array_traits<T>::count * min_size_impl<typename array_traits<T>::element>();
  else if constexpr (is_specialization_v<T, std::pair> || is_specialization_v<T, std::tuple>)
    return sum_min<T>(std::make_index_sequence<std::tuple_size_v<T>>{});
  else if constexpr (has_fields<T>)
    return sum_min<fields_t<T>>(std::make_index_sequence<std::tuple_size_v<fields_t<T>>>{});
  else if constexpr (string_like<T> || is_span_v<T> || map_like<T> || set_like<T> || sequence_like<T>)
    return 8;
  else
    static_assert(always_false<T>,
                  "wasmhop::bincode: no encoding for this type; list a struct's fields with "
                  "WASMHOP_BINCODE_FIELDS(...) or specialize wasmhop::bincode::codec<T>");
}

// The encoded size if every value of T has the same size, else `variable`.
template <class T>
consteval std::size_t fixed_size_impl() {
  if constexpr (user_codec<T>) {
    if constexpr (requires { codec<T>::fixed_size; }) return codec<T>::fixed_size;
    else return kVariable;
  } else if constexpr (std::is_same_v<T, bool> || is_integer_v<T> || is_float_v<T> ||
                       std::is_same_v<T, std::byte>)
    return sizeof(T);
  else if constexpr (std::is_enum_v<T>) return 4;
  else if constexpr (std::is_same_v<T, std::monostate>) return 0;
  else if constexpr (array_traits<T>::is_array) {
    constexpr std::size_t e = fixed_size_impl<typename array_traits<T>::element>();
    return e == kVariable ? kVariable : array_traits<T>::count * e;
  } else if constexpr (is_specialization_v<T, std::pair> || is_specialization_v<T, std::tuple>)
    return sum_fixed<T>(std::make_index_sequence<std::tuple_size_v<T>>{});
  else if constexpr (has_fields<T>)
    return sum_fixed<fields_t<T>>(std::make_index_sequence<std::tuple_size_v<fields_t<T>>>{});
  else
    return kVariable;
}

}  // namespace detail

// Smallest possible encoding of a T, and its exact size when all values encode alike.
template <class T>
inline constexpr std::size_t min_size_v = detail::min_size_impl<std::remove_cv_t<T>>();
template <class T>
inline constexpr bool is_fixed_size_v = detail::fixed_size_impl<std::remove_cv_t<T>>() != detail::kVariable;
template <class T>
  requires is_fixed_size_v<T>
inline constexpr std::size_t fixed_size_v = detail::fixed_size_impl<std::remove_cv_t<T>>();

}  // namespace wasmhop::bincode
