// ProWGen steps 1 and 2: the popularity list and the size list (see prowgen_spec.md).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "gen/prowgen_internal.hpp"
#include "gen/rng.hpp"

namespace wasmhop::gen::detail {

std::vector<std::uint32_t> popularity_list(const Config& c, std::uint64_t n, std::uint32_t d,
                                           std::uint32_t o) {
  const std::uint32_t ranked = d - o;
  const double k = det_pow(static_cast<double>(d - o / 2), c.zipf_slope);
  std::vector<double> f(ranked);
  double sum = 0;  // exact while below 2^53, and deterministic beyond
  for (std::uint32_t r = 1; r <= ranked; ++r) {
    double v = std::floor(k / det_pow(static_cast<double>(r), c.zipf_slope));
    if (v < 2) v = 2;  // no one-timers among the ranked documents
    f[r - 1] = v;
    sum += v;
  }
  const double target = static_cast<double>(n) - static_cast<double>(o);
  if (ranked > 0 && sum != target) {
    const double scale = target / sum;
    for (double& v : f) v = std::max(2.0, std::floor(v * scale));
  }
  std::vector<std::uint32_t> out;
  out.reserve(d);
  for (double v : f) out.push_back(static_cast<std::uint32_t>(std::min(v, 4294967295.0)));
  out.insert(out.end(), o, 1u);
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::uint32_t>> size_list(const Config& c, std::uint32_t d, std::uint64_t seed) {
  const auto tail = static_cast<std::uint32_t>(tail_of(c, d));
  const std::uint32_t body = d - tail;
  const Lognormal ln = lognormal_params(c.lognormal_mean, c.lognormal_sd);
  Erand48 rng(seed);
  std::vector<std::uint32_t> out;
  out.reserve(d);

  // Marsaglia's polar method, both variates used in turn (the second even if the first was rejected).
  bool have_second = false;
  double second = 0;
  std::uint64_t tries = 0;
  const std::uint64_t max_tries = kTriesPerValue * body + 1'000'000;
  while (out.size() < body) {
    double z = 0;
    if (have_second) {
      z = second;
      have_second = false;
    } else {
      double v1 = 0;
      double v2 = 0;
      double w = 2;
      while (w > 1 || w == 0) {  // w == 0 (probability 2^-96) would divide by zero
        v1 = 2 * rng.next() - 1;
        v2 = 2 * rng.next() - 1;
        w = v1 * v1 + v2 * v2;
      }
      const double y = std::sqrt(-2 * det_log(w) / w);
      z = v1 * y;
      second = v2 * y;
      have_second = true;
    }
    const double s = std::floor(det_exp(ln.mu + ln.sigma * z));  // the original truncates, then compares
    if (s < c.tail_start) out.push_back(static_cast<std::uint32_t>(s));
    if (++tries > max_tries) {
      return fail(ErrorKind::resource_limit,
                  fmt::format("gen: the lognormal body (--lognormal-mean {}, --lognormal-sd {}) fell below "
                              "--tail-start {} only {} times in {} draws",
                              c.lognormal_mean, c.lognormal_sd, c.tail_start, out.size(), tries));
    }
  }

  const double inv_alpha = 1.0 / c.tail_index;
  tries = 0;
  const std::uint64_t max_tail_tries = kTriesPerValue * tail + 1'000'000;
  while (out.size() < d) {
    const double u = rng.next();
    if (u == 0) continue;  // U in (0, 1]; the original's 0 gave +inf, which its cap rejected too
    const double s = c.tail_start / det_pow(u, inv_alpha);
    if (s < static_cast<double>(kSizeCap)) out.push_back(static_cast<std::uint32_t>(s));
    if (++tries > max_tail_tries) {
      return fail(ErrorKind::resource_limit,
                  fmt::format("gen: the Pareto tail (--tail-index {}, --tail-start {}) fell below the "
                              "{}-byte cap only {} times in {} draws",
                              c.tail_index, c.tail_start, kSizeCap, out.size() - body, tries));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace wasmhop::gen::detail
