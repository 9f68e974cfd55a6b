// ProWGen's configuration checks: every parameter in range, and no rejection loop that would
// (almost) never finish.
#include <cmath>

#include <fmt/format.h>

#include "gen/prowgen_internal.hpp"

namespace wasmhop::gen {

using namespace detail;  // the parameters and their limits

namespace {

// Each parameter within its documented range.
Status check_ranges(const Config& c) {
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
  return {};
}

// Rejection loops that would (almost) never finish: too few draws land below their bound.
Status check_acceptance(const Config& c) {
  const std::uint64_t d = distinct_of(c);
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

}  // namespace

Status validate(const Config& c) {
  if (auto st = check_ranges(c); !st) return st;
  return check_acceptance(c);
}

}  // namespace wasmhop::gen
