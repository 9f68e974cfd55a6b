// Bincode 1.x codec: byte vectors written by hand from the specification, round trips of random
// values, and every decode error (truncation at each prefix, bad bool / tag / variant / UTF-8 /
// char, length prefixes the input cannot hold, trailing bytes).
#include <wasmhop/abi/bincode.hpp>

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace bc = wasmhop::bincode;
using Bytes = std::vector<std::uint8_t>;

namespace {

enum class Color : std::uint32_t { red, green, blue };

struct Inner {
  std::uint8_t x = 0;
  std::uint16_t y = 0;
  WASMHOP_BINCODE_FIELDS(x, y)
  bool operator==(const Inner&) const = default;
};

struct Outer {
  Inner inner;
  bool flag = false;
  std::string name;
  WASMHOP_BINCODE_FIELDS(inner, flag, name)
  bool operator==(const Outer&) const = default;
};

struct Pair {
  std::int32_t a = 0;
  std::int32_t b = 0;
  WASMHOP_BINCODE_FIELDS(a, b)
  bool operator==(const Pair&) const = default;
};

// Covers every rule at once, for round trips and truncation.
struct Everything {
  bool flag = false;
  std::uint8_t u8 = 0;
  std::uint16_t u16 = 0;
  std::uint32_t u32 = 0;
  std::uint64_t u64 = 0;
  bc::u128 u128 = 0;
  std::int8_t i8 = 0;
  std::int16_t i16 = 0;
  std::int32_t i32 = 0;
  std::int64_t i64 = 0;
  bc::i128 i128 = 0;
  float f32 = 0;
  double f64 = 0;
  char32_t ch = U'a';
  std::string text;
  std::vector<std::uint8_t> bytes;
  std::vector<std::string> words;
  std::optional<Pair> maybe;
  Color color = Color::red;
  std::variant<std::monostate, std::int64_t, std::string> var;
  std::map<std::uint32_t, std::string> map;
  std::set<std::int16_t> set;
  std::array<std::uint16_t, 3> arr{};
  std::tuple<std::uint8_t, double, char32_t> tuple{};
  std::vector<Inner> inners;
  std::vector<bool> bools;
  WASMHOP_BINCODE_FIELDS(flag, u8, u16, u32, u64, u128, i8, i16, i32, i64, i128, f32, f64, ch, text, bytes,
                         words, maybe, color, var, map, set, arr, tuple, inners, bools)
  bool operator==(const Everything&) const = default;
};

template <class T>
Bytes enc(const T& v) {
  Bytes out;
  const bc::Error e = bc::encode_append(out, v);
  EXPECT_EQ(e, bc::Error::none) << bc::to_string(e);
  // The span writer and size_of agree with the growable writer.
  EXPECT_EQ(bc::size_of(v), out.size());
  Bytes fixed(out.size() + 3, 0xEE);
  const auto r = bc::encode(std::span(fixed.data(), out.size()), v);
  EXPECT_TRUE(r);
  EXPECT_EQ(r.size, out.size());
  EXPECT_TRUE(std::equal(out.begin(), out.end(), fixed.begin()));
  EXPECT_EQ(fixed[out.size()], 0xEE);
  return out;
}

template <class T>
T dec(const Bytes& in) {
  T v{};
  const bc::Error e = bc::decode_exact(in, v);
  EXPECT_EQ(e, bc::Error::none) << bc::to_string(e);
  return v;
}

template <class T>
bc::Error dec_error(const Bytes& in) {
  T v{};
  return bc::decode_exact(in, v);
}

// Encodes, compares with the hand-written bytes and decodes back.
template <class T>
void golden(const T& v, const Bytes& expected) {
  EXPECT_EQ(enc(v), expected);
  EXPECT_EQ(dec<T>(expected), v);
}

Bytes le64(std::uint64_t n) {
  Bytes b;
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  return b;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

template <>
inline constexpr std::uint32_t bc::variant_count_v<Color> = 3;

// ---------------------------------------------------------------------------------------------
// Golden bytes, one rule at a time

TEST(BincodeGolden, Integers) {
  golden<std::uint32_t>(0x01020304u, {0x04, 0x03, 0x02, 0x01});
  golden<std::uint8_t>(0xAB, {0xAB});
  golden<std::uint16_t>(0x1234, {0x34, 0x12});
  golden<std::uint64_t>(0x0102030405060708ull, {0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01});
  golden<std::int8_t>(-2, {0xFE});
  golden<std::int16_t>(-2, {0xFE, 0xFF});
  golden<std::int32_t>(-2, {0xFE, 0xFF, 0xFF, 0xFF});
  golden<std::int64_t>(-1, Bytes(8, 0xFF));
  golden<std::int64_t>(std::numeric_limits<std::int64_t>::min(), {0, 0, 0, 0, 0, 0, 0, 0x80});
  golden<bc::i128>(-1, Bytes(16, 0xFF));
  const bc::u128 big = (static_cast<bc::u128>(0x0102030405060708ull) << 64) | 0x090A0B0C0D0E0F10ull;
  golden<bc::u128>(big, {0x10, 0x0F, 0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03,
                         0x02, 0x01});
  golden<char>('A', {0x41});
  golden<std::byte>(std::byte{0x7F}, {0x7F});
}

TEST(BincodeGolden, Bool) {
  golden(true, {0x01});
  golden(false, {0x00});
}

TEST(BincodeGolden, Floats) {
  golden(1.5, {0, 0, 0, 0, 0, 0, 0xF8, 0x3F});  // 0x3FF8000000000000
  golden(1.5f, {0, 0, 0xC0, 0x3F});             // 0x3FC00000
  golden(-0.0, {0, 0, 0, 0, 0, 0, 0, 0x80});
  const Bytes nan_bits = enc(std::numeric_limits<double>::quiet_NaN());
  EXPECT_TRUE(std::isnan(dec<double>(nan_bits)));
}

TEST(BincodeGolden, CharIsUtf8WithoutPrefix) {
  golden(U'A', {0x41});
  golden(U'é', {0xC3, 0xA9});                  // U+00E9
  golden(U'€', {0xE2, 0x82, 0xAC});            // U+20AC
  golden(U'\U0001F600', {0xF0, 0x9F, 0x98, 0x80});
  golden(U'\U0010FFFF', {0xF4, 0x8F, 0xBF, 0xBF});
}

TEST(BincodeGolden, StringsHaveU64ByteLength) {
  golden(std::string("hi"), {0x02, 0, 0, 0, 0, 0, 0, 0, 0x68, 0x69});
  golden(std::string(), Bytes(8, 0));
  golden(std::string("é"), {0x02, 0, 0, 0, 0, 0, 0, 0, 0xC3, 0xA9});  // bytes, not chars
  EXPECT_EQ(enc(std::string_view("hi")), (Bytes{0x02, 0, 0, 0, 0, 0, 0, 0, 0x68, 0x69}));
}

TEST(BincodeGolden, Option) {
  golden(std::optional<std::uint8_t>(1), {0x01, 0x01});
  golden(std::optional<std::uint8_t>(), {0x00});
  golden(std::optional<std::uint32_t>(7), {0x01, 0x07, 0, 0, 0});
  // Some(None): outer tag 1, inner tag 0.
  using Nested = std::optional<std::optional<bool>>;
  EXPECT_EQ(enc(Nested(std::optional<bool>())), (Bytes{0x01, 0x00}));
  const Nested nested = dec<Nested>({0x01, 0x00});
  EXPECT_TRUE(nested.has_value() && !nested->has_value());
}

TEST(BincodeGolden, Sequences) {
  golden(std::vector<std::uint16_t>{1, 2}, {0x02, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x02, 0x00});
  golden(std::vector<std::uint8_t>{}, Bytes(8, 0));
  golden(std::vector<bool>{true, false}, {0x02, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00});
  golden(std::vector<std::string>{"a", ""},
         cat({le64(2), le64(1), {0x61}, le64(0)}));
  // A borrowed slice encodes like a Vec.
  const std::uint8_t raw[] = {9, 8, 7};
  EXPECT_EQ(enc(std::span<const std::uint8_t>(raw)), cat({le64(3), {9, 8, 7}}));
}

TEST(BincodeGolden, MapsAndSets) {
  // BTreeMap<u8, String> {1: "a", 2: "bc"}: count, then key, value in key order.
  golden(std::map<std::uint8_t, std::string>{{1, "a"}, {2, "bc"}},
         cat({le64(2), {0x01}, le64(1), {0x61}, {0x02}, le64(2), {0x62, 0x63}}));
  golden(std::set<std::uint16_t>{3, 1}, cat({le64(2), {0x01, 0x00, 0x03, 0x00}}));
}

TEST(BincodeGolden, FixedArraysAndTuplesHaveNoPrefix) {
  golden(std::array<std::uint8_t, 3>{1, 2, 3}, {1, 2, 3});
  golden(std::tuple<std::uint8_t, std::uint32_t>{5, 0x0A0B0C0D}, {0x05, 0x0D, 0x0C, 0x0B, 0x0A});
  golden(std::pair<bool, std::int16_t>{true, -1}, {0x01, 0xFF, 0xFF});
  golden(std::tuple<>{}, {});
  std::uint16_t c_array[2] = {0x0102, 0x0304};
  EXPECT_EQ(enc(c_array), (Bytes{0x02, 0x01, 0x04, 0x03}));
}

TEST(BincodeGolden, Structs) {
  golden(Pair{1, 2}, {0x01, 0, 0, 0, 0x02, 0, 0, 0});
  // Outer { inner: Inner { x: 7, y: 0x0102 }, flag: true, name: "ok" }
  golden(Outer{{7, 0x0102}, true, "ok"},
         {0x07, 0x02, 0x01, 0x01, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x6F, 0x6B});
}

TEST(BincodeGolden, EnumsAreU32VariantIndex) {
  golden(Color::blue, {0x02, 0x00, 0x00, 0x00});
  golden(Color::red, {0x00, 0x00, 0x00, 0x00});
  // enum E { Unit, Num(i64), Text(String) }: index, then the payload.
  using E = std::variant<std::monostate, std::int64_t, std::string>;
  golden(E{}, {0, 0, 0, 0});
  golden(E{std::int64_t{-1}}, cat({{1, 0, 0, 0}, Bytes(8, 0xFF)}));
  golden(E{std::string("x")}, cat({{2, 0, 0, 0}, le64(1), {0x78}}));
}

TEST(BincodeSize, CompileTimeForFixedTypes) {
  static_assert(bc::size_of(Pair{}) == 8);
  static_assert(bc::is_fixed_size_v<Pair>);
  static_assert(bc::fixed_size_v<std::tuple<bool, std::uint64_t, Color>> == 13);
  static_assert(bc::fixed_size_v<std::array<Inner, 4>> == 12);
  static_assert(!bc::is_fixed_size_v<std::string>);
  static_assert(!bc::is_fixed_size_v<char32_t>);
  static_assert(bc::min_size_v<Outer> == 3 + 1 + 8);
  static_assert(bc::min_size_v<std::variant<std::uint64_t, std::monostate>> == 4);
  EXPECT_EQ(bc::size_of(std::string(100, 'x')), 108u);
  EXPECT_EQ(bc::size_of(std::vector<Pair>(10)), 88u);
  EXPECT_EQ(bc::size_of(U'\U0001F600'), 4u);
}

// ---------------------------------------------------------------------------------------------
// Writers

TEST(BincodeWriter, OverflowIsReportedAndNothingIsWrittenPast) {
  std::array<std::uint8_t, 12> buf;
  buf.fill(0xEE);
  const Outer v{{7, 0x0102}, true, "okay"};  // 16 bytes
  const auto r = bc::encode(std::span(buf.data(), 10), v);
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error, bc::Error::overflow);
  EXPECT_LE(r.size, 10u);
  EXPECT_EQ(buf[10], 0xEE);
  EXPECT_EQ(buf[11], 0xEE);

  bc::Writer w(buf.data(), 4);
  w.write(std::uint32_t{1});
  EXPECT_TRUE(w.ok());
  w.write(std::uint8_t{2});
  EXPECT_EQ(w.error(), bc::Error::overflow);
  w.write(std::uint8_t{3});  // sticky
  EXPECT_EQ(w.error(), bc::Error::overflow);
  EXPECT_EQ(w.size(), 4u);
}

TEST(BincodeWriter, ChainedWritesMatchStructEncoding) {
  std::array<std::uint8_t, 8> buf{};
  bc::Writer w(buf);
  w.write(std::int32_t{1}).write(std::int32_t{2});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(Bytes(w.written().begin(), w.written().end()), enc(Pair{1, 2}));
}

TEST(BincodeWriter, BufferWriterAppends) {
  Bytes out{0xAA};
  ASSERT_EQ(bc::encode_append(out, std::uint16_t{0x0102}), bc::Error::none);
  EXPECT_EQ(out, (Bytes{0xAA, 0x02, 0x01}));
}

TEST(BincodeWriter, RejectsValuesRustCannotRepresent) {
  Bytes out{0xAA};
  EXPECT_EQ(bc::encode_append(out, static_cast<char32_t>(0xD800)), bc::Error::invalid_char);
  EXPECT_EQ(bc::encode_append(out, static_cast<char32_t>(0x110000)), bc::Error::invalid_char);
  EXPECT_EQ(bc::encode_append(out, std::string("\xFF")), bc::Error::invalid_utf8);
  EXPECT_EQ(out, Bytes{0xAA});  // restored on error
  std::array<std::uint8_t, 16> buf{};
  EXPECT_EQ(bc::encode(buf, std::string("a\xC0\x80")).error, bc::Error::invalid_utf8);
}

// ---------------------------------------------------------------------------------------------
// Round trips of random values

namespace {

std::string random_utf8(std::mt19937_64& rng, std::size_t max_chars) {
  std::string s;
  const std::size_t n = rng() % (max_chars + 1);
  for (std::size_t i = 0; i < n; ++i) {
    char32_t c;
    switch (rng() % 4) {
      case 0: c = static_cast<char32_t>(rng() % 0x80); break;
      case 1: c = static_cast<char32_t>(0x80 + rng() % (0x800 - 0x80)); break;
      case 2: c = static_cast<char32_t>(0xE000 + rng() % 0x1000); break;
      default: c = static_cast<char32_t>(0x10000 + rng() % 0x100000); break;
    }
    Bytes b;
    EXPECT_EQ(bc::encode_append(b, c), bc::Error::none);
    s.append(b.begin(), b.end());
  }
  return s;
}

Everything random_everything(std::mt19937_64& rng) {
  Everything v;
  auto u = [&]() { return rng(); };
  v.flag = u() & 1;
  v.u8 = static_cast<std::uint8_t>(u());
  v.u16 = static_cast<std::uint16_t>(u());
  v.u32 = static_cast<std::uint32_t>(u());
  v.u64 = u();
  v.u128 = (static_cast<bc::u128>(u()) << 64) | u();
  v.i8 = static_cast<std::int8_t>(u());
  v.i16 = static_cast<std::int16_t>(u());
  v.i32 = static_cast<std::int32_t>(u());
  v.i64 = static_cast<std::int64_t>(u());
  v.i128 = static_cast<bc::i128>((static_cast<bc::u128>(u()) << 64) | u());
  v.f32 = std::uniform_real_distribution<float>(-1e6f, 1e6f)(rng);
  v.f64 = std::uniform_real_distribution<double>(-1e300, 1e300)(rng);
  const std::string one = random_utf8(rng, 1);
  v.ch = one.empty() ? U'z' : dec<char32_t>(Bytes(one.begin(), one.end()));
  v.text = random_utf8(rng, 20);
  v.bytes.resize(u() % 40);
  for (auto& b : v.bytes) b = static_cast<std::uint8_t>(u());
  v.words.resize(u() % 4);
  for (auto& w : v.words) w = random_utf8(rng, 5);
  if (u() & 1) v.maybe = Pair{static_cast<std::int32_t>(u()), static_cast<std::int32_t>(u())};
  v.color = static_cast<Color>(u() % 3);
  switch (u() % 3) {
    case 0: v.var = std::monostate{}; break;
    case 1: v.var = static_cast<std::int64_t>(u()); break;
    default: v.var = random_utf8(rng, 4); break;
  }
  for (std::size_t i = u() % 4; i > 0; --i) v.map[static_cast<std::uint32_t>(u())] = random_utf8(rng, 3);
  for (std::size_t i = u() % 4; i > 0; --i) v.set.insert(static_cast<std::int16_t>(u()));
  for (auto& a : v.arr) a = static_cast<std::uint16_t>(u());
  v.tuple = {static_cast<std::uint8_t>(u()), static_cast<double>(u() % 1000) / 8, U'\u00E9'};
  v.inners.resize(u() % 3);
  for (auto& in : v.inners) in = {static_cast<std::uint8_t>(u()), static_cast<std::uint16_t>(u())};
  v.bools.resize(u() % 5);
  for (std::size_t i = 0; i < v.bools.size(); ++i) v.bools[i] = u() & 1;
  return v;
}

}  // namespace

TEST(BincodeRoundTrip, RandomValues) {
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 500; ++i) {
    const Everything v = random_everything(rng);
    const Bytes b = enc(v);
    ASSERT_EQ(dec<Everything>(b), v) << "iteration " << i;
  }
}

