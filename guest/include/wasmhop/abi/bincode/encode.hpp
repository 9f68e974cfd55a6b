// Bincode encoding, part of wasmhop/abi/bincode.hpp: write(w, value) for every kind of value (one
// function per kind, below), and size_of, encode and encode_append on top of it.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "wasmhop/abi/bincode/kinds.hpp"
#include "wasmhop/abi/bincode/sizes.hpp"
#include "wasmhop/abi/bincode/utf8.hpp"
#include "wasmhop/abi/bincode/writers.hpp"

namespace wasmhop::bincode {

template <class W, class T>
void write(W& w, const T& value);

namespace detail {

template <class W>
inline constexpr bool counts_only_v = requires { W::counts_only; };

template <class U, class W>
inline void put_le(W& w, U v) {
  if constexpr (std::endian::native == std::endian::little) {
    w.put(&v, sizeof(U));
  } else {
    std::uint8_t b[sizeof(U)];
    for (std::size_t i = 0; i < sizeof(U); ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
    w.put(b, sizeof(U));
  }
}

template <class W>
inline void put_length(W& w, std::size_t n) {
  put_le<std::uint64_t>(w, static_cast<std::uint64_t>(n));
}

template <class W>
inline void put_char(W& w, char32_t c) {
  const auto u = static_cast<std::uint32_t>(c);
  if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) {
    w.fail(Error::invalid_char);
    return;
  }
  std::uint8_t b[4];
  std::size_t n;
  if (u < 0x80) {
    b[0] = static_cast<std::uint8_t>(u);
    n = 1;
  } else if (u < 0x800) {
    b[0] = static_cast<std::uint8_t>(0xC0 | (u >> 6));
    b[1] = static_cast<std::uint8_t>(0x80 | (u & 0x3F));
    n = 2;
  } else if (u < 0x10000) {
    b[0] = static_cast<std::uint8_t>(0xE0 | (u >> 12));
    b[1] = static_cast<std::uint8_t>(0x80 | ((u >> 6) & 0x3F));
    b[2] = static_cast<std::uint8_t>(0x80 | (u & 0x3F));
    n = 3;
  } else {
    b[0] = static_cast<std::uint8_t>(0xF0 | (u >> 18));
    b[1] = static_cast<std::uint8_t>(0x80 | ((u >> 12) & 0x3F));
    b[2] = static_cast<std::uint8_t>(0x80 | ((u >> 6) & 0x3F));
    b[3] = static_cast<std::uint8_t>(0x80 | (u & 0x3F));
    n = 4;
  }
  w.put(b, n);
}

// Elements one after the other (no prefix); a single copy when the bytes are the encoding.
template <class W, class E>
inline void put_elements(W& w, const E* data, std::size_t n) {
  if constexpr (is_memcpy_v<E>) {
    w.put(data, n * sizeof(E));
  } else if constexpr (counts_only_v<W> && is_fixed_size_v<E>) {
    w.put(nullptr, n * fixed_size_v<E>);
  } else {
    for (std::size_t i = 0; i < n && w.ok(); ++i) bincode::write(w, data[i]);
  }
}

template <class W, class Range>
inline void put_range(W& w, const Range& r) {
  if constexpr (contiguous<Range>) {
    put_elements(w, r.data(), static_cast<std::size_t>(r.size()));
  } else {
    for (const auto& e : r) {
      if (!w.ok()) break;
      if constexpr (std::is_same_v<typename Range::value_type, bool>)
        bincode::write(w, static_cast<bool>(e));  // std::vector<bool> yields proxies
      else
        bincode::write(w, e);
    }
  }
}

template <class W, class Tuple, std::size_t... I>
inline void put_tuple(W& w, const Tuple& t, std::index_sequence<I...>) {
  (bincode::write(w, std::get<I>(t)), ...);
}

template <class W, class V, std::size_t I = 0>
inline void put_variant_payload(W& w, const V& v) {
  if constexpr (I < std::variant_size_v<V>) {
    if (v.index() == I) bincode::write(w, *std::get_if<I>(&v));
    else put_variant_payload<W, V, I + 1>(w, v);
  }
}

}  // namespace detail

// Encodes `value` with writer `w` (Writer, BufferWriter, SizeCounter or your own).
// Kept whole (one if-constexpr chain over all kinds of value): split, GCC stops inlining encode() in the micro loop.
template <class W, class T>
void write(W& w, const T& value) {
  using U = std::remove_cv_t<T>;
  using namespace detail;
  if constexpr (user_codec<U>) {
    codec<U>::write(w, value);
  } else if constexpr (std::is_same_v<U, bool>) {
    const std::uint8_t b = value ? 1 : 0;
    w.put(&b, 1);
  } else if constexpr (std::is_same_v<U, char32_t>) {
    if constexpr (counts_only_v<W>) {
      const auto u = static_cast<std::uint32_t>(value);
      w.put(nullptr, u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4);
    } else {
      put_char(w, value);
    }
  } else if constexpr (is_integer_v<U>) {
    static_assert(!is_platform_width_v<U>,
                  "wasmhop::bincode: long/unsigned long/size_t differ between wasm32 and the host; "
                  "use std::int64_t/std::uint64_t (or std::int32_t)");
    put_le<unsigned_of_t<U>>(w, static_cast<unsigned_of_t<U>>(value));
  } else if constexpr (std::is_same_v<U, float>) {
    put_le<std::uint32_t>(w, std::bit_cast<std::uint32_t>(value));
  } else if constexpr (std::is_same_v<U, double>) {
    put_le<std::uint64_t>(w, std::bit_cast<std::uint64_t>(value));
  } else if constexpr (std::is_same_v<U, std::byte>) {
    w.put(&value, 1);
  } else if constexpr (std::is_enum_v<U>) {
    put_le<std::uint32_t>(w, static_cast<std::uint32_t>(value));
  } else if constexpr (std::is_same_v<U, std::monostate>) {
    // unit: nothing
  } else if constexpr (is_specialization_v<U, std::optional>) {
    const std::uint8_t tag = value.has_value() ? 1 : 0;
    w.put(&tag, 1);
    if (tag != 0) bincode::write(w, *value);
  } else if constexpr (is_specialization_v<U, std::variant>) {
    if (value.index() >= std::variant_size_v<U>) {  // valueless_by_exception
      w.fail(Error::invalid_variant);
      return;
    }
    put_le<std::uint32_t>(w, static_cast<std::uint32_t>(value.index()));
    put_variant_payload(w, value);
  } else if constexpr (is_std_array_v<U>) {
    put_elements(w, value.data(), value.size());
  } else if constexpr (std::is_bounded_array_v<U>) {
    put_elements(w, &value[0], std::extent_v<U>);
  } else if constexpr (is_specialization_v<U, std::pair> || is_specialization_v<U, std::tuple>) {
    put_tuple(w, value, std::make_index_sequence<std::tuple_size_v<U>>{});
  } else if constexpr (has_fields<U>) {
    const auto fields = value.wire_fields();
    put_tuple(w, fields, std::make_index_sequence<std::tuple_size_v<decltype(fields)>>{});
  } else if constexpr (string_like<U>) {
    if constexpr (!counts_only_v<W>) {
      if (!is_valid_utf8(value.data(), value.size())) {
        w.fail(Error::invalid_utf8);
        return;
      }
    }
    put_length(w, value.size());
    w.put(value.data(), value.size());
  } else if constexpr (map_like<U>) {
    put_length(w, static_cast<std::size_t>(value.size()));
    for (const auto& [k, v] : value) {
      if (!w.ok()) break;
      bincode::write(w, k);
      bincode::write(w, v);
    }
  } else if constexpr (is_span_v<U> || set_like<U> || sequence_like<U>) {
    put_length(w, static_cast<std::size_t>(value.size()));
    put_range(w, value);
  } else {
    static_assert(always_false<U>,
                  "wasmhop::bincode: no encoding for this type; list a struct's fields with "
                  "WASMHOP_BINCODE_FIELDS(...) or specialize wasmhop::bincode::codec<T>");
  }
}

template <class T>
Writer& Writer::write(const T& value) {
  bincode::write(*this, value);
  return *this;
}
template <class T>
BufferWriter& BufferWriter::write(const T& value) {
  bincode::write(*this, value);
  return *this;
}

// Exact encoded size of `value` (a compile-time constant for fixed-size types).
template <class T>
[[nodiscard]] constexpr std::size_t size_of(const T& value) {
  if constexpr (is_fixed_size_v<T>) {
    (void)value;
    return fixed_size_v<T>;
  } else {
    SizeCounter c;
    bincode::write(c, value);
    return c.size();
  }
}

struct EncodeResult {
  Error error = Error::none;
  std::size_t size = 0;  // bytes written (the full encoding when error == none)
  [[nodiscard]] constexpr explicit operator bool() const noexcept { return error == Error::none; }
};

// Encodes into `out` (no allocation); Error::overflow if it does not fit.
template <class T>
[[nodiscard]] EncodeResult encode(std::span<std::uint8_t> out, const T& value) {
  Writer w(out);
  bincode::write(w, value);
  return {w.error(), w.size()};
}
template <class T>
[[nodiscard]] EncodeResult encode(void* out, std::size_t size, const T& value) {
  return encode(std::span<std::uint8_t>(static_cast<std::uint8_t*>(out), size), value);
}

// Appends the encoding to `out`; on error `out` is restored to its previous size.
template <class T>
[[nodiscard]] Error encode_append(std::vector<std::uint8_t>& out, const T& value) {
  const std::size_t before = out.size();
  if constexpr (is_fixed_size_v<T>) out.reserve(before + fixed_size_v<T>);
  BufferWriter w(out);
  bincode::write(w, value);
  if (!w.ok()) out.resize(before);
  return w.error();
}

}  // namespace wasmhop::bincode
