// `wasmhop bench`'s pieces that decide its verdict: ARGS as values, bitwise comparison of the
// engines' results (NaN == NaN), the exit status. Real engines agree, so disagreement is made here.
#include <bit>
#include <cmath>

#include <gtest/gtest.h>

#include "cli/bench/bench_report.hpp"
#include "cli/bench/value_text.hpp"
#include "cli/exit_status.hpp"

namespace {

using namespace wasmhop;
using namespace wasmhop::cli::bench;
using wasmhop::cli::kExitMismatch;
using wasmhop::cli::kExitOk;
using wasmhop::cli::kExitTimeout;

std::uint64_t bits_of(const std::string& text, ValType t) {
  auto v = parse_value(text, t, 0);
  EXPECT_TRUE(v) << text;
  return v ? value_bits(*v, t) : 0;
}

TEST(BenchValues, IntegersDecimalHexSignedAndUnsigned) {
  EXPECT_EQ(bits_of("42", ValType::i32), 42u);
  EXPECT_EQ(bits_of("-1", ValType::i32), 0xffffffffu);
  EXPECT_EQ(bits_of("0xffffffff", ValType::i32), 0xffffffffu);
  EXPECT_EQ(bits_of("-2147483648", ValType::i32), 0x80000000u);
  EXPECT_EQ(bits_of("-0x10", ValType::i64), static_cast<std::uint64_t>(-16));
  EXPECT_EQ(bits_of("18446744073709551615", ValType::i64), ~0ull);
  for (const char* bad : {"", "1.5", "0x", "1e3", " 1", "2147483649x", "-2147483649", "4294967296", "010z"}) {
    EXPECT_FALSE(parse_value(bad, ValType::i32, 0)) << bad;
  }
  EXPECT_FALSE(parse_value("18446744073709551616", ValType::i64, 0));
  EXPECT_EQ(parse_value("x", ValType::i64, 2).error().message, "argument 3 'x' is not a valid i64");
}

TEST(BenchValues, FloatsIncludingNanInfAndNegativeZero) {
  EXPECT_EQ(bits_of("1.5", ValType::f64), std::bit_cast<std::uint64_t>(1.5));
  EXPECT_EQ(bits_of("-0", ValType::f32), 0x80000000u);
  EXPECT_EQ(bits_of("inf", ValType::f32), 0x7f800000u);
  EXPECT_EQ(bits_of("-inf", ValType::f64), 0xfff0000000000000ull);
  EXPECT_TRUE(std::isnan(std::bit_cast<double>(bits_of("nan", ValType::f64))));
  EXPECT_FALSE(parse_value("1.5x", ValType::f64, 0));
  EXPECT_FALSE(parse_value("", ValType::f32, 0));
  EXPECT_EQ(format_bits(std::bit_cast<std::uint64_t>(-6.0), ValType::f64), "-6");
  EXPECT_EQ(format_bits(0xffffffff, ValType::i32), "-1");
}

TEST(BenchValues, SameValueIsBitwiseButEveryNanIsEqual) {
  EXPECT_TRUE(same_value(0x7fc00000, 0xffc00001, ValType::f32));  // two NaNs
  EXPECT_FALSE(same_value(0x00000000, 0x80000000, ValType::f32)); // +0 / -0 differ
  EXPECT_TRUE(same_value(0x7ff8000000000000ull, 0x7ff0000000000001ull, ValType::f64));
  EXPECT_FALSE(same_value(0x7ff0000000000000ull, 0x7ff8000000000000ull, ValType::f64));  // inf vs NaN
  EXPECT_TRUE(same_value(0xdeadbeef00000001ull, 1, ValType::i32));  // only the type's width counts
}

EngineRow measured(const std::string& id, std::uint64_t bits, double ns) {
  EngineRow r;
  r.id = id;
  r.status = RowStatus::ok;
  r.has_outcome = true;
  r.result_types = {"f64"};
  r.result_bits = {bits};
  r.result_text = {format_bits(bits, ValType::f64)};
  r.per_call_ns = {ns, ns, ns};
  r.median_ns = ns;
  r.calls_per_batch = 10;
  return r;
}

TEST(BenchVerdict, AgreeingEnginesAreSortedWithRatios) {
  BenchReport r;
  r.rows = {measured("slow", 0x7ff8000000000000ull, 40), measured("fast", 0x7ff8000000000001ull, 10)};
  EngineRow skipped;
  skipped.id = "gone";
  r.rows.insert(r.rows.begin(), skipped);
  conclude(r);
  EXPECT_EQ(r.exit_status, kExitOk) << r.verdict;
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].id, "fast");
  EXPECT_EQ(r.rows[1].id, "slow");
  EXPECT_EQ(r.rows[2].id, "gone");
  EXPECT_DOUBLE_EQ(*r.rows[1].ratio, 4.0);
}

TEST(BenchVerdict, DifferentResultsNameTheEnginesAndWinOverFailures) {
  BenchReport r;
  EngineRow crashed;
  crashed.id = "dead";
  crashed.status = RowStatus::crashed;
  r.rows = {measured("a", std::bit_cast<std::uint64_t>(1.0), 5), measured("b", std::bit_cast<std::uint64_t>(2.0), 6),
            measured("c", std::bit_cast<std::uint64_t>(1.0), 7), crashed};
  conclude(r);
  EXPECT_EQ(r.exit_status, kExitMismatch);
  EXPECT_EQ(r.verdict, "error: results differ: 1 from a, c; 2 from b");
}

TEST(BenchVerdict, TrapVersusValueIsADifference) {
  BenchReport r;
  EngineRow t;
  t.id = "t";
  t.status = RowStatus::trapped;
  t.has_outcome = true;
  t.trap_kind = "unreachable";
  r.rows = {measured("a", 0, 5), t};
  conclude(r);
  EXPECT_EQ(r.exit_status, kExitMismatch);
  EXPECT_NE(r.verdict.find("trap (unreachable) from t"), std::string::npos) << r.verdict;
}

TEST(BenchVerdict, AFailedEngineGivesItsOwnStatus) {
  BenchReport r;
  EngineRow f;
  f.id = "f";
  f.status = RowStatus::timed_out;
  f.exit_status = kExitTimeout;
  r.rows = {measured("a", 0, 5), f};
  conclude(r);
  EXPECT_EQ(r.exit_status, kExitTimeout);
  EXPECT_NE(r.verdict.find("not measured on f"), std::string::npos) << r.verdict;
}

}  // namespace