TEST(BincodeRoundTrip, RandomScalars) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 2000; ++i) {
    const auto x = static_cast<std::int64_t>(rng());
    ASSERT_EQ(dec<std::int64_t>(enc(x)), x);
    const double d = std::bit_cast<double>(rng());
    const double back = dec<double>(enc(d));
    ASSERT_EQ(std::bit_cast<std::uint64_t>(back), std::bit_cast<std::uint64_t>(d));  // bit exact, NaNs too
    const Pair p{static_cast<std::int32_t>(rng()), static_cast<std::int32_t>(rng())};
    ASSERT_EQ(dec<Pair>(enc(p)), p);
  }
}

TEST(BincodeRoundTrip, EveryUnicodeScalarValue) {
  for (std::uint32_t c = 0; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::array<std::uint8_t, 4> buf{};
    const auto r = bc::encode(buf, static_cast<char32_t>(c));
    ASSERT_TRUE(r);
    char32_t back = 0;
    ASSERT_EQ(bc::decode_exact(std::span<const std::uint8_t>(buf.data(), r.size), back), bc::Error::none);
    ASSERT_EQ(static_cast<std::uint32_t>(back), c);
  }
}

// ---------------------------------------------------------------------------------------------
// Decode errors

TEST(BincodeDecodeErrors, TruncationAtEveryPrefix) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 40; ++i) {
    const Bytes full = enc(random_everything(rng));
    for (std::size_t n = 0; n < full.size(); ++n) {
      const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
      Everything v;
      const bc::Error e = bc::decode(prefix, v);
      ASSERT_TRUE(e == bc::Error::truncated || e == bc::Error::length_too_large)
          << "prefix " << n << " of " << full.size() << ": " << bc::to_string(e);
    }
  }
  const Bytes pair = enc(Pair{1, 2});
  for (std::size_t n = 0; n < pair.size(); ++n)
    EXPECT_EQ(dec_error<Pair>(Bytes(pair.begin(), pair.begin() + static_cast<std::ptrdiff_t>(n))),
              bc::Error::truncated);
}

