// Bincode decoding, part of wasmhop/abi/bincode.hpp: read(r, out) for every kind of value (one
// function per kind, below), and decode and decode_exact on top of it.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "wasmhop/abi/bincode/kinds.hpp"
#include "wasmhop/abi/bincode/reader.hpp"
#include "wasmhop/abi/bincode/sizes.hpp"
#include "wasmhop/abi/bincode/utf8.hpp"

namespace wasmhop::bincode {

template <class T>
void read(Reader& r, T& out);

template <class T>
bool Reader::read(T& out) {
  bincode::read(*this, out);
  return ok();
}

namespace detail {

template <class U>
inline U get_le(Reader& r) noexcept {
  U v{};
  if (const std::uint8_t* p = r.take(sizeof(U))) {
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&v, p, sizeof(U));
    } else {
      for (std::size_t i = sizeof(U); i-- > 0;) v = static_cast<U>((v << 8) | p[i]);
    }
  }
  return v;
}

inline char32_t get_char(Reader& r) noexcept {
  const std::uint8_t* first = r.take(1);
  if (first == nullptr) return 0;
  const unsigned w = utf8_width(*first);
  if (w == 1) return *first;
  if (w == 0) {
    r.fail(Error::invalid_char);
    return 0;
  }
  const std::uint8_t* more = r.take(w - 1);
  if (more == nullptr) return 0;
  const std::uint8_t b[4] = {*first, more[0], w > 2 ? more[1] : std::uint8_t{0},
                             w > 3 ? more[2] : std::uint8_t{0}};
  if (!utf8_sequence_ok(b, w)) {
    r.fail(Error::invalid_char);
    return 0;
  }
  std::uint32_t u = b[0] & (0x7F >> w);
  for (unsigned i = 1; i < w; ++i) u = (u << 6) | (b[i] & 0x3F);
  return static_cast<char32_t>(u);
}

template <class E>
inline void get_elements(Reader& r, E* data, std::size_t n) {
  if constexpr (is_memcpy_v<E>) {
    if (const std::uint8_t* p = r.take(n * sizeof(E))) {
      if (n != 0) std::memcpy(data, p, n * sizeof(E));
    }
  } else {
    for (std::size_t i = 0; i < n && r.ok(); ++i) bincode::read(r, data[i]);
  }
}

template <class Tuple, std::size_t... I>
inline void get_tuple(Reader& r, Tuple&& t, std::index_sequence<I...>) {
  (bincode::read(r, std::get<I>(t)), ...);
}

template <class V, std::size_t I = 0>
inline void get_variant(Reader& r, V& v, std::uint32_t index) {
  if constexpr (I < std::variant_size_v<V>) {
    if (index == I) bincode::read(r, v.template emplace<I>());
    else get_variant<V, I + 1>(r, v, index);
  } else {
    r.fail(Error::invalid_variant);
  }
}

template <class C, class E>
inline void append_element(C& c, E&& e) {
  if constexpr (requires { c.push_back(std::forward<E>(e)); }) c.push_back(std::forward<E>(e));
  else c.insert(c.end(), std::forward<E>(e));
}

}  // namespace detail

