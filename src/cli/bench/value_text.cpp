#include "cli/bench/value_text.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace wasmhop::cli::bench {
namespace {

// An integer as [-]digits or [-]0x hexdigits, whole text, no spaces. `magnitude` gets the absolute value.
bool parse_integer(const std::string& text, bool& negative, std::uint64_t& magnitude) {
  std::string_view s = text;
  negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
  return ec == std::errc() && end == s.data() + s.size();
}

bool parse_float(const std::string& text, double& out) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();  // overflow to inf is fine: wasm has inf
}

}  // namespace

Result<RawVal> parse_value(const std::string& text, ValType type, std::size_t index) {
  auto bad = [&] {
    return fail(ErrorKind::invalid_argument,
                fmt::format("argument {} '{}' is not a valid {}", index + 1, text, to_string(type)));
  };
  RawVal v{};
  v.bits = 0;
  bool negative = false;
  std::uint64_t m = 0;
  double d = 0;
  switch (type) {
    case ValType::i32:
      if (!parse_integer(text, negative, m) || (negative ? m > 0x80000000ull : m > 0xffffffffull)) return bad();
      v.i32 = static_cast<std::int32_t>(static_cast<std::uint32_t>(negative ? 0 - m : m));
      break;
    case ValType::i64:
      if (!parse_integer(text, negative, m) || (negative && m > 0x8000000000000000ull)) return bad();
      v.i64 = static_cast<std::int64_t>(negative ? 0 - m : m);
      break;
    case ValType::f32:
      if (!parse_float(text, d)) return bad();
      v.f32 = static_cast<float>(d);
      break;
    case ValType::f64:
      if (!parse_float(text, d)) return bad();
      v.f64 = d;
      break;
  }
  return v;
}

std::uint64_t width_mask(ValType type) noexcept {
  return type == ValType::i32 || type == ValType::f32 ? 0xffffffffull : ~0ull;
}

std::uint64_t value_bits(RawVal v, ValType type) noexcept {
  switch (type) {
    case ValType::i32: return static_cast<std::uint32_t>(v.i32);
    case ValType::i64: return static_cast<std::uint64_t>(v.i64);
    case ValType::f32: return std::bit_cast<std::uint32_t>(v.f32);
    case ValType::f64: return std::bit_cast<std::uint64_t>(v.f64);
  }
  return 0;
}

bool same_value(std::uint64_t a, std::uint64_t b, ValType type) noexcept {
  if (type == ValType::f32) {
    const float x = std::bit_cast<float>(static_cast<std::uint32_t>(a));
    const float y = std::bit_cast<float>(static_cast<std::uint32_t>(b));
    if (std::isnan(x) && std::isnan(y)) return true;
  } else if (type == ValType::f64) {
    if (std::isnan(std::bit_cast<double>(a)) && std::isnan(std::bit_cast<double>(b))) return true;
  }
  return (a & width_mask(type)) == (b & width_mask(type));
}

std::string format_bits(std::uint64_t bits, ValType type) {
  switch (type) {
    case ValType::i32: return fmt::format("{}", static_cast<std::int32_t>(static_cast<std::uint32_t>(bits)));
    case ValType::i64: return fmt::format("{}", static_cast<std::int64_t>(bits));
    case ValType::f32: return fmt::format("{}", std::bit_cast<float>(static_cast<std::uint32_t>(bits)));
    case ValType::f64: return fmt::format("{}", std::bit_cast<double>(bits));
  }
  return "?";
}

}  // namespace wasmhop::cli::bench