TEST(BincodeDecodeErrors, BadBool) {
  EXPECT_EQ(dec_error<bool>({0x02}), bc::Error::invalid_bool);
  EXPECT_EQ(dec_error<bool>({0xFF}), bc::Error::invalid_bool);
  EXPECT_EQ(dec_error<std::vector<bool>>(cat({le64(2), {0x01, 0x05}})), bc::Error::invalid_bool);
  EXPECT_EQ(dec_error<Outer>({7, 2, 1, 0x02, 0, 0, 0, 0, 0, 0, 0, 0}), bc::Error::invalid_bool);
}

TEST(BincodeDecodeErrors, BadOptionTag) {
  EXPECT_EQ(dec_error<std::optional<std::uint8_t>>({0x02, 0x01}), bc::Error::invalid_tag);
  EXPECT_EQ(dec_error<std::optional<std::uint8_t>>({0xFF}), bc::Error::invalid_tag);
}

TEST(BincodeDecodeErrors, BadVariantIndex) {
  EXPECT_EQ(dec_error<Color>({0x03, 0, 0, 0}), bc::Error::invalid_variant);
  using E = std::variant<std::monostate, std::int64_t>;
  EXPECT_EQ(dec_error<E>({0x02, 0, 0, 0}), bc::Error::invalid_variant);
  EXPECT_EQ(dec_error<E>({0x00, 0, 0, 1}), bc::Error::invalid_variant);
}

