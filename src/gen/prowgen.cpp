#include "gen/prowgen.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "gen/detmath.hpp"
#include "gen/lru_stack.hpp"
#include "gen/rng.hpp"

namespace wasmhop::gen {
namespace {

constexpr std::uint64_t kMaxRequests = 0xFFFFFFFFull;  // ids, counts and oracleGeneral times are 32-bit
constexpr std::uint32_t kMaxStack = 1u << 24;
constexpr double kMaxZipfSlope = 3;
constexpr double kMinTailIndex = 0.05;
constexpr double kMaxTailIndex = 10;
constexpr double kMaxLognormal = 1e9;
constexpr double kMinAcceptance = 1e-3;  // rejection loops that would accept less often are refused
// Backstop for the rejection loops: give up after this many tries per accepted value (plus a constant).
constexpr std::uint64_t kTriesPerValue = 10'000;

std::uint64_t distinct_of(const Config& c) {
  return static_cast<std::uint64_t>(std::floor(static_cast<double>(c.requests) * c.distinct_percent / 100.0));
}
std::uint64_t one_timers_of(const Config& c, std::uint64_t d) {
  return static_cast<std::uint64_t>(std::floor(static_cast<double>(d) * c.one_timer_percent / 100.0));
}
std::uint64_t tail_of(const Config& c, std::uint64_t d) {
  return static_cast<std::uint64_t>(std::floor(c.tail_percent * static_cast<double>(d) / 100.0));
}

struct Lognormal {
  double mu = 0;
  double sigma = 0;
};
Lognormal lognormal_params(double mean, double sd) {
  const double m2 = mean * mean;
  const double v = sd * sd;
  return {det_log(m2 / std::sqrt(v + m2)), std::sqrt(det_log((v + m2) / m2))};
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

tl::unexpected<Error> bad(std::string message) {
  return fail(ErrorKind::invalid_argument, std::move(message));
}

// Sorts documents by frequency, descending, keeping draw order among ties; `along` moves with them.
void sort_docs_descending(std::vector<std::uint32_t>& freq, std::vector<std::uint32_t>& size,
                          std::vector<std::uint32_t>* along = nullptr) {
  std::vector<std::uint32_t> order(freq.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return freq[a] > freq[b]; });
  auto permute = [&](std::vector<std::uint32_t>& v) {
    std::vector<std::uint32_t> tmp(v.size());
    for (std::size_t i = 0; i < order.size(); ++i) tmp[i] = v[order[i]];
    v = std::move(tmp);
  };
  permute(freq);
  permute(size);
  if (along != nullptr) permute(*along);
}

// Step 1: the Zipf popularity list, ascending.
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

// Step 2: lognormal body below K, Pareto tail from K below the 50 MiB cap, ascending.
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

}  // namespace

std::string_view to_string(StackModel m) noexcept {
  return m == StackModel::fixed ? "static" : "dynamic";
}

Status validate(const Config& c) {
  if (c.requests < 1 || c.requests > kMaxRequests) {
    return bad(fmt::format("gen: requests (--requests) must be in [1, {}], got {}", kMaxRequests, c.requests));
  }
  if (!(c.distinct_percent > 0 && c.distinct_percent <= 100)) {
    return bad(fmt::format("gen: distinct percent (--distinct-percent) must be in (0, 100], got {}",
                           c.distinct_percent));
  }
  const std::uint64_t d = distinct_of(c);
  if (d < 1) {
    return bad(fmt::format("gen: distinct objects floor(requests * distinct-percent / 100) is 0 for "
                           "--requests {} and --distinct-percent {}; it must be >= 1",
                           c.requests, c.distinct_percent));
  }
  if (!(c.one_timer_percent >= 0 && c.one_timer_percent <= 100)) {
    return bad(fmt::format("gen: one-timer percent (--one-timer-percent) must be in [0, 100], got {}",
                           c.one_timer_percent));
  }
  if (!(c.zipf_slope >= 0 && c.zipf_slope <= kMaxZipfSlope)) {
    return bad(fmt::format("gen: Zipf slope (--zipf-slope) must be in [0, {}], got {}", kMaxZipfSlope,
                           c.zipf_slope));
  }
  if (!(c.tail_index >= kMinTailIndex && c.tail_index <= kMaxTailIndex)) {
    return bad(fmt::format("gen: Pareto tail index (--tail-index) must be in [{}, {}], got {}",
                           kMinTailIndex, kMaxTailIndex, c.tail_index));
  }
  if (!(c.tail_percent >= 0 && c.tail_percent <= 100)) {
    return bad(fmt::format("gen: tail percent (--tail-percent) must be in [0, 100], got {}", c.tail_percent));
  }
  if (!(c.tail_start >= 1 && c.tail_start < static_cast<double>(kSizeCap))) {
    return bad(fmt::format("gen: tail start (--tail-start) must be in [1, {}) bytes (below the 50 MiB size "
                           "cap), got {}",
                           kSizeCap, c.tail_start));
  }
  if (!(c.lognormal_mean > 0 && c.lognormal_mean <= kMaxLognormal)) {
    return bad(fmt::format("gen: lognormal mean (--lognormal-mean) must be in (0, {:g}], got {}", kMaxLognormal,
                           c.lognormal_mean));
  }
  if (!(c.lognormal_sd >= 0 && c.lognormal_sd <= kMaxLognormal)) {
    return bad(fmt::format("gen: lognormal standard deviation (--lognormal-sd) must be in [0, {:g}], got {}",
                           kMaxLognormal, c.lognormal_sd));
  }
  if (c.correlation < -1 || c.correlation > 1) {
    return bad(fmt::format("gen: correlation (--correlation) must be -1, 0 or 1, got {}", c.correlation));
  }
  if (c.stack_size < 1 || c.stack_size > kMaxStack) {
    return bad(fmt::format("gen: stack size (--stack-size) must be in [1, {}], got {}", kMaxStack,
                           c.stack_size));
  }
  // Rejection loops that would (almost) never finish.
  const std::uint64_t tail = tail_of(c, d);
  if (tail < d) {
    const Lognormal ln = lognormal_params(c.lognormal_mean, c.lognormal_sd);
    const double accept = ln.sigma > 0 ? normal_cdf((std::log(c.tail_start) - ln.mu) / ln.sigma)
                                       : (std::exp(ln.mu) < c.tail_start ? 1.0 : 0.0);
    if (accept < kMinAcceptance) {
      return bad(fmt::format("gen: with --lognormal-mean {} and --lognormal-sd {} only {:.3g} of body sizes "
                             "fall below --tail-start {}; it must be at least {} (raise --tail-start or "
                             "lower the mean)",
                             c.lognormal_mean, c.lognormal_sd, accept, c.tail_start, kMinAcceptance));
    }
  }
  if (tail > 0) {
    const double accept = 1 - std::pow(c.tail_start / kSizeCap, c.tail_index);
    if (accept < kMinAcceptance) {
      return bad(fmt::format("gen: with --tail-start {} and --tail-index {} only {:.3g} of tail sizes fall "
                             "below the {}-byte cap; it must be at least {}",
                             c.tail_start, c.tail_index, accept, kSizeCap, kMinAcceptance));
    }
  }
  return {};
}

StreamSeeds stream_seeds(std::uint64_t seed) noexcept {
  if (seed == 0) {
    // The original: {5,7,9} for the sizes and again for the assembly, {1,2,3} for the sequencing.
    const std::uint64_t a = Erand48(std::array<std::uint16_t, 3>{5, 7, 9}).state();
    const std::uint64_t b = Erand48(std::array<std::uint16_t, 3>{1, 2, 3}).state();
    return {a, a, b};
  }
  const std::uint64_t a = splitmix64(seed) & kMask48;
  const std::uint64_t b = splitmix64(splitmix64(seed)) & kMask48;
  return {a, a, b};  // the original restarts the same stream for sizes and assembly; so do we
}

std::vector<CdfPoint> empirical_cdf(const std::vector<std::uint32_t>& v) {
  std::vector<CdfPoint> out;
  const double n = static_cast<double>(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i + 1 == v.size() || v[i + 1] != v[i]) {
      out.push_back({v[i], static_cast<double>(i + 1) / n});
    }
  }
  return out;
}

