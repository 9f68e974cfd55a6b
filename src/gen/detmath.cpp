#include "gen/detmath.hpp"

#include <cfloat>
#include <cmath>
#include <limits>

static_assert(FLT_EVAL_METHOD == 0, "the generator needs plain binary64 evaluation (SSE2, not x87)");
static_assert(std::numeric_limits<double>::is_iec559, "the generator needs IEEE-754 doubles");

namespace wasmhop::gen {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (kLn2Hi has 32 significant bits).
constexpr double kLn2Hi = 0x1.62e42fee00000p-1;
constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
constexpr double kInvLn2 = 0x1.71547652b82fep+0;
constexpr double kSqrtHalf = 0x1.6a09e667f3bcdp-1;

}  // namespace

double det_log(double x) noexcept {
  if (std::isnan(x)) return x;
  if (x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // exact: x = m * 2^e, m in [0.5, 1)
  if (m < kSqrtHalf) {
    m *= 2;
    --e;
  }
  // m in [sqrt(1/2), sqrt(2)): log m = log(1+f) = 2 atanh(s), s = f/(2+f), |s| <= 0.1716.
  const double f = m - 1.0;  // exact (Sterbenz)
  const double s = f / (2.0 + f);
  const double z = s * s;
  // R = 2 (z/3 + z^2/5 + ... + z^11/23); the next term is below 2^-60 relative.
  double r = 2.0 / 23;
  r = 2.0 / 21 + z * r;
  r = 2.0 / 19 + z * r;
  r = 2.0 / 17 + z * r;
  r = 2.0 / 15 + z * r;
  r = 2.0 / 13 + z * r;
  r = 2.0 / 11 + z * r;
  r = 2.0 / 9 + z * r;
  r = 2.0 / 7 + z * r;
  r = 2.0 / 5 + z * r;
  r = 2.0 / 3 + z * r;
  r *= z;
  // log(1+f) = 2s + s R = f - s (f - R), since 2s = f - s f.
  const double log1pf = f - s * (f - r);
  const double k = static_cast<double>(e);
  return k * kLn2Hi + (log1pf + k * kLn2Lo);
}

double det_exp(double x) noexcept {
  if (std::isnan(x)) return x;
  if (x > 709.782712893383973096) return std::numeric_limits<double>::infinity();
  if (x < -745.2) return 0.0;
  // x = k ln2 + r, |r| <= ln2/2.
  const double kd = std::floor(x * kInvLn2 + 0.5);
  const double hi = x - kd * kLn2Hi;
  const double lo = kd * kLn2Lo;
  const double r = hi - lo;
  // e^r = 1 + r + r^2 (1/2! + r/3! + ... + r^11/13!); the next term is below 2^-62.
  double p = 1.0 / 6227020800.0;  // 1/13!
  p = 1.0 / 479001600.0 + r * p;
  p = 1.0 / 39916800.0 + r * p;
  p = 1.0 / 3628800.0 + r * p;
  p = 1.0 / 362880.0 + r * p;
  p = 1.0 / 40320.0 + r * p;
  p = 1.0 / 5040.0 + r * p;
  p = 1.0 / 720.0 + r * p;
  p = 1.0 / 120.0 + r * p;
  p = 1.0 / 24.0 + r * p;
  p = 1.0 / 6.0 + r * p;
  p = 0.5 + r * p;
  const double y = 1.0 + (r + r * r * p);
  return std::ldexp(y, static_cast<int>(kd));  // exact scaling (rounds only into subnormals)
}

double det_pow(double x, double y) noexcept {
  if (y == 0) return 1.0;
  if (x == 1) return 1.0;
  if (x == 0) return y > 0 ? 0.0 : std::numeric_limits<double>::infinity();
  if (x < 0 || std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::quiet_NaN();
  return det_exp(y * det_log(x));
}

}  // namespace wasmhop::gen