TEST(BincodeDecodeErrors, HugeLengthPrefix) {
  std::vector<std::uint8_t> v;
  EXPECT_EQ(bc::decode(cat({le64(~0ull), {1, 2, 3}}), v), bc::Error::length_too_large);
  EXPECT_EQ(v.capacity(), 0u);  // nothing allocated for an impossible length
  std::string s;
  EXPECT_EQ(bc::decode(le64(1ull << 62), s), bc::Error::length_too_large);
  std::vector<std::string> words;
  EXPECT_EQ(bc::decode(cat({le64(1ull << 40), le64(0)}), words), bc::Error::length_too_large);
  EXPECT_EQ(words.capacity(), 0u);
  std::map<std::uint64_t, std::uint64_t> m;
  EXPECT_EQ(bc::decode(cat({le64(2), Bytes(16, 0)}), m), bc::Error::length_too_large);  // needs 32
  // Exactly as many bytes as the count needs is fine; one element more is not.
  EXPECT_EQ(dec_error<std::vector<std::uint32_t>>(cat({le64(2), Bytes(8, 0)})), bc::Error::none);
  EXPECT_EQ(dec_error<std::vector<std::uint32_t>>(cat({le64(3), Bytes(8, 0)})), bc::Error::length_too_large);
  // A count that fits by minimum size but not by the real sizes is a truncation.
  EXPECT_EQ(dec_error<std::vector<std::string>>(cat({le64(2), le64(5), Bytes(5, 0x61), Bytes(3, 0)})),
            bc::Error::truncated);
}

