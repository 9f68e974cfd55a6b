#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include <gtest/gtest.h>

#include "gen/detmath.hpp"
#include "gen/rng.hpp"

namespace wasmhop::gen {
namespace {

// Distance in units in the last place between two finite doubles of the same sign.
std::int64_t ulps(double a, double b) {
  std::int64_t ia = 0, ib = 0;
  std::memcpy(&ia, &a, 8);
  std::memcpy(&ib, &b, 8);
  return ia > ib ? ia - ib : ib - ia;
}

TEST(DetMath, LogWithinTwoUlpsOfLibm) {
  Erand48 rng(std::uint64_t{1});
  std::int64_t worst = 0;
  for (int i = 0; i < 200'000; ++i) {
    // Log-uniform over [2^-60, 2^60), plus the (0,1] uniforms the generator feeds it.
    const double x = i % 2 == 0 ? std::ldexp(1.0 + rng.next(), static_cast<int>(rng.next() * 120) - 60)
                                : 1 - rng.next();
    const double ours = det_log(x);
    const double ref = std::log(x);
    if (ref == 0) {
      ASSERT_EQ(ours, 0.0);
      continue;
    }
    worst = std::max(worst, ulps(ours, ref));
  }
  EXPECT_LE(worst, 2);
}

TEST(DetMath, ExpWithinTwoUlpsOfLibm) {
  Erand48 rng(std::uint64_t{2});
  std::int64_t worst = 0;
  for (int i = 0; i < 200'000; ++i) {
    const double x = (rng.next() - 0.5) * 1400;  // [-700, 700)
    worst = std::max(worst, ulps(det_exp(x), std::exp(x)));
  }
  for (double x = -20; x < 20; x += 0.001) worst = std::max(worst, ulps(det_exp(x), std::exp(x)));
  EXPECT_LE(worst, 2);
}

TEST(DetMath, PowIsAccurateOverTheGeneratorsRange) {
  Erand48 rng(std::uint64_t{3});
  double worst = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double x = 1 - rng.next();          // (0, 1]: Pareto uniforms
    const double y = 1 / (0.05 + rng.next() * 9.95);  // 1/alpha
    worst = std::max(worst, std::abs(det_pow(x, y) / std::pow(x, y) - 1));
    const double r = 1 + std::floor(rng.next() * 1e7);  // Zipf ranks
    worst = std::max(worst, std::abs(det_pow(r, 0.75) / std::pow(r, 0.75) - 1));
  }
  EXPECT_LT(worst, 1e-14);
}

TEST(DetMath, SpecialValues) {
  EXPECT_EQ(det_log(1.0), 0.0);
  EXPECT_EQ(det_exp(0.0), 1.0);
  EXPECT_EQ(det_log(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(det_log(-1.0)));
  EXPECT_EQ(det_exp(1000.0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(det_exp(-1000.0), 0.0);
  EXPECT_EQ(det_pow(0.0, 2.0), 0.0);
  EXPECT_EQ(det_pow(5.0, 0.0), 1.0);
  EXPECT_EQ(det_pow(1.0, 123.0), 1.0);
  EXPECT_NEAR(det_log(std::ldexp(1.0, 10)), 10 * std::log(2.0), 1e-14);
  EXPECT_NEAR(det_exp(1.0), 2.718281828459045, 1e-15);
}

}  // namespace
}  // namespace wasmhop::gen
