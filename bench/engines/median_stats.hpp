// Medians of per-repetition timings, and a distribution-free 95 % interval of the median.
#pragma once

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace wasmhop::bench {

// A distribution-free 95% confidence interval of the median: order statistics (j, k) of the
// sorted sample with P(X_(j) <= median <= X_(k)) >= 0.95 under Binomial(n, 1/2); the whole range
// when n is too small for 95%.
inline std::pair<double, double> median_ci95(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const int n = static_cast<int>(v.size());
  std::vector<double> pmf(n + 1);
  for (int i = 0; i <= n; ++i) pmf[i] = std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) - n * std::log(2.0));
  int j = 0;  // widen symmetric ranks from the middle until the coverage reaches 95%
  for (int lo = n / 2; lo >= 0; --lo) {
    double cover = 0;
    for (int i = lo + 1; i <= n - lo - 1; ++i) cover += pmf[i];  // lo < #below-median <= n-lo-1
    if (cover >= 0.95) { j = lo; break; }
  }
  return {v[j], v[n - 1 - j]};
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace wasmhop::bench