TEST(BincodeDecodeErrors, InvalidUtf8InStrings) {
  const std::vector<Bytes> bad = {
      {0xFF},                    // never valid
      {0x80},                    // stray continuation
      {0xC0, 0x80},              // overlong NUL
      {0xC1, 0xBF},              // overlong
      {0xE0, 0x80, 0x80},        // overlong 3-byte
      {0xED, 0xA0, 0x80},        // surrogate U+D800
      {0xF0, 0x80, 0x80, 0x80},  // overlong 4-byte
      {0xF4, 0x90, 0x80, 0x80},  // above U+10FFFF
      {0xE2, 0x82},              // sequence cut by the string's end
      {0x61, 0xC3},              // ditto after ASCII
      {0xE2, 0x28, 0xA1},        // bad continuation
  };
  for (const Bytes& payload : bad) {
    const Bytes in = cat({le64(payload.size()), payload});
    EXPECT_EQ(dec_error<std::string>(in), bc::Error::invalid_utf8) << "payload[0]=" << int(payload[0]);
    bc::Reader r(in);
    EXPECT_TRUE(r.read_str().empty());
    EXPECT_EQ(r.error(), bc::Error::invalid_utf8);
    // As raw bytes (Vec<u8>) the same input is fine.
    EXPECT_EQ(dec_error<std::vector<std::uint8_t>>(in), bc::Error::none);
  }
}

