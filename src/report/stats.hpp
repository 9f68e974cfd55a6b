// Statistics computed from raw records (run/micro_record.hpp).
//
//   Summary s = wasmhop::report::summarize(values);          // n, mean, sd, median, min, max, 95% CI
//   std::vector<GroupSummary> g = wasmhop::report::summarize_micro(records);   // one per group
//
// summarize():
//   mean     arithmetic mean
//   sd       sample standard deviation (divisor n - 1)
//   median   middle value (n odd) or the mean of the two middle values (n even)
//   ci_low / ci_high   confidence interval of the mean (default 95%), Student's t with n - 1 degrees of
//            freedom: mean -/+ t(1 - alpha/2, n - 1) * sd / sqrt(n); ci_half_width = t * sd / sqrt(n);
//            t_quantile is the t value used (boost::math::students_t).
//   n == 0   every statistic is NaN.
//   n == 1   degenerate: sd = 0 (no spread can be observed), ci_low = ci_high = mean, ci_half_width = 0 and
//            t_quantile = NaN (the t distribution with 0 degrees of freedom does not exist, so the true interval
//            is unbounded). has_ci() is false: consumers that must distinguish "no spread" from "no data on
//            spread" check n or has_ci().
//   Non-finite input values propagate (NaN in, NaN out); the summarizer does not drop them.
//
// summarize_micro(): records are grouped by (experiment, host_build, engine, config, batch_size,
// payload_bytes) — the sweep keys are absent for Table 1 records — and each group gets a Summary of
//   ns_per_call, loop_s (seconds per replication of `calls` calls, the paper's unit), compile_s,
//   instantiate_s and including_compile_s = loop_s + compile_s + instantiate_s (the paper's Figure 5); and, so
//   that the plots only draw (tools/plot_micro.py computes nothing), per record:
//     s_per_100k_calls              ns_per_call * 1e-4: seconds per 100,000 calls at any `calls`
//                                   (the paper's Figures 3/4 unit; a --quick run plots on the same scale)
//     including_compile_s_per_100k  s_per_100k_calls + compile_s + instantiate_s (Figure 5 at any `calls`)
//     ns_per_record                 ns_per_call / batch_size (batch sweep only; n = 0 elsewhere)
//   and from the group's ns_per_call: bytes_per_call (payload_bytes, or batch_size records of
//   kBatchRecordBytes) and the throughput bytes_per_call / ns_per_call with the CI mapped through 1/x.
// Groups come out sorted by experiment, host_build, engine, config_index, config, batch_size, payload_bytes.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "run/micro_record.hpp"

namespace wasmhop::report {

// The summaries are made from the run layer's typed records.
using run::MicroRecord;

struct Summary {
  std::size_t n = 0;
  double mean = 0.0;
  double sd = 0.0;
  double median = 0.0;
  double min = 0.0;
  double max = 0.0;
  double confidence = 0.95;   // level of the interval below
  double t_quantile = 0.0;    // t(1 - (1 - confidence)/2, n - 1); NaN when n < 2
  double ci_low = 0.0;
  double ci_high = 0.0;
  double ci_half_width = 0.0;

  [[nodiscard]] bool has_ci() const noexcept { return n >= 2; }
};

// Summary statistics of `values` (any order; not modified). `confidence` in (0, 1), else treated as 0.95.
[[nodiscard]] Summary summarize(std::span<const double> values, double confidence = 0.95);

// The two-sided Student's t quantile t(1 - (1 - confidence)/2, df); NaN when df < 1.
[[nodiscard]] double student_t_quantile(double confidence, double df);

// Median of `values` (NaN when empty).
[[nodiscard]] double median(std::span<const double> values);

// A distribution-free confidence interval of the median from order statistics: the sorted sample's
// (j+1)-th smallest and (j+1)-th largest values, with the largest j whose coverage under
// Binomial(n, 1/2) is still >= `confidence`. No assumption about the distribution's shape (timings
// are skewed). Too few values for that coverage (n < 6 at 95%): the whole range, reached_confidence
// false. Empty input: NaN bounds.
struct MedianCi {
  double low = 0.0;
  double high = 0.0;
  double coverage = 0.0;          // the interval's exact coverage probability
  bool reached_confidence = false;
};
[[nodiscard]] MedianCi median_ci(std::span<const double> values, double confidence = 0.95);

struct GroupKey {
  std::string experiment;
  std::string host_build;
  std::string engine;
  int config_index = 0;  // sorts the configurations in Table 1 order; derived from config
  std::string config;
  std::optional<std::uint64_t> batch_size;
  std::optional<std::uint64_t> payload_bytes;

  friend bool operator==(const GroupKey&, const GroupKey&) = default;
  friend std::strong_ordering operator<=>(const GroupKey&, const GroupKey&) = default;
};

[[nodiscard]] GroupKey group_key(const MicroRecord& r);

// Bytes one record of the batch ABI carries (a PairPod: two i32); places a batch call on a bytes axis.
inline constexpr std::uint64_t kBatchRecordBytes = 8;

// A rate derived from a time Summary: value / mean time, and the time's CI mapped through 1/x (so the
// interval is asymmetric). NaN where the time bound is not positive (no finite rate bound).
struct Rate {
  double mean = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
};
[[nodiscard]] Rate rate(double amount, const Summary& time);

struct GroupSummary {
  GroupKey key;
  // Descriptive fields, taken from the group's first record.
  std::string engine_name;
  std::string engine_version;
  std::string tier;
  std::string abi;
  bool cached = false;
  std::string loading;
  std::optional<bool> srs;
  std::string memory;
  std::uint64_t calls = 0;     // calls per replication; 0 if the group's records disagree
  std::size_t runs = 0;        // distinct run ids in the group
  Summary ns_per_call;
  Summary loop_s;
  Summary compile_s;
  Summary instantiate_s;
  Summary including_compile_s;
  Summary s_per_100k_calls;
  Summary including_compile_s_per_100k;
  Summary ns_per_record;                        // n = 0 outside the batch sweep
  std::optional<std::uint64_t> bytes_per_call;  // payload / batch groups only
  Rate bytes_per_s;                             // NaN without bytes_per_call
};

[[nodiscard]] std::vector<GroupSummary> summarize_micro(std::span<const MicroRecord> records,
                                                        double confidence = 0.95);

}  // namespace wasmhop::report
