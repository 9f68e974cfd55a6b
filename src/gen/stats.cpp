#include "gen/stats.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "gen/rng.hpp"

namespace wasmhop::gen {
namespace {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double normal_quantile(double p) {
  // Bisection on the CDF: slow but exact enough (1e-12) for a validation statistic.
  double lo = -40;
  double hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (normal_cdf(mid) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double zipf_slope(std::vector<std::uint32_t> freq, std::size_t ranks) {
  std::sort(freq.begin(), freq.end(), std::greater<>());
  if (ranks == 0) ranks = (freq.size() + 99) / 100;
  ranks = std::min(ranks, freq.size());
  if (ranks < 2) return std::numeric_limits<double>::quiet_NaN();
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t r = 0; r < ranks; ++r) {
    const double x = std::log10(static_cast<double>(r + 1));
    const double y = std::log10(std::max<double>(freq[r], 1));
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double n = static_cast<double>(ranks);
  return -(n * sxy - sx * sy) / (n * sxx - sx * sx);
}

double tail_index_mle(std::span<const std::uint32_t> sizes, double k) {
  double sum = 0;
  std::size_t n = 0;
  for (std::uint32_t s : sizes) {
    if (s >= k) {
      sum += std::log(s / k);
      ++n;
    }
  }
  return sum > 0 ? static_cast<double>(n) / sum : std::numeric_limits<double>::quiet_NaN();
}

double tail_index_hill(std::vector<std::uint32_t> sizes, std::size_t k) {
  if (k == 0 || k >= sizes.size()) return std::numeric_limits<double>::quiet_NaN();
  std::nth_element(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(k), sizes.end(), std::greater<>());
  const double threshold = std::max<double>(sizes[k], 1);
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) sum += std::log(std::max<double>(sizes[i], 1) / threshold);
  return sum > 0 ? static_cast<double>(k) / sum : std::numeric_limits<double>::quiet_NaN();
}

double log_correlation(std::span<const std::uint32_t> freq, std::span<const std::uint32_t> size) {
  const std::size_t n = std::min(freq.size(), size.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += std::log(std::max<double>(freq[i], 1));
    my += std::log(std::max<double>(size[i], 1));
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = std::log(std::max<double>(freq[i], 1)) - mx;
    const double y = std::log(std::max<double>(size[i], 1)) - my;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  return sxy / std::sqrt(sxx * syy);
}

double body_median(std::span<const std::uint32_t> sizes, double k) {
  std::vector<std::uint32_t> body;
  for (std::uint32_t s : sizes) {
    if (s < k) body.push_back(s);
  }
  if (body.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto mid = body.begin() + static_cast<std::ptrdiff_t>(body.size() / 2);
  std::nth_element(body.begin(), mid, body.end());
  return *mid;
}

double expected_body_median(double mean, double sd, double k) {
  const double m2 = mean * mean;
  const double mu = std::log(m2 / std::sqrt(sd * sd + m2));
  const double sigma = std::sqrt(std::log(1 + sd * sd / m2));
  const double p = normal_cdf((std::log(k) - mu) / sigma) / 2;
  return std::exp(mu + sigma * normal_quantile(p));
}

std::vector<std::uint32_t> count_references(std::span<const std::uint32_t> requests, std::uint32_t distinct) {
  std::vector<std::uint32_t> c(distinct, 0);
  for (std::uint32_t id : requests) {
    if (id < distinct) ++c[id];
  }
  return c;
}

double lru_hit_fraction(std::span<const std::uint32_t> requests, std::uint32_t distinct,
                        std::uint32_t capacity) {
  // Intrusive doubly-linked list over dense ids; head = most recent.
  constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  std::vector<std::uint32_t> prev(distinct, kNone), next(distinct, kNone);
  std::vector<char> in(distinct, 0);
  std::uint32_t head = kNone, tail = kNone, size = 0;
  std::uint64_t hits = 0;
  auto unlink = [&](std::uint32_t x) {
    if (prev[x] != kNone) next[prev[x]] = next[x]; else head = next[x];
    if (next[x] != kNone) prev[next[x]] = prev[x]; else tail = prev[x];
  };
  auto push_front = [&](std::uint32_t x) {
    prev[x] = kNone;
    next[x] = head;
    if (head != kNone) prev[head] = x;
    head = x;
    if (tail == kNone) tail = x;
  };
  for (std::uint32_t id : requests) {
    if (in[id]) {
      ++hits;
      unlink(id);
      push_front(id);
      continue;
    }
    if (size == capacity) {
      const std::uint32_t victim = tail;
      unlink(victim);
      in[victim] = 0;
      --size;
    }
    push_front(id);
    in[id] = 1;
    ++size;
  }
  return requests.empty() ? 0.0 : static_cast<double>(hits) / static_cast<double>(requests.size());
}

double median_reuse_gap(std::span<const std::uint32_t> requests, std::uint32_t distinct) {
  std::vector<std::uint64_t> last(distinct, std::numeric_limits<std::uint64_t>::max());
  std::vector<std::uint64_t> gaps;
  for (std::uint64_t i = 0; i < requests.size(); ++i) {
    const std::uint32_t id = requests[i];
    if (last[id] != std::numeric_limits<std::uint64_t>::max()) gaps.push_back(i - last[id]);
    last[id] = i;
  }
  if (gaps.empty()) return std::numeric_limits<double>::quiet_NaN();
  const auto mid = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2);
  std::nth_element(gaps.begin(), mid, gaps.end());
  return static_cast<double>(*mid);
}

double last_first_reference(std::span<const std::uint32_t> requests, std::uint32_t distinct) {
  std::vector<char> seen(distinct, 0);
  std::uint64_t last = 0;
  for (std::uint64_t i = 0; i < requests.size(); ++i) {
    if (!seen[requests[i]]) {
      seen[requests[i]] = 1;
      last = i;
    }
  }
  return requests.empty() ? 0.0 : static_cast<double>(last) / static_cast<double>(requests.size());
}

std::vector<double> first_reference_share_by_decile(std::span<const std::uint32_t> requests,
                                                    std::uint32_t distinct) {
  std::vector<char> seen(distinct, 0);
  std::vector<double> firsts(10, 0), all(10, 0);
  const double n = static_cast<double>(requests.size());
  for (std::uint64_t i = 0; i < requests.size(); ++i) {
    const auto dec = std::min<std::size_t>(9, static_cast<std::size_t>(static_cast<double>(i) * 10 / n));
    all[dec] += 1;
    if (!seen[requests[i]]) {
      seen[requests[i]] = 1;
      firsts[dec] += 1;
    }
  }
  for (std::size_t i = 0; i < 10; ++i) firsts[i] = all[i] > 0 ? firsts[i] / all[i] : 0;
  return firsts;
}

std::vector<std::uint32_t> shuffled(std::span<const std::uint32_t> requests, std::uint64_t seed) {
  std::vector<std::uint32_t> v(requests.begin(), requests.end());
  Erand48 rng(splitmix64(seed) & kMask48);
  for (std::size_t i = v.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(mul_shift48_floor(rng.next_bits(), i));
    std::swap(v[i - 1], v[j]);
  }
  return v;
}

Summary summarize(const Workload& w) {
  Summary s;
  const Catalog& c = w.catalog;
  s.requests = w.requests.size();
  s.target_requests = c.target_requests;
  for (std::size_t d = 0; d < c.freq.size(); ++d) {
    if (c.freq[d] > 0) ++s.distinct;
    if (c.freq[d] == 1) ++s.one_timers;
    s.unique_bytes += c.size[d];
    s.total_bytes += std::uint64_t{c.size[d]} * c.freq[d];
  }
  s.zipf_slope = zipf_slope(c.freq);
  s.tail_index = tail_index_mle(c.size, w.config.tail_start);
  return s;
}

}  // namespace wasmhop::gen