std::uint32_t find_value(const std::vector<CdfPoint>& cdf, double u) noexcept {
  auto it = std::lower_bound(cdf.begin(), cdf.end(), u,
                             [](const CdfPoint& p, double x) { return p.cum < x; });
  if (it == cdf.end()) --it;  // u > 1 cannot happen; be safe
  if (it == cdf.begin() || u == it->cum) return it->value;
  const CdfPoint& lo = *(it - 1);
  const double span = static_cast<double>(it->value - lo.value);
  const double v = std::ceil((u - lo.cum) * span / (it->cum - lo.cum) + static_cast<double>(lo.value));
  return static_cast<std::uint32_t>(v);
}

Result<Catalog> build_catalog(const Config& c) {
  if (auto ok = validate(c); !ok) return tl::unexpected(ok.error());
  Catalog cat;
  cat.target_requests = c.requests;
  cat.distinct = static_cast<std::uint32_t>(distinct_of(c));
  cat.one_timers_target = static_cast<std::uint32_t>(one_timers_of(c, cat.distinct));
  const std::uint32_t d = cat.distinct;
  const std::uint32_t o = cat.one_timers_target;
  const StreamSeeds seeds = stream_seeds(c.seed);

  // Steps 1-3.
  cat.popularity_list = popularity_list(c, c.requests, d, o);
  auto sizes = size_list(c, d, seeds.sizes);
  if (!sizes) return tl::unexpected(sizes.error());
  cat.size_list = std::move(*sizes);
  const std::vector<CdfPoint> pop_cdf = empirical_cdf(cat.popularity_list);
  const std::vector<CdfPoint> size_cdf = empirical_cdf(cat.size_list);

  // Step 4: both attributes resampled through the CDFs.
  Erand48 rng(seeds.assembly);
  cat.freq.resize(d);
  cat.size.resize(d);
  std::uint64_t total = 0;
  if (c.correlation == 0) {
    for (std::uint32_t i = 0; i < d; ++i) {
      cat.freq[i] = find_value(pop_cdf, rng.next());
      total += cat.freq[i];
    }
    for (std::uint32_t i = 0; i < d; ++i) {
      std::uint64_t tries = 0;
      for (;;) {
        const std::uint32_t s = find_value(size_cdf, rng.next());
        if (s < kHotSizeLimit || cat.freq[i] < kHotFrequency) {
          cat.size[i] = s;
          break;
        }
        if (++tries > 1'000'000) {
          return fail(ErrorKind::resource_limit,
                      fmt::format("gen: no size below {} bytes for a document with frequency {} after {} "
                                  "draws (correlation 0 forbids bigger ones); lower --tail-start or "
                                  "--lognormal-mean",
                                  kHotSizeLimit, cat.freq[i], tries));
        }
      }
    }
  } else {
    for (std::uint32_t i = 0; i < d; ++i) {
      const double u = rng.next();
      cat.freq[i] = find_value(pop_cdf, u);
      cat.size[i] = find_value(size_cdf, c.correlation > 0 ? u : 1 - u);
      total += cat.freq[i];
    }
  }

  // Step 5: rank by popularity (stable) and rescale the ranked documents towards N.
  sort_docs_descending(cat.freq, cat.size);
  cat.assembled_freq = cat.freq;
  cat.reference_requests = total;
  if (total != c.requests && d > o) {
    const double scale = static_cast<double>(c.requests - o) / static_cast<double>(total - o);
    std::uint64_t reference = o;  // the original assumes the last O documents are one-timers
    for (std::uint32_t i = 0; i < d - o; ++i) {
      const double v = std::floor(static_cast<double>(cat.freq[i]) * scale);
      reference += static_cast<std::uint64_t>(v);
      cat.freq[i] = static_cast<std::uint32_t>(std::clamp(v, 2.0, 4294967295.0));
    }
    cat.reference_requests = reference;
  }
  cat.total_requests = std::accumulate(cat.freq.begin(), cat.freq.end(), std::uint64_t{0});

  if (c.exact_n && cat.total_requests != c.requests) {
    // Deviation: one reference at a time over the top-ranked documents, round robin.
    const std::uint32_t span = d > o ? d - o : d;
    const std::uint32_t floor_f = d > o ? 2 : 1;
    std::int64_t diff = static_cast<std::int64_t>(c.requests) - static_cast<std::int64_t>(cat.total_requests);
    cat.exact_n_adjustment = diff;
    if (diff > 0) {
      const auto rounds = static_cast<std::uint64_t>(diff) / span;
      const auto rest = static_cast<std::uint64_t>(diff) % span;
      for (std::uint32_t i = 0; i < span; ++i) {
        cat.freq[i] += static_cast<std::uint32_t>(rounds + (i < rest ? 1 : 0));
      }
    } else {
      std::uint64_t spare = 0;
      for (std::uint32_t i = 0; i < span; ++i) spare += cat.freq[i] - floor_f;
      if (spare < static_cast<std::uint64_t>(-diff)) {
        return bad(fmt::format("gen: --exact-n cannot reach {} requests: the smallest possible total for "
                               "these documents is {}",
                               c.requests, cat.total_requests - spare));
      }
      while (diff < 0) {
        for (std::uint32_t i = 0; i < span && diff < 0; ++i) {
          if (cat.freq[i] > floor_f) {
            --cat.freq[i];
            ++diff;
          }
        }
      }
      sort_docs_descending(cat.freq, cat.size, &cat.assembled_freq);
    }
    cat.total_requests = c.requests;
  }
  return cat;
}

