// Deterministic exp/log/pow for the generator.
//
// libm's exp/log/pow are not correctly rounded and differ by an ulp between C libraries, which would move a
// floor() now and then and change a generated trace. These use only IEEE-754 binary64 + - * / and exact
// scaling (frexp/ldexp), so they return the same bits everywhere (given FLT_EVAL_METHOD == 0 and no FMA
// contraction: the gen library is compiled with -ffp-contract=off). Accuracy is about 1 ulp; it is the
// reproducibility that matters here.
#pragma once

namespace wasmhop::gen {

[[nodiscard]] double det_log(double x) noexcept;            // natural log; x <= 0 -> -inf / NaN
[[nodiscard]] double det_exp(double x) noexcept;            // e^x
[[nodiscard]] double det_pow(double x, double y) noexcept;  // x^y for x >= 0

}  // namespace wasmhop::gen
