// Statistics of a generated workload: the quantities of prowgen_spec.md section B, used by the CLI summary,
// the unit tests and the validation program.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gen/prowgen.hpp"

namespace wasmhop::gen {

// Zipf slope: minus the OLS slope of log10 f on log10 rank over the top `ranks` ranks (f sorted
// descending). ranks = 0 means ceil(D / 100), the spec's choice.
[[nodiscard]] double zipf_slope(std::vector<std::uint32_t> freq, std::size_t ranks = 0);

// Pareto tail index, maximum likelihood over the sizes >= k: n / sum ln(s / k).
[[nodiscard]] double tail_index_mle(std::span<const std::uint32_t> sizes, double k);
// Hill estimator over the k largest sizes (threshold: the (k+1)-th largest).
[[nodiscard]] double tail_index_hill(std::vector<std::uint32_t> sizes, std::size_t k);

// Pearson correlation of log f and log max(s, 1).
[[nodiscard]] double log_correlation(std::span<const std::uint32_t> freq, std::span<const std::uint32_t> size);

// Median of the body sizes (< k), and the spec's expected value for it:
// e^(mu + sigma * Phi^-1(Phi((ln k - mu) / sigma) / 2)) for the lognormal with that mean and sd.
[[nodiscard]] double body_median(std::span<const std::uint32_t> sizes, double k);
[[nodiscard]] double expected_body_median(double mean, double sd, double k);

// Per-document counts of a reference stream over ids 0..distinct-1.
[[nodiscard]] std::vector<std::uint32_t> count_references(std::span<const std::uint32_t> requests,
                                                          std::uint32_t distinct);

// Fraction of references that hit in an LRU cache holding `capacity` objects.
[[nodiscard]] double lru_hit_fraction(std::span<const std::uint32_t> requests, std::uint32_t distinct,
                                      std::uint32_t capacity);
// Median distance (in references) between consecutive references to the same document.
[[nodiscard]] double median_reuse_gap(std::span<const std::uint32_t> requests, std::uint32_t distinct);
// Position (fraction of the stream) of the last first reference.
[[nodiscard]] double last_first_reference(std::span<const std::uint32_t> requests, std::uint32_t distinct);
// Share of references in each tenth of the stream that are first references.
[[nodiscard]] std::vector<double> first_reference_share_by_decile(std::span<const std::uint32_t> requests,
                                                                  std::uint32_t distinct);
// Fisher-Yates shuffle with the generator's PRNG (the "shuffled" baseline of test B.7).
[[nodiscard]] std::vector<std::uint32_t> shuffled(std::span<const std::uint32_t> requests, std::uint64_t seed);

struct Summary {
  std::uint64_t requests = 0;
  std::uint64_t target_requests = 0;
  std::uint32_t distinct = 0;
  std::uint32_t one_timers = 0;
  std::uint64_t unique_bytes = 0;
  std::uint64_t total_bytes = 0;
  double zipf_slope = 0;  // fitted on the emitted frequencies, top ceil(D/100) ranks
  double tail_index = 0;  // MLE over sizes >= tail start
};
// From the catalog (each document is emitted exactly freq[d] times).
[[nodiscard]] Summary summarize(const Workload& w);

}  // namespace wasmhop::gen
