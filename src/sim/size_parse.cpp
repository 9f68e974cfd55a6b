#include "sim/size_parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

namespace wasmhop::sim {
namespace {

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

constexpr std::array<Unit, 10> kUnits{{
    {"b", 1},
    {"kib", 1ull << 10}, {"mib", 1ull << 20}, {"gib", 1ull << 30}, {"tib", 1ull << 40},
    {"kb", 1000ull}, {"mb", 1000000ull}, {"gb", 1000000000ull}, {"tb", 1000000000000ull},
    {"", 1},
}};

constexpr std::string_view kUnitHelp = "units: B, KiB, MiB, GiB, TiB (binary) or KB, MB, GB, TB (decimal)";

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

tl::unexpected<Error> bad(std::string_view text, std::string_view why) {
  return fail(ErrorKind::invalid_argument, fmt::format("bad size '{}': {}", text, why));
}

}  // namespace

Result<std::uint64_t> parse_size(std::string_view original) {
  std::string_view text = trim(original);
  if (text.empty()) return bad(original, "empty");
  std::size_t i = 0;
  std::uint64_t whole = 0;
  std::size_t digits = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
    std::uint64_t d = static_cast<std::uint64_t>(text[i] - '0');
    if (whole > (UINT64_MAX - d) / 10) return bad(original, "too large");
    whole = whole * 10 + d;
  }
  // Optional fraction, kept as numerator / 10^k (at most 9 digits).
  std::uint64_t frac = 0, scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
      if (scale >= 1000000000ull) return bad(original, "too many decimals");
      frac = frac * 10 + static_cast<std::uint64_t>(text[i] - '0');
      scale *= 10;
    }
  }
  if (digits == 0) {
    if (!text.empty() && text.front() == '-') return bad(original, "negative");
    return bad(original, fmt::format("expected a number with an optional unit ({})", kUnitHelp));
  }
  std::string unit;
  for (char c : trim(text.substr(i))) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = std::find_if(kUnits.begin(), kUnits.end(), [&](const Unit& u) { return u.name == unit; });
  if (it == kUnits.end()) {
    if (unit == "k" || unit == "m" || unit == "g" || unit == "t")
      return bad(original, fmt::format("ambiguous unit; write {0}iB (binary) or {0}B (decimal)",
                                       static_cast<char>(std::toupper(static_cast<unsigned char>(unit[0])))));
    return bad(original, fmt::format("unknown unit '{}' ({})", trim(text.substr(i)), kUnitHelp));
  }
  std::uint64_t factor = it->factor;
  if (whole != 0 && factor > UINT64_MAX / whole) return bad(original, "too large");
  std::uint64_t bytes = whole * factor;
  if (frac != 0) {
    // frac * factor / scale must be a whole number of bytes; factor <= 2^40 and frac < 10^9 fit 128 bits.
    unsigned __int128 part = static_cast<unsigned __int128>(frac) * factor;
    if (part % scale != 0) return bad(original, "not a whole number of bytes");
    std::uint64_t add = static_cast<std::uint64_t>(part / scale);
    if (bytes > UINT64_MAX - add) return bad(original, "too large");
    bytes += add;
  }
  return bytes;
}

Result<std::vector<std::uint64_t>> parse_size_list(std::string_view text) {
  std::vector<std::uint64_t> sizes;
  auto add = [&](std::uint64_t s) {
    if (std::find(sizes.begin(), sizes.end(), s) == sizes.end()) sizes.push_back(s);
  };
  if (trim(text).empty()) return fail(ErrorKind::invalid_argument, "empty list of sizes");
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = text.find(',', start);
    std::string_view item = trim(text.substr(start, comma == text.npos ? text.npos : comma - start));
    std::size_t colon = item.find(':');
    if (colon == std::string_view::npos) {
      auto s = parse_size(item);
      if (!s) return tl::unexpected(s.error());
      if (*s == 0) return bad(item, "a cache size must be positive");
      add(*s);
    } else {
      auto from = parse_size(item.substr(0, colon));
      if (!from) return tl::unexpected(from.error());
      auto to = parse_size(item.substr(colon + 1));
      if (!to) return tl::unexpected(to.error());
      if (*from == 0) return bad(item, "a doubling range must start above 0");
      if (*from > *to) return bad(item, "range start is above its end");
      for (std::uint64_t s = *from; s <= *to; s *= 2) {
        add(s);
        if (s > UINT64_MAX / 2) break;
      }
    }
    if (comma == text.npos) break;
    start = comma + 1;
  }
  return sizes;
}

std::string format_size(std::uint64_t bytes) {
  constexpr std::array<std::pair<std::uint64_t, std::string_view>, 4> units{
      {{1ull << 40, "TiB"}, {1ull << 30, "GiB"}, {1ull << 20, "MiB"}, {1ull << 10, "KiB"}}};
  for (auto [factor, name] : units)
    if (bytes >= factor && bytes % factor == 0) return fmt::format("{} {}", bytes / factor, name);
  return fmt::format("{} B", bytes);
}

}  // namespace wasmhop::sim
