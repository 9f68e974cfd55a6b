// ProWGen's parameters and catalog steps shared by prowgen.cpp, prowgen_lists.cpp and
// prowgen_validate.cpp (not part of the generator's interface: that is prowgen.hpp).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gen/detmath.hpp"
#include "gen/prowgen.hpp"

namespace wasmhop::gen::detail {

inline constexpr std::uint64_t kMaxRequests = 0xFFFFFFFFull;  // ids, counts and oracleGeneral times are 32-bit
inline constexpr std::uint32_t kMaxStack = 1u << 24;
inline constexpr double kMaxZipfSlope = 3;
inline constexpr double kMinTailIndex = 0.05;
inline constexpr double kMaxTailIndex = 10;
inline constexpr double kMaxLognormal = 1e9;
inline constexpr double kMinAcceptance = 1e-3;  // rejection loops that would accept less often are refused
// Backstop for the rejection loops: give up after this many tries per accepted value (plus a constant).
inline constexpr std::uint64_t kTriesPerValue = 10'000;

inline std::uint64_t distinct_of(const Config& c) {
  return static_cast<std::uint64_t>(std::floor(static_cast<double>(c.requests) * c.distinct_percent / 100.0));
}
inline std::uint64_t one_timers_of(const Config& c, std::uint64_t d) {
  return static_cast<std::uint64_t>(std::floor(static_cast<double>(d) * c.one_timer_percent / 100.0));
}
inline std::uint64_t tail_of(const Config& c, std::uint64_t d) {
  return static_cast<std::uint64_t>(std::floor(c.tail_percent * static_cast<double>(d) / 100.0));
}

struct Lognormal {
  double mu = 0;
  double sigma = 0;
};
inline Lognormal lognormal_params(double mean, double sd) {
  const double m2 = mean * mean;
  const double v = sd * sd;
  return {det_log(m2 / std::sqrt(v + m2)), std::sqrt(det_log((v + m2) / m2))};
}

inline double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

inline tl::unexpected<Error> bad(std::string message) {
  return fail(ErrorKind::invalid_argument, std::move(message));
}

// Step 1: the Zipf popularity list, ascending.
std::vector<std::uint32_t> popularity_list(const Config& c, std::uint64_t n, std::uint32_t d, std::uint32_t o);
// Step 2: lognormal body below K, Pareto tail from K below the 50 MiB cap, ascending.
Result<std::vector<std::uint32_t>> size_list(const Config& c, std::uint32_t d, std::uint64_t seed);

}  // namespace wasmhop::gen::detail
