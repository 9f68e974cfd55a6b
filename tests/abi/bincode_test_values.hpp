// The values and helpers both Bincode test files use (bincode_test.cpp: golden bytes, writers, round
// trips; bincode_decode_test.cpp: decode errors, the reader, UTF-8, user codecs): structs that cover
// every rule, encode / decode helpers that cross-check the writers, and random values.
#pragma once

#include <wasmhop/abi/bincode.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace bincode_test {

namespace bc = wasmhop::bincode;
using Bytes = std::vector<std::uint8_t>;

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

inline Bytes le64(std::uint64_t n) {
  Bytes b;
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  return b;
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline std::string random_utf8(std::mt19937_64& rng, std::size_t max_chars) {
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

inline Everything random_everything(std::mt19937_64& rng) {
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

}  // namespace bincode_test

template <>
inline constexpr std::uint32_t wasmhop::bincode::variant_count_v<bincode_test::Color> = 3;