Result<std::vector<std::uint32_t>> sequence(const Catalog& cat, StackModel model, std::uint32_t stack_size,
                                            std::uint64_t sequencing_seed) {
  const auto d = static_cast<std::uint32_t>(cat.freq.size());
  if (stack_size < 1) return bad("gen: stack size (--stack-size) must be >= 1, got 0");
  if (cat.size.size() != d) return fail(ErrorKind::internal, "gen: catalog freq/size lengths differ");
  const std::uint64_t n_out = std::accumulate(cat.freq.begin(), cat.freq.end(), std::uint64_t{0});
  if (n_out >= (std::uint64_t{1} << 38)) {
    return fail(ErrorKind::resource_limit, fmt::format("gen: {} requests is too many to sequence", n_out));
  }
  std::vector<std::uint32_t> out;
  if (d == 0) return out;
  out.reserve(n_out);

  const std::uint32_t cap = std::min(stack_size, d);
  const bool fixed = model == StackModel::fixed;
  LruStack stack(cap, !fixed);
  // Static model: cumulative weight of positions 0..j is that of the j+1 most popular documents.
  std::vector<std::uint64_t> fixed_cum;
  if (fixed) {
    fixed_cum.resize(cap);
    std::uint64_t s = 0;
    for (std::uint32_t j = 0; j < cap; ++j) fixed_cum[j] = s += cat.freq[j];
  }

  std::vector<std::uint32_t> remaining(cat.freq);
  std::vector<std::uint32_t> pool(d);  // R: documents neither exhausted nor on the stack
  std::iota(pool.begin(), pool.end(), 0u);
  Erand48 rng(sequencing_seed);

  // u <= C_j with C_j = F_j / N_out (F_j an integer cumulative frequency) is decided exactly:
  // X / 2^48 <= F_j / W  <=>  F_j >= ceil(X * W / 2^48), with W = N_out, or the stack's total when the
  // pool is empty (the original then scales u by C_last so the draw always lands on the stack).
  while (out.size() < n_out) {
    const std::uint64_t x = rng.next_bits();
    const std::uint32_t n = stack.size();
    if (n > 0) {
      const std::uint64_t on_stack = fixed ? fixed_cum[n - 1] : stack.total_weight();
      const std::uint64_t scale = pool.empty() ? on_stack : n_out;
      const std::uint64_t t = std::max<std::uint64_t>(1, mul_shift48_ceil(x, scale));
      if (t <= on_stack) {
        std::uint32_t slot = 0;
        if (fixed) {
          const auto j = static_cast<std::uint32_t>(
              std::lower_bound(fixed_cum.begin(), fixed_cum.begin() + n, t) - fixed_cum.begin());
          slot = stack.slot_at_position(j);
        } else {
          slot = stack.slot_by_weight(t);
        }
        const std::uint32_t doc = stack.doc_at_slot(slot);
        out.push_back(doc);
        stack.remove(slot);
        if (--remaining[doc] > 0) stack.push_top(doc, cat.freq[doc]);
        continue;
      }
    }
    if (pool.empty()) {
      return fail(ErrorKind::internal, "gen: sequencing ran out of documents before N_out references");
    }
    const auto i = static_cast<std::size_t>(mul_shift48_floor(rng.next_bits(), pool.size()));
    const std::uint32_t doc = pool[i];
    out.push_back(doc);
    pool[i] = pool.back();
    pool.pop_back();
    if (--remaining[doc] > 0) {
      if (stack.full()) {
        const std::uint32_t bottom = stack.bottom_slot();
        pool.push_back(stack.doc_at_slot(bottom));
        stack.remove(bottom);
      }
      stack.push_top(doc, cat.freq[doc]);
    }
  }
  return out;
}

