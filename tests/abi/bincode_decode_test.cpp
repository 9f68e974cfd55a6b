// Bincode 1.x codec: every decode error (truncation at each prefix, bad bool / tag / variant / UTF-8 /
// char, length prefixes the input cannot hold, trailing bytes), borrowing reads, the UTF-8 validator
// against an independent reference, and user codecs (golden bytes and round trips: bincode_test.cpp).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "abi/bincode_test_values.hpp"

using namespace bincode_test;

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
