#include "gen/prowgen.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "gen/detmath.hpp"
#include "gen/lru_stack.hpp"
#include "gen/prowgen_internal.hpp"
#include "gen/rng.hpp"

namespace wasmhop::gen {

using namespace detail;  // the parameters, their limits, steps 1-2

namespace {

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

}  // namespace

std::string_view to_string(StackModel m) noexcept {
  return m == StackModel::fixed ? "static" : "dynamic";
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

namespace {

// Step 4: each document's frequency and size resampled through the two CDFs; returns the total.
Result<std::uint64_t> assemble(const Config& c, const std::vector<CdfPoint>& pop_cdf,
                               const std::vector<CdfPoint>& size_cdf, Erand48& rng, Catalog& cat) {
  const std::uint32_t d = cat.distinct;
  cat.freq.resize(d);
  cat.size.resize(d);
  std::uint64_t total = 0;
  if (c.correlation != 0) {
    for (std::uint32_t i = 0; i < d; ++i) {
      const double u = rng.next();
      cat.freq[i] = find_value(pop_cdf, u);
      cat.size[i] = find_value(size_cdf, c.correlation > 0 ? u : 1 - u);
      total += cat.freq[i];
    }
    return total;
  }
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
  return total;
}

// Step 5: rank by popularity (stable) and rescale the ranked documents towards N.
void rank_and_rescale(const Config& c, std::uint64_t total, Catalog& cat) {
  const std::uint32_t d = cat.distinct;
  const std::uint32_t o = cat.one_timers_target;
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
}

// Deviation (--exact-n): one reference at a time over the top-ranked documents, round robin.
Status adjust_to_exact_n(const Config& c, Catalog& cat) {
  const std::uint32_t d = cat.distinct;
  const std::uint32_t o = cat.one_timers_target;
  const std::uint32_t span = d > o ? d - o : d;
  const std::uint32_t floor_f = d > o ? 2 : 1;
  std::int64_t diff = static_cast<std::int64_t>(c.requests) - static_cast<std::int64_t>(cat.total_requests);
  cat.exact_n_adjustment = diff;
  if (diff > 0) {
    const auto rounds = static_cast<std::uint64_t>(diff) / span;
    const auto rest = static_cast<std::uint64_t>(diff) % span;
    for (std::uint32_t i = 0; i < span; ++i) cat.freq[i] += static_cast<std::uint32_t>(rounds + (i < rest ? 1 : 0));
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
  return {};
}

}  // namespace

Result<Catalog> build_catalog(const Config& c) {
  if (auto ok = validate(c); !ok) return tl::unexpected(ok.error());
  Catalog cat;
  cat.target_requests = c.requests;
  cat.distinct = static_cast<std::uint32_t>(distinct_of(c));
  cat.one_timers_target = static_cast<std::uint32_t>(one_timers_of(c, cat.distinct));
  const StreamSeeds seeds = stream_seeds(c.seed);

  // Steps 1-3.
  cat.popularity_list = popularity_list(c, c.requests, cat.distinct, cat.one_timers_target);
  auto sizes = size_list(c, cat.distinct, seeds.sizes);
  if (!sizes) return tl::unexpected(sizes.error());
  cat.size_list = std::move(*sizes);
  const std::vector<CdfPoint> pop_cdf = empirical_cdf(cat.popularity_list);
  const std::vector<CdfPoint> size_cdf = empirical_cdf(cat.size_list);

  Erand48 rng(seeds.assembly);
  auto total = assemble(c, pop_cdf, size_cdf, rng, cat);
  if (!total) return tl::unexpected(total.error());
  rank_and_rescale(c, *total, cat);
  if (c.exact_n && cat.total_requests != c.requests) {
    if (auto st = adjust_to_exact_n(c, cat); !st) return tl::unexpected(st.error());
  }
  return cat;
}

namespace {

// The number of references to sequence (the catalog's total frequency), once the inputs are checked.
Result<std::uint64_t> references_to_sequence(const Catalog& cat, std::uint32_t stack_size) {
  const auto d = static_cast<std::uint32_t>(cat.freq.size());
  if (stack_size < 1) return bad("gen: stack size (--stack-size) must be >= 1, got 0");
  if (cat.size.size() != d) return fail(ErrorKind::internal, "gen: catalog freq/size lengths differ");
  const std::uint64_t n_out = std::accumulate(cat.freq.begin(), cat.freq.end(), std::uint64_t{0});
  if (n_out >= (std::uint64_t{1} << 38)) {
    return fail(ErrorKind::resource_limit, fmt::format("gen: {} requests is too many to sequence", n_out));
  }
  return n_out;
}

// Static model: cumulative weight of positions 0..j is that of the j+1 most popular documents.
std::vector<std::uint64_t> fixed_cumulative(const Catalog& cat, std::uint32_t cap) {
  std::vector<std::uint64_t> fixed_cum(cap);
  std::uint64_t s = 0;
  for (std::uint32_t j = 0; j < cap; ++j) fixed_cum[j] = s += cat.freq[j];
  return fixed_cum;
}

}  // namespace

// Its loop is the original's draw order, each step moving the RNG or the stack: kept in one piece.
Result<std::vector<std::uint32_t>> sequence(const Catalog& cat, StackModel model, std::uint32_t stack_size,
                                            std::uint64_t sequencing_seed) {
  const auto n_references = references_to_sequence(cat, stack_size);
  if (!n_references) return tl::unexpected(n_references.error());
  const std::uint64_t n_out = *n_references;
  const auto d = static_cast<std::uint32_t>(cat.freq.size());
  std::vector<std::uint32_t> out;
  if (d == 0) return out;
  out.reserve(n_out);

  const std::uint32_t cap = std::min(stack_size, d);
  const bool fixed = model == StackModel::fixed;
  LruStack stack(cap, !fixed);
  const std::vector<std::uint64_t> fixed_cum = fixed ? fixed_cumulative(cat, cap) : std::vector<std::uint64_t>{};

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