Result<Workload> generate(const Config& config) {
  auto cat = build_catalog(config);
  if (!cat) return tl::unexpected(cat.error());
  auto reqs = sequence(*cat, config.stack_model, config.stack_size, stream_seeds(config.seed).sequencing);
  if (!reqs) return tl::unexpected(reqs.error());
  Workload w;
  w.config = config;
  w.catalog = std::move(*cat);
  w.requests = std::move(*reqs);
  return w;
}

Status apply_preset(std::string_view name, Config& c, const std::vector<std::string>& explicitly_set) {
  auto is_set = [&](std::string_view field) {
    return std::find(explicitly_set.begin(), explicitly_set.end(), field) != explicitly_set.end();
  };
  if (name == "paper") {
    const Config defaults;
    auto put = [&](std::string_view field, auto& member, auto value) {
      if (!is_set(field)) member = value;
    };
    put("requests", c.requests, std::uint64_t{1'000'000});
    put("distinct_percent", c.distinct_percent, 3.0);  // 30,000 distinct objects
    put("exact_n", c.exact_n, true);
    // Everything else: the original's main.cc defaults.
    put("one_timer_percent", c.one_timer_percent, defaults.one_timer_percent);
    put("zipf_slope", c.zipf_slope, defaults.zipf_slope);
    put("tail_index", c.tail_index, defaults.tail_index);
    put("tail_percent", c.tail_percent, defaults.tail_percent);
    put("tail_start", c.tail_start, defaults.tail_start);
    put("lognormal_mean", c.lognormal_mean, defaults.lognormal_mean);
    put("lognormal_sd", c.lognormal_sd, defaults.lognormal_sd);
    put("correlation", c.correlation, defaults.correlation);
    put("stack_size", c.stack_size, defaults.stack_size);
    put("stack_model", c.stack_model, defaults.stack_model);
    return {};
  }
  return bad(fmt::format("gen: unknown preset (--preset) '{}'; valid: paper", name));
}

std::string preset_help() {
  return "paper: the Wasmer paper's workload, \"1 million requests generated to 30,000 objects\": "
         "--requests 1000000 --distinct-percent 3 (D = 30,000) --exact-n (the paper states exactly "
         "1,000,000 requests; faithful ProWGen emits a few percent fewer, so the shortfall is spread one "
         "reference at a time over the top-ranked objects; pass --exact-n=false for the faithful count). "
         "The paper gives no other parameter, so the rest are the original ProWGen main.cc defaults: "
         "70% one-timers, Zipf slope 0.75, tail index 1.2, 20% of objects in the tail from 10,000 bytes, "
         "lognormal body mean 14,000 / sd 22,000, correlation 0, static LRU stack of 1,000, seed 0 (the "
         "original's seeds). Options given explicitly override the preset.";
}

}  // namespace wasmhop::gen
