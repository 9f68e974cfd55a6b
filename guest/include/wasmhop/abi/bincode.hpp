// Bincode 1.x (the Rust crate's legacy configuration, as used by `bincode::serialize`), for the
// host and for guests: the same header builds with g++ on the host and with clang for wasm32
// (no exceptions, no RTTI, no iostream, no allocation unless you decode into a container).
//
// Wire format (little-endian, fixed-width, no padding, not self-describing):
//   bool                1 byte, 0 or 1 (anything else is rejected on decode)
//   u8..u128, i8..i128  1/2/4/8/16 bytes, two's complement
//   f32, f64            IEEE 754 bits, 4/8 bytes
//   char (char32_t)     its UTF-8 encoding, 1..4 bytes, no prefix
//   String, Vec, slice  u64 element count, then the elements (a string's count is in bytes)
//   maps / sets         u64 entry count, then key, value, key, value ...
//   Option              u8 tag 0 (None) or 1 (Some) followed by the value
//   enum variant        u32 variant index (then the payload for std::variant alternatives)
//   struct, tuple, [T;N] the fields / elements one after the other, nothing else
//
// C++ mapping: bool, char32_t, fixed-width integers (plain `char` and std::byte are one byte),
// float/double, enums (as a u32 index), std::optional, std::variant (index + payload),
// std::monostate (unit), std::pair/std::tuple, std::array and T[N], std::string/std::string_view,
// std::span (as a slice), any sequence/map/set container, and structs that list their fields:
//
//   struct Pair {
//     std::int32_t a;
//     std::int32_t b;
//     WASMHOP_BINCODE_FIELDS(a, b)      // encode and decode both use this one list
//   };
//   std::uint8_t buf[wasmhop::bincode::size_of(Pair{})];          // 8, known at compile time
//   auto r = wasmhop::bincode::encode(buf, Pair{1, 2});            // r.error, r.size
//   Pair back; auto e = wasmhop::bincode::decode(buf, back);       // e == Error::none
//
// Decoding never reads outside the input and never trusts a length prefix: a count n of
// elements whose smallest encoding is m bytes is rejected unless n * max(m, 1) fits in the
// remaining input (so containers never grow beyond what the input can justify). Decoding into
// std::string_view or std::span<const std::uint8_t> borrows from the input (zero copy).
//
// `long`/`unsigned long`/`size_t` are 32-bit on wasm32 and 64-bit on the host; they are rejected
// on wasm32 at compile time so that host and guest can never disagree: use std::uint64_t.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "wasmhop/abi/fields.hpp"

// Lists a struct's fields, in wire order, for encode, decode and size_of: the list every ABI
// reads (WASMHOP_FIELDS, wasmhop/abi/fields.hpp), under the name this codec documents.
#define WASMHOP_BINCODE_FIELDS(...) WASMHOP_FIELDS(__VA_ARGS__)

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

// ---------------------------------------------------------------------------------------------
// UTF-8 (strict, as Rust's str::from_utf8: no overlongs, no surrogates, nothing above U+10FFFF)

namespace detail {

// Length of a UTF-8 sequence from its first byte; 0 if it cannot start one.
[[nodiscard]] constexpr unsigned utf8_width(std::uint8_t b) noexcept {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

// Validates one multi-byte sequence p[0..width) whose width came from utf8_width(p[0]).
[[nodiscard]] constexpr bool utf8_sequence_ok(const std::uint8_t* p, unsigned width) noexcept {
  const std::uint8_t b0 = p[0];
  const std::uint8_t b1 = p[1];
  // The second byte's range depends on the first (excludes overlongs, surrogates, > U+10FFFF).
  std::uint8_t lo = 0x80, hi = 0xBF;
  if (b0 == 0xE0) lo = 0xA0;
  else if (b0 == 0xED) hi = 0x9F;
  else if (b0 == 0xF0) lo = 0x90;
  else if (b0 == 0xF4) hi = 0x8F;
  if (b1 < lo || b1 > hi) return false;
  for (unsigned i = 2; i < width; ++i)
    if ((p[i] & 0xC0) != 0x80) return false;
  return true;
}

}  // namespace detail

[[nodiscard]] inline bool is_valid_utf8(const void* data, std::size_t size) noexcept {
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::size_t i = 0;
  while (i < size) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= size) {
      std::uint64_t chunk;
      std::memcpy(&chunk, p + i, 8);
      if ((chunk & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i >= size) break;
    const unsigned w = detail::utf8_width(p[i]);
    if (w == 0) return false;
    if (w > 1) {
      if (size - i < w || !detail::utf8_sequence_ok(p + i, w)) return false;
    }
    i += w;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Writers. A writer has put(data, n), fail(error), ok() and error(); errors are sticky.

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

// ---------------------------------------------------------------------------------------------
// Reader: a bounds-checked cursor over a const byte span with a sticky error.

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

// ---------------------------------------------------------------------------------------------
// Type classification

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

// ---------------------------------------------------------------------------------------------
// Encoding

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

// ---------------------------------------------------------------------------------------------
// Decoding

template <class T>
void read(Reader& r, T& out);

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