// Decodes one value from `r` into `out` (check r.ok()).
// Kept whole, as write() is (encode.hpp): split per kind of value, the Bincode micro loop's host code changes.
template <class T>
void read(Reader& r, T& out) {
  using U = std::remove_cv_t<T>;
  using namespace detail;
  if constexpr (user_codec<U>) {
    codec<U>::read(r, out);
  } else if constexpr (std::is_same_v<U, bool>) {
    const std::uint8_t b = get_le<std::uint8_t>(r);
    if (b > 1) r.fail(Error::invalid_bool);
    out = b == 1;
  } else if constexpr (std::is_same_v<U, char32_t>) {
    out = get_char(r);
  } else if constexpr (is_integer_v<U>) {
    static_assert(!is_platform_width_v<U>,
                  "wasmhop::bincode: long/unsigned long/size_t differ between wasm32 and the host; "
                  "use std::int64_t/std::uint64_t (or std::int32_t)");
    out = static_cast<U>(get_le<unsigned_of_t<U>>(r));
  } else if constexpr (std::is_same_v<U, float>) {
    out = std::bit_cast<float>(get_le<std::uint32_t>(r));
  } else if constexpr (std::is_same_v<U, double>) {
    out = std::bit_cast<double>(get_le<std::uint64_t>(r));
  } else if constexpr (std::is_same_v<U, std::byte>) {
    out = static_cast<std::byte>(get_le<std::uint8_t>(r));
  } else if constexpr (std::is_enum_v<U>) {
    const std::uint32_t index = get_le<std::uint32_t>(r);
    if constexpr (variant_count_v<U> != 0) {
      if (index >= variant_count_v<U>) {
        r.fail(Error::invalid_variant);
        return;
      }
    }
    out = static_cast<U>(index);
  } else if constexpr (std::is_same_v<U, std::monostate>) {
    // unit: nothing
  } else if constexpr (is_specialization_v<U, std::optional>) {
    const std::uint8_t tag = get_le<std::uint8_t>(r);
    if (tag == 0) {
      out.reset();
    } else if (tag == 1) {
      bincode::read(r, out.emplace());
    } else {
      r.fail(Error::invalid_tag);
    }
  } else if constexpr (is_specialization_v<U, std::variant>) {
    const std::uint32_t index = get_le<std::uint32_t>(r);
    if (r.ok()) get_variant(r, out, index);
  } else if constexpr (is_std_array_v<U>) {
    get_elements(r, out.data(), out.size());
  } else if constexpr (std::is_bounded_array_v<U>) {
    get_elements(r, &out[0], std::extent_v<U>);
  } else if constexpr (is_specialization_v<U, std::pair> || is_specialization_v<U, std::tuple>) {
    get_tuple(r, out, std::make_index_sequence<std::tuple_size_v<U>>{});
  } else if constexpr (has_fields<U>) {
    auto fields = out.wire_fields();
    get_tuple(r, fields, std::make_index_sequence<std::tuple_size_v<decltype(fields)>>{});
  } else if constexpr (string_like<U> && is_specialization_v<U, std::basic_string_view>) {
    out = r.read_str();  // borrows from the input
  } else if constexpr (string_like<U>) {
    const std::string_view s = r.read_str();
    out.assign(s.data(), s.size());
  } else if constexpr (is_span_v<U>) {
    static_assert(std::is_const_v<typename U::element_type> && is_byte_v<typename U::value_type> &&
                      U::extent == std::dynamic_extent,
                  "wasmhop::bincode: decode borrows only into std::span<const byte-type>");
    const std::span<const std::uint8_t> b = r.read_bytes();
    out = U(reinterpret_cast<typename U::element_type*>(b.data()), b.size());
  } else if constexpr (map_like<U>) {
    using K = typename U::key_type;
    using V = typename U::mapped_type;
    out.clear();
    const std::size_t n = r.read_length(min_size_v<K> + min_size_v<V>);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      K k{};
      V v{};
      bincode::read(r, k);
      bincode::read(r, v);
      if (!r.ok()) break;
      // Later duplicates win, as when Rust's maps deserialize.
      if constexpr (requires { out.insert_or_assign(std::move(k), std::move(v)); })
        out.insert_or_assign(std::move(k), std::move(v));
      else out.emplace(std::move(k), std::move(v));
    }
  } else if constexpr (set_like<U>) {
    using K = typename U::key_type;
    out.clear();
    const std::size_t n = r.read_length(min_size_v<K>);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      K k{};
      bincode::read(r, k);
      if (!r.ok()) break;
      out.insert(std::move(k));
    }
  } else if constexpr (sequence_like<U>) {
    using E = typename U::value_type;
    out.clear();
    const std::size_t n = r.read_length(min_size_v<E>);
    if (!r.ok()) return;
    if constexpr (is_memcpy_v<E> && contiguous<U> && requires { out.resize(n); }) {
      const std::uint8_t* p = r.take(n * sizeof(E));  // cannot fail: read_length checked it
      if (p == nullptr) return;
      out.resize(n);
      if (n != 0) std::memcpy(out.data(), p, n * sizeof(E));
    } else {
      if constexpr (requires { out.reserve(n); }) out.reserve(n);
      for (std::size_t i = 0; i < n && r.ok(); ++i) {
        E e{};
        bincode::read(r, e);
        if (!r.ok()) break;
        append_element(out, std::move(e));
      }
    }
  } else {
    static_assert(always_false<U>,
                  "wasmhop::bincode: no decoding for this type; list a struct's fields with "
                  "WASMHOP_BINCODE_FIELDS(...) or specialize wasmhop::bincode::codec<T>");
  }
}

// Decodes one value from the front of `in`; bytes after it are allowed (as bincode::deserialize).
template <class T>
[[nodiscard]] Error decode(std::span<const std::uint8_t> in, T& out) {
  Reader r(in);
  bincode::read(r, out);
  return r.error();
}
template <class T>
[[nodiscard]] Error decode(const void* in, std::size_t size, T& out) {
  return decode(std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(in), size), out);
}
// Decodes one value that must span the whole input (Error::trailing_bytes otherwise).
template <class T>
[[nodiscard]] Error decode_exact(std::span<const std::uint8_t> in, T& out) {
  Reader r(in);
  bincode::read(r, out);
  r.expect_end();
  return r.error();
}

}  // namespace wasmhop::bincode
