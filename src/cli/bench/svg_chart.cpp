#include "cli/bench/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <fmt/format.h>

#include "cli/bench/bench_report.hpp"
#include "report/report_doc.hpp"  // html_escape

namespace wasmhop::cli::bench {
namespace {

constexpr double kWidth = 900, kLeft = 170, kRight = 150, kTop = 48, kBar = 14, kGap = 10;
constexpr const char* kColors[] = {"#3b6fb6", "#e08a2c", "#4f9d69", "#a05195"};

// The value -> x mapping and its tick values.
struct Axis {
  bool log = false;
  double lo = 0, hi = 1;
  [[nodiscard]] double x(double v) const {
    const double t = log ? (std::log10(std::max(v, lo)) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
                         : (v - lo) / (hi - lo);
    return kLeft + std::clamp(t, 0.0, 1.0) * (kWidth - kLeft - kRight);
  }
  [[nodiscard]] std::vector<double> ticks() const {
    std::vector<double> t;
    if (log) {
      for (double v = lo; v <= hi * 1.0001; v *= 10) t.push_back(v);
    } else {
      const double step = std::pow(10.0, std::floor(std::log10(hi / 4)));
      const double nice = hi / step > 8 ? step * 2 : step;
      for (double v = 0; v <= hi * 1.0001; v += nice) t.push_back(v);
    }
    return t;
  }
};

Axis make_axis(const BarChart& c) {
  double mn = std::numeric_limits<double>::infinity(), mx = 0;
  for (const auto& g : c.groups) {
    for (const auto& b : g.bars) {
      for (double v : {b.value, b.low.value_or(b.value), b.high.value_or(b.value)}) {
        if (std::isfinite(v) && v > 0) mn = std::min(mn, v), mx = std::max(mx, v);
      }
    }
  }
  Axis a;
  if (!(mx > 0)) return a;
  a.log = mx / mn > 20;
  if (a.log) {
    a.lo = std::pow(10.0, std::floor(std::log10(mn)));
    a.hi = std::pow(10.0, std::ceil(std::log10(mx)));
  } else {
    a.hi = mx * 1.05;
  }
  return a;
}

std::string bar_svg(const Axis& axis, const BarValue& b, double y, const char* color, const std::string& unit) {
  if (!std::isfinite(b.value)) {
    return fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"v\">-</text>\n", kLeft + 4, y + kBar - 3);
  }
  const double x0 = axis.x(axis.log ? axis.lo : 0), x1 = std::max(axis.x(b.value), x0 + 1);
  std::string s = fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>\n", x0,
                              y, x1 - x0, kBar, color);
  double end = x1;
  std::string label = short_number(b.value) + " " + unit;
  if (b.low && b.high) {
    const double lo = axis.x(*b.low), hi = axis.x(*b.high), mid = y + kBar / 2;
    s += fmt::format("<path d=\"M{0:.1f} {1:.1f}H{2:.1f}M{0:.1f} {3:.1f}V{4:.1f}M{2:.1f} {3:.1f}V{4:.1f}\" "
                     "class=\"w\"/>\n", lo, mid, hi, y + 2, y + kBar - 2);
    end = std::max(end, hi);
    label += fmt::format(" [{}, {}]", short_number(*b.low), short_number(*b.high));
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"v\">{}</text>\n", end + 4, y + kBar - 3,
                   report::html_escape(label));
  return s;
}

}  // namespace

std::string render_svg(const BarChart& c) {
  const Axis axis = make_axis(c);
  const std::size_t n = std::max<std::size_t>(c.series.size(), 1);
  const double group_h = static_cast<double>(n) * kBar + kGap;
  const double height = kTop + static_cast<double>(c.groups.size()) * group_h + 10;
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1:.0f}\" viewBox=\"0 0 {0} {1:.0f}\" "
      "role=\"img\" aria-label=\"{2}\">\n<style>text{{font:12px sans-serif;fill:#222}} .v{{font-size:11px}} "
      ".t{{font-weight:bold;font-size:13px}} .g{{stroke:#ddd}} .w{{stroke:#111;stroke-width:1.2;fill:none}}"
      "</style>\n<text x=\"4\" y=\"16\" class=\"t\">{2}</text>\n",
      kWidth, height, report::html_escape(c.title));
  for (double t : axis.ticks()) {
    const double x = axis.x(t);
    s += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.0f}\" class=\"g\"/>"
                     "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\" class=\"v\">{4}</text>\n",
                     x, kTop - 6, height - 10, kTop - 10, report::html_escape(short_number(t)));
  }
  if (c.series.size() > 1) {
    for (std::size_t i = 0; i < c.series.size(); ++i) {
      const double x = kWidth - kRight - 160.0 * static_cast<double>(c.series.size() - i) + 160;
      s += fmt::format("<rect x=\"{:.0f}\" y=\"6\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.0f}\" "
                       "y=\"15\">{}</text>\n", x, kColors[i % 4], x + 14, report::html_escape(c.series[i]));
    }
  }
  for (std::size_t g = 0; g < c.groups.size(); ++g) {
    const double y = kTop + static_cast<double>(g) * group_h;
    s += fmt::format("<text x=\"{:.0f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 6,
                     y + static_cast<double>(n) * kBar / 2 + 4, report::html_escape(c.groups[g].label));
    for (std::size_t i = 0; i < c.groups[g].bars.size(); ++i) {
      s += bar_svg(axis, c.groups[g].bars[i], y + static_cast<double>(i) * kBar, kColors[i % 4], c.unit);
    }
  }
  return s + "</svg>\n";
}

}  // namespace wasmhop::cli::bench