TEST(BincodeDecodeErrors, InvalidChar) {
  EXPECT_EQ(dec_error<char32_t>({0x80}), bc::Error::invalid_char);
  EXPECT_EQ(dec_error<char32_t>({0xC0, 0x80}), bc::Error::invalid_char);
  EXPECT_EQ(dec_error<char32_t>({0xED, 0xA0, 0x80}), bc::Error::invalid_char);
  EXPECT_EQ(dec_error<char32_t>({0xF4, 0x90, 0x80, 0x80}), bc::Error::invalid_char);
  EXPECT_EQ(dec_error<char32_t>({0xF8, 0x80, 0x80, 0x80}), bc::Error::invalid_char);
  EXPECT_EQ(dec_error<char32_t>({0xC3, 0x41}), bc::Error::invalid_char);
  EXPECT_EQ(dec_error<char32_t>({0xE2, 0x82}), bc::Error::truncated);
}

TEST(BincodeDecodeErrors, TrailingBytes) {
  const Bytes in = {0x01, 0x00, 0x00, 0x00, 0x02, 0, 0, 0, 0x99};
  Pair p;
  EXPECT_EQ(bc::decode(in, p), bc::Error::none);  // bincode::deserialize ignores the rest
  EXPECT_EQ(p, (Pair{1, 2}));
  EXPECT_EQ(bc::decode_exact(in, p), bc::Error::trailing_bytes);
}

