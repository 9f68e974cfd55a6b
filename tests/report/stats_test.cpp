// Statistics against values computed by hand (mean, sample sd, median) and from tables of Student's t
// (t(0.975, 7) = 2.3646..., t(0.975, 2) = 4.3027..., t(0.975, 1) = 12.7062...).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "report/stats.hpp"

namespace wasmhop::report {
namespace {

TEST(Summarize, TextbookSample) {
  // {2,4,4,4,5,5,7,9}: sum 40, mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32, sd = sqrt(32/7).
  const std::vector<double> v{2, 4, 4, 4, 5, 5, 7, 9};
  const Summary s = summarize(v);
  EXPECT_EQ(s.n, 8u);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_NEAR(s.sd, 2.138089935299395, 1e-12);
  EXPECT_NEAR(s.sd, std::sqrt(32.0 / 7.0), 1e-12);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_DOUBLE_EQ(s.min, 2.0);
  EXPECT_DOUBLE_EQ(s.max, 9.0);
  EXPECT_NEAR(s.t_quantile, 2.3646242510102993, 1e-9);
  // half = t * sd / sqrt(8) = 2.3646242510 * 2.1380899353 / 2.8284271247 = 1.7874879178
  EXPECT_NEAR(s.ci_half_width, 1.7874879177958927, 1e-9);
  EXPECT_NEAR(s.ci_low, 3.2125120822041073, 1e-9);
  EXPECT_NEAR(s.ci_high, 6.787487917795893, 1e-9);
  EXPECT_TRUE(s.has_ci());
  EXPECT_DOUBLE_EQ(s.confidence, 0.95);
}

TEST(Summarize, OrderDoesNotMatterAndInputIsUntouched) {
  std::vector<double> v{9, 2, 5, 4, 7, 4, 5, 4};
  const auto copy = v;
  const Summary s = summarize(v);
  EXPECT_EQ(v, copy);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
}

TEST(Summarize, OddCount) {
  // {1.5, 3, 2.25}: mean 2.25, deviations -0.75, 0.75, 0 -> sd = sqrt(1.125/2) = 0.75, median 2.25.
  const std::vector<double> v{1.5, 3.0, 2.25};
  const Summary s = summarize(v);
  EXPECT_EQ(s.n, 3u);
  EXPECT_DOUBLE_EQ(s.mean, 2.25);
  EXPECT_NEAR(s.sd, 0.75, 1e-15);
  EXPECT_DOUBLE_EQ(s.median, 2.25);
  EXPECT_NEAR(s.t_quantile, 4.302652729911275, 1e-9);
  EXPECT_NEAR(s.ci_half_width, 4.302652729911275 * 0.75 / std::sqrt(3.0), 1e-9);
}

TEST(Summarize, TwoValues) {
  const std::vector<double> v{20, 10};
  const Summary s = summarize(v);
  EXPECT_DOUBLE_EQ(s.median, 15.0);
  EXPECT_NEAR(s.sd, 7.0710678118654755, 1e-12);
  EXPECT_NEAR(s.t_quantile, 12.706204736432095, 1e-8);
  EXPECT_NEAR(s.ci_half_width, 63.53102368216048, 1e-7);
}

TEST(Summarize, SingleValueIsDegenerate) {
  const std::vector<double> v{42.5};
  const Summary s = summarize(v);
  EXPECT_EQ(s.n, 1u);
  EXPECT_DOUBLE_EQ(s.mean, 42.5);
  EXPECT_DOUBLE_EQ(s.median, 42.5);
  EXPECT_DOUBLE_EQ(s.min, 42.5);
  EXPECT_DOUBLE_EQ(s.max, 42.5);
  EXPECT_DOUBLE_EQ(s.sd, 0.0);
  EXPECT_DOUBLE_EQ(s.ci_low, 42.5);
  EXPECT_DOUBLE_EQ(s.ci_high, 42.5);
  EXPECT_DOUBLE_EQ(s.ci_half_width, 0.0);
  EXPECT_TRUE(std::isnan(s.t_quantile));
  EXPECT_FALSE(s.has_ci());
}

TEST(Summarize, EmptyIsNaN) {
  const Summary s = summarize(std::span<const double>{});
  EXPECT_EQ(s.n, 0u);
  EXPECT_TRUE(std::isnan(s.mean));
  EXPECT_TRUE(std::isnan(s.sd));
  EXPECT_TRUE(std::isnan(s.median));
  EXPECT_TRUE(std::isnan(s.ci_half_width));
  EXPECT_FALSE(s.has_ci());
}

TEST(Summarize, ConstantSampleHasZeroWidthInterval) {
  const std::vector<double> v(100, 0.0115);
  const Summary s = summarize(v);
  EXPECT_DOUBLE_EQ(s.mean, 0.0115);
  EXPECT_NEAR(s.sd, 0.0, 1e-18);
  EXPECT_NEAR(s.ci_half_width, 0.0, 1e-18);
  EXPECT_NEAR(s.t_quantile, 1.9842169515086827, 1e-9);  // t(0.975, 99)
}

TEST(Summarize, OtherConfidenceLevels) {
  const std::vector<double> v{2, 4, 4, 4, 5, 5, 7, 9};
  const Summary s99 = summarize(v, 0.99);
  EXPECT_NEAR(s99.t_quantile, 3.4994832973505026, 1e-9);  // t(0.995, 7)
  EXPECT_DOUBLE_EQ(s99.confidence, 0.99);
  const Summary bad = summarize(v, 1.5);  // out of range: 95%
  EXPECT_DOUBLE_EQ(bad.confidence, 0.95);
  EXPECT_NEAR(bad.t_quantile, 2.3646242510102993, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.90, 99), 1.6603911559963895, 1e-9);  // t(0.95, 99)
  EXPECT_TRUE(std::isnan(student_t_quantile(0.95, 0)));
}

TEST(Median, OddEvenEmpty) {
  EXPECT_DOUBLE_EQ(median(std::vector<double>{3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{-1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{7}), 7.0);
  EXPECT_TRUE(std::isnan(median(std::span<const double>{})));
}

// Ranks from binomial tables (e.g. Conover, Practical Nonparametric Statistics): n = 21 gives the
// 6th and 16th values (coverage 0.9734), n = 10 the 2nd and 9th (0.9785), n = 6 the extremes (0.9688).
TEST(MedianCi, OrderStatisticRanks) {
  std::vector<double> v21;
  for (int i = 21; i >= 1; --i) v21.push_back(i);  // reversed: input order must not matter
  const MedianCi a = median_ci(v21);
  EXPECT_DOUBLE_EQ(a.low, 6.0);
  EXPECT_DOUBLE_EQ(a.high, 16.0);
  EXPECT_NEAR(a.coverage, 0.9734, 1e-4);
  EXPECT_TRUE(a.reached_confidence);
  const MedianCi b = median_ci(std::vector<double>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  EXPECT_DOUBLE_EQ(b.low, 2.0);
  EXPECT_DOUBLE_EQ(b.high, 9.0);
  EXPECT_NEAR(b.coverage, 0.9785, 1e-4);
  const MedianCi c = median_ci(std::vector<double>{1, 2, 3, 4, 5, 6});
  EXPECT_DOUBLE_EQ(c.low, 1.0);
  EXPECT_DOUBLE_EQ(c.high, 6.0);
  EXPECT_TRUE(c.reached_confidence);
}

TEST(MedianCi, TooFewValuesGiveTheRangeAndSayIt) {
  const MedianCi r = median_ci(std::vector<double>{5, 1, 3, 2, 4});
  EXPECT_DOUBLE_EQ(r.low, 1.0);
  EXPECT_DOUBLE_EQ(r.high, 5.0);
  EXPECT_FALSE(r.reached_confidence);
  EXPECT_NEAR(r.coverage, 0.9375, 1e-12);
  EXPECT_TRUE(std::isnan(median_ci(std::span<const double>{}).low));
}

MicroRecord rec(std::string engine, std::string build, std::string config, int index, std::uint32_t rep,
                double loop_s, double compile_s = 0.0, double inst_s = 0.0) {
  MicroRecord r;
  r.run_id = "run-a";
  r.experiment = "table1";
  r.engine = std::move(engine);
  r.host_build = std::move(build);
  r.config = std::move(config);
  r.config_index = index;
  r.abi = "pair";
  r.replication = rep;
  r.calls = 100000;
  r.set_loop(loop_s);
  r.compile_s = compile_s;
  r.instantiate_s = inst_s;
  return r;
}

TEST(SummarizeMicro, GroupsByExperimentBuildEngineConfigAndSweepKey) {
  std::vector<MicroRecord> rs;
  // v8 release, config 4: loop 0.010, 0.012, 0.014 s per 100,000 calls -> 100, 120, 140 ns/call.
  rs.push_back(rec("v8", "release", "pair-cached-preload", 4, 0, 0.010, 0.002, 0.001));
  rs.push_back(rec("v8", "release", "pair-cached-preload", 4, 1, 0.012, 0.002, 0.001));
  rs.push_back(rec("v8", "release", "pair-cached-preload", 4, 2, 0.014, 0.002, 0.001));
  rs.push_back(rec("v8", "debug", "pair-cached-preload", 4, 0, 0.1));
  rs.push_back(rec("native", "release", "native", 0, 0, 0.001));
  rs.push_back(rec("v8", "release", "pair-uncached-hotload", 1, 0, 0.02));
  // batch sweep: two batch sizes are two groups.
  auto b1 = rec("v8", "release", "batch", 13, 0, 0.05);
  b1.experiment = "batch";
  b1.batch_size = 1;
  auto b16 = b1;
  b16.batch_size = 16;
  auto b16b = b16;
  b16b.run_id = "run-b";
  b16b.calls = 50000;
  b16b.set_loop(0.05);
  rs.insert(rs.end(), {b1, b16, b16b});

  const auto groups = summarize_micro(rs);
  ASSERT_EQ(groups.size(), 6u);
  // Sorted: batch < table1; debug < release; native < v8; config_index order.
  EXPECT_EQ(groups[0].key.experiment, "batch");
  EXPECT_EQ(groups[0].key.batch_size, 1u);
  EXPECT_EQ(groups[1].key.batch_size, 16u);
  EXPECT_EQ(groups[1].ns_per_call.n, 2u);
  EXPECT_EQ(groups[1].runs, 2u);
  EXPECT_EQ(groups[1].calls, 0u);  // 100,000 and 50,000 disagree
  EXPECT_EQ(groups[2].key.host_build, "debug");
  EXPECT_EQ(groups[3].key.engine, "native");
  EXPECT_EQ(groups[4].key.config_index, 1);
  const GroupSummary& g = groups[5];
  EXPECT_EQ(g.key.engine, "v8");
  EXPECT_EQ(g.key.config, "pair-cached-preload");
  EXPECT_EQ(g.calls, 100000u);
  EXPECT_EQ(g.runs, 1u);
  EXPECT_EQ(g.abi, "pair");
  EXPECT_EQ(g.ns_per_call.n, 3u);
  EXPECT_NEAR(g.ns_per_call.mean, 120.0, 1e-9);
  EXPECT_NEAR(g.ns_per_call.sd, 20.0, 1e-9);
  EXPECT_NEAR(g.ns_per_call.median, 120.0, 1e-9);
  EXPECT_NEAR(g.loop_s.mean, 0.012, 1e-15);
  EXPECT_NEAR(g.loop_s.sd, 0.002, 1e-15);
  // CI of the mean: 0.012 +/- t(0.975, 2) * 0.002 / sqrt(3)
  EXPECT_NEAR(g.loop_s.ci_half_width, 4.302652729911275 * 0.002 / std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(g.compile_s.mean, 0.002, 1e-15);
  EXPECT_NEAR(g.instantiate_s.mean, 0.001, 1e-15);
  EXPECT_NEAR(g.including_compile_s.mean, 0.015, 1e-15);
  EXPECT_NEAR(g.including_compile_s.min, 0.013, 1e-15);
  EXPECT_NEAR(g.including_compile_s.max, 0.017, 1e-15);
  EXPECT_NEAR(g.including_compile_s.sd, 0.002, 1e-15);
}

TEST(SummarizeMicro, EmptyInput) { EXPECT_TRUE(summarize_micro(std::span<const MicroRecord>{}).empty()); }

}  // namespace
}  // namespace wasmhop::report
