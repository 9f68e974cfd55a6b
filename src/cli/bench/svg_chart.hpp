// Horizontal bar charts as inline SVG, drawn here (no script, no library, no network): one group of
// bars per engine, optional whiskers (a confidence interval), every bar labelled with its value.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace wasmhop::cli::bench {

struct BarValue {
  double value = 0;
  std::optional<double> low, high;  // whisker
};

struct BarGroup {
  std::string label;            // the engine
  std::vector<BarValue> bars;   // one per series (a missing value: NaN, drawn as "-")
};

struct BarChart {
  std::string title;
  std::string unit;                        // printed after each value ("ns", "ms")
  std::vector<std::string> series;         // legend; one entry: no legend
  std::vector<BarGroup> groups;
};

// The chart as an <svg> element. The axis is logarithmic when the values span more than 20x (an
// interpreter beside a JIT), linear otherwise; bars start at the axis' left end.
[[nodiscard]] std::string render_svg(const BarChart& chart);


}  // namespace wasmhop::cli::bench
