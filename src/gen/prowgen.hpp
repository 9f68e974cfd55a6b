// ProWGen: Busari & Williamson's synthetic web-proxy workload generator (prowgen_spec.md, section A).
//
// generate() runs the original algorithm step by step: a Zipf popularity list and a lognormal-body /
// Pareto-tail size list, both resampled through their empirical CDFs to assemble the documents (with the
// requested size-popularity correlation), a rescale to the target request count, and a finite LRU stack
// (static or dynamic) that sequences the references. Faithful mode keeps the original's behaviour, with
// the request-count bookkeeping fixed (N_out = sum of frequencies) and a stable sort; exact-N mode is a
// flagged deviation that makes N_out = N.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::gen {

enum class StackModel : std::uint8_t {
  fixed,    // "static": position j is chosen with the fixed probability of the j-th most popular doc
  dynamic,  // position j is chosen with the probability of the doc that sits there
};
[[nodiscard]] std::string_view to_string(StackModel m) noexcept;

// Hard-coded caps of the original (stream.cc).
inline constexpr std::uint32_t kSizeCap = 50u * 1024 * 1024;  // tail sizes must be below this
inline constexpr std::uint32_t kHotSizeLimit = 10 * 1024;     // corr 0: a size >= this is redrawn...
inline constexpr std::uint32_t kHotFrequency = 100;           // ...when the doc's frequency is >= this

// Every ProWGen parameter; the defaults are the original's main.cc.
struct Config {
  std::uint64_t requests = 200'000;  // N, the target number of requests
  double distinct_percent = 30;      // D = floor(N * p / 100) distinct documents
  double one_timer_percent = 70;     // O = floor(D * p / 100) documents referenced once
  double zipf_slope = 0.75;          // beta
  double tail_index = 1.2;           // alpha of the Pareto tail
  double tail_percent = 20;          // T = floor(p * D / 100) documents in the tail
  double tail_start = 10'000;        // K, bytes: body sizes are < K, tail sizes >= K
  double lognormal_mean = 14'000;    // mean of the lognormal body variate
  double lognormal_sd = 22'000;      // standard deviation of the lognormal body variate
  int correlation = 0;               // size-popularity correlation: -1, 0 or +1
  std::uint32_t stack_size = 1000;   // M, the LRU stack's capacity
  StackModel stack_model = StackModel::fixed;
  std::uint64_t seed = 0;            // 0: the original's seeds {5,7,9} and {1,2,3}
  bool exact_n = false;              // deviation: spread N - N_out over the top docs so that N_out = N
};

// Rejects bad parameters with a message naming the parameter (and its CLI option) and the valid range.
[[nodiscard]] Status validate(const Config& config);

// The seeds of the three random streams (sizes, document assembly, sequencing) as erand48 states.
struct StreamSeeds {
  std::uint64_t sizes = 0;
  std::uint64_t assembly = 0;
  std::uint64_t sequencing = 0;
};
[[nodiscard]] StreamSeeds stream_seeds(std::uint64_t seed) noexcept;

// One point of an empirical CDF: a distinct value and the fraction of the list <= it.
struct CdfPoint {
  std::uint32_t value = 0;
  double cum = 0;
};
// Empirical CDF of an ascending list (step 3).
[[nodiscard]] std::vector<CdfPoint> empirical_cdf(const std::vector<std::uint32_t>& ascending);
// Step 3's FindValue: the smallest j with u <= cum_j, linearly interpolated (rounded up) between points.
[[nodiscard]] std::uint32_t find_value(const std::vector<CdfPoint>& cdf, double u) noexcept;

// The documents, ranked: id d is the d-th most popular (id 0 most popular).
struct Catalog {
  std::uint64_t target_requests = 0;         // N
  std::uint32_t distinct = 0;                // D
  std::uint32_t one_timers_target = 0;       // O
  std::vector<std::uint32_t> popularity_list;  // step 1, ascending, before resampling
  std::vector<std::uint32_t> size_list;        // step 2, ascending, before resampling
  std::vector<std::uint32_t> freq;             // f_d, descending
  std::vector<std::uint32_t> assembled_freq;   // f_d as drawn in step 4, before the step-5 rescale
  std::vector<std::uint32_t> size;             // s_d
  std::uint64_t total_requests = 0;            // N_out = sum of f_d (what will be emitted)
  std::uint64_t reference_requests = 0;        // what the original would have emitted (its bookkeeping bug)
  std::int64_t exact_n_adjustment = 0;         // references added (or removed) by exact-N mode
};

// Steps 1-5 (and exact-N mode). Fails on invalid parameters or a rejection loop that cannot finish.
[[nodiscard]] Result<Catalog> build_catalog(const Config& config);

// Step 6: the reference stream (document ids), each doc emitted exactly freq[d] times.
[[nodiscard]] Result<std::vector<std::uint32_t>> sequence(const Catalog& catalog, StackModel model,
                                                          std::uint32_t stack_size,
                                                          std::uint64_t sequencing_seed);

struct Workload {
  Config config;
  Catalog catalog;
  std::vector<std::uint32_t> requests;  // ids; the size of request i is catalog.size[requests[i]]
};

// Steps 1-7 with the configuration's seed.
[[nodiscard]] Result<Workload> generate(const Config& config);

// Presets: "paper" (the Wasmer paper's 1,000,000 requests to 30,000 objects). Applies the preset to every
// field whose name is not in `explicitly_set` (names as in Config, e.g. "requests").
[[nodiscard]] Status apply_preset(std::string_view name, Config& config,
                                  const std::vector<std::string>& explicitly_set = {});
// One paragraph per preset: the values it picks and why.
[[nodiscard]] std::string preset_help();

}  // namespace wasmhop::gen
