// A record lists its fields once, in wire order, and every data-passing ABI reads them from that
// one list: Pair passes them as the call's arguments, Bincode encodes them in this order.
//
//   struct Pair {
//     std::int32_t a;
//     std::int32_t b;
//     WASMHOP_FIELDS(a, b)
//   };
//
// The members it adds are functions: a POD stays trivially copyable and keeps its layout.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#define WASMHOP_FIELDS(...)                                                                   \
  constexpr auto wire_fields() noexcept { return ::std::tie(__VA_ARGS__); }                 \
  constexpr auto wire_fields() const noexcept { return ::std::tie(__VA_ARGS__); }

namespace wasmhop::abi {

template <class T>
concept Record = requires(T& t, const T& ct) {
  t.wire_fields();
  ct.wire_fields();
};

// The fields of a record, as a tuple of references.
template <Record T>
[[nodiscard]] constexpr auto fields_of(const T& value) noexcept {
  return value.wire_fields();
}

template <Record T>
inline constexpr std::size_t field_count_v = std::tuple_size_v<decltype(std::declval<const T&>().wire_fields())>;

template <Record T, std::size_t I>
using field_t = std::remove_cvref_t<std::tuple_element_t<I, decltype(std::declval<const T&>().wire_fields())>>;

}  // namespace wasmhop::abi
