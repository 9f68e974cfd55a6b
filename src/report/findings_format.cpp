// How the report words numbers: times, ratios, sizes, rates, percentages, and the names of
// policies and micro-benchmark configurations.
#include <cctype>
#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "report/findings_helpers.hpp"

namespace wasmhop::report {

namespace findings_detail {

std::string config_words(const std::string& config) {
  static const std::map<std::string, std::string> names{
      {"pod-cached-static", "POD struct in a static buffer, exports cached"},
      {"pod-uncached-static", "POD struct in a static buffer, uncached"},
      {"pod-cached-dynamic", "POD struct in a fresh guest buffer per call, cached"},
      {"pod-uncached-dynamic", "POD struct in a fresh guest buffer per call, uncached"},
      {"bincode-cached", "Bincode, cached"},
      {"bincode-uncached", "Bincode, uncached"},
      {"flatbuffers-cached", "FlatBuffers, cached"},
  };
  auto it = names.find(config);
  return it == names.end() ? config : it->second;
}

// Bytes per second, readable.
std::string fmt_rate(double bps) {
  if (!std::isfinite(bps)) return "n/a";
  if (bps >= 1e9) return fmt::format("{:.1f} GB/s", bps / 1e9);
  if (bps >= 1e6) return fmt::format("{:.0f} MB/s", bps / 1e6);
  return fmt::format("{:.0f} kB/s", bps / 1e3);
}

// 100000 -> "100,000".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string policy_upper(const std::string& p) {
  if (p == "gds") return "GD-Size";
  if (p == "largest-first") return "largest-first";
  std::string out = p;
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace findings_detail

std::string fmt_ns(double ns) {
  if (!std::isfinite(ns)) return "n/a";
  if (ns < 10) return fmt::format("{:.2f} ns", ns);
  if (ns < 100) return fmt::format("{:.1f} ns", ns);
  if (ns < 10000) return fmt::format("{:.0f} ns", ns);
  return fmt::format("{:.1f} µs", ns / 1000);
}

std::string fmt_ratio(double r) {
  if (!std::isfinite(r)) return "n/a";
  if (r < 10) return fmt::format("{:.1f}×", r);
  return fmt::format("{:.0f}×", r);
}

std::string fmt_seconds(double s) {
  if (!std::isfinite(s)) return "n/a";
  if (s < 1e-3) return fmt::format("{:.0f} µs", s * 1e6);
  if (s < 1) return fmt::format("{:.1f} ms", s * 1e3);
  if (s < 120) return fmt::format("{:.2f} s", s);
  return fmt::format("{:.0f} min {:02.0f} s", std::floor(s / 60), std::fmod(s, 60));
}

std::string fmt_bytes(std::uint64_t b) {
  const std::pair<const char*, std::uint64_t> units[] = {{"GiB", 1ull << 30}, {"MiB", 1ull << 20}, {"KiB", 1ull << 10}};
  for (auto [u, k] : units) {
    if (b >= k && b % k == 0) return fmt::format("{} {}", b / k, u);
  }
  for (auto [u, k] : units) {
    if (b >= k) return fmt::format("{:.1f} {}", double(b) / double(k), u);
  }
  return fmt::format("{} B", b);
}

std::string fmt_pct(double f, int decimals) { return fmt::format("{:.{}f}%", 100.0 * f, decimals); }

}  // namespace wasmhop::report
