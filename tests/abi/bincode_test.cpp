// Bincode 1.x codec: byte vectors written by hand from the specification, the writers, and round
// trips of random values (decode errors: bincode_decode_test.cpp).
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

#include "abi/bincode_test_values.hpp"

using namespace bincode_test;

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