TEST(BincodeDecodeErrors, ErrorsAreStickyAndKeepTheFirstCause) {
  const Bytes in = {0x02, 0x01, 0x02, 0x03, 0x04};
  bc::Reader r(in);
  EXPECT_FALSE(r.read<bool>());
  EXPECT_EQ(r.error(), bc::Error::invalid_bool);
  EXPECT_EQ(r.read<std::uint32_t>(), 0u);  // further reads fail and return zero
  EXPECT_EQ(r.error(), bc::Error::invalid_bool);
  EXPECT_EQ(r.remaining(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Borrowing reads and the UTF-8 validator

TEST(BincodeReader, BorrowedBytesAndStringsPointIntoTheInput) {
  const Bytes in = cat({le64(3), {1, 2, 3}, le64(2), {0x68, 0x69}});
  bc::Reader r(in);
  const auto bytes = r.read_bytes();
  const auto text = r.read_str();
  ASSERT_TRUE(r.expect_end());
  EXPECT_EQ(bytes.data(), in.data() + 8);
  EXPECT_EQ(bytes.size(), 3u);
  EXPECT_EQ(text, "hi");
  EXPECT_EQ(reinterpret_cast<const std::uint8_t*>(text.data()), in.data() + 19);

  std::span<const std::uint8_t> view;
  std::string_view sv;
  bc::Reader r2(in);
  r2.read(view);
  r2.read(sv);
  EXPECT_TRUE(r2.ok());
  EXPECT_EQ(view.data(), bytes.data());
  EXPECT_EQ(sv, "hi");
  EXPECT_EQ(r2.position(), in.size());
}

namespace {
// Independent reference: decode by bit patterns, then reject overlongs, surrogates, > U+10FFFF.
bool reference_utf8(const Bytes& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::uint8_t b = s[i];
    std::size_t n;
    std::uint32_t cp;
    if ((b & 0x80) == 0) { n = 1; cp = b; }
    else if ((b & 0xE0) == 0xC0) { n = 2; cp = b & 0x1F; }
    else if ((b & 0xF0) == 0xE0) { n = 3; cp = b & 0x0F; }
    else if ((b & 0xF8) == 0xF0) { n = 4; cp = b & 0x07; }
    else return false;
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}
}  // namespace

TEST(BincodeUtf8, MatchesReferenceOnAllShortSequences) {
  Bytes s;
  for (std::uint32_t x = 0; x < 0x100; ++x) {
    s = {static_cast<std::uint8_t>(x)};
    ASSERT_EQ(bc::is_valid_utf8(s.data(), s.size()), reference_utf8(s)) << std::hex << x;
  }
  for (std::uint32_t x = 0; x < 0x10000; ++x) {
    s = {static_cast<std::uint8_t>(x >> 8), static_cast<std::uint8_t>(x)};
    ASSERT_EQ(bc::is_valid_utf8(s.data(), s.size()), reference_utf8(s)) << std::hex << x;
  }
  for (std::uint32_t x = 0; x < 0x1000000; ++x) {
    s = {static_cast<std::uint8_t>(x >> 16), static_cast<std::uint8_t>(x >> 8), static_cast<std::uint8_t>(x)};
    ASSERT_EQ(bc::is_valid_utf8(s.data(), s.size()), reference_utf8(s)) << std::hex << x;
  }
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200000; ++i) {
    // 4-byte leads with random tails, and long mixed strings (exercises the ASCII fast path).
    s = {static_cast<std::uint8_t>(0xF0 + rng() % 8), static_cast<std::uint8_t>(rng()),
         static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng())};
    ASSERT_EQ(bc::is_valid_utf8(s.data(), s.size()), reference_utf8(s));
    s.assign(rng() % 40, 'a');
    if (!s.empty()) s[rng() % s.size()] = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(bc::is_valid_utf8(s.data(), s.size()), reference_utf8(s));
  }
}

// ---------------------------------------------------------------------------------------------
// User codecs

namespace {
struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};
}  // namespace

template <>
struct bc::codec<Rgb> {
  static constexpr std::size_t min_size = 3;
  static constexpr std::size_t fixed_size = 3;
  template <class W>
  static void write(W& w, const Rgb& c) {
    bc::write(w, std::array<std::uint8_t, 3>{c.r, c.g, c.b});
  }
  static void read(bc::Reader& r, Rgb& c) {
    std::array<std::uint8_t, 3> a{};
    bc::read(r, a);
    if (a[0] == 0xFF && a[1] == 0xFF && a[2] == 0xFF) r.fail(bc::Error::invalid_value);
    c = {a[0], a[1], a[2]};
  }
};

TEST(BincodeCodec, UserSpecialization) {
  static_assert(bc::size_of(Rgb{}) == 3);
  golden(Rgb{1, 2, 3}, {1, 2, 3});
  golden(std::vector<Rgb>{{4, 5, 6}}, cat({le64(1), {4, 5, 6}}));
  EXPECT_EQ(dec_error<Rgb>({0xFF, 0xFF, 0xFF}), bc::Error::invalid_value);
}
