// What the figures draw besides the summaries' statistics: batch ns per record and its reference line,
// the "n replications of m calls" captions, throughput CIs, and the simulator's scripted / native ratios
// (medians, geometric mean over the policies). Hand-computed values.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "report/micro_figure_data.hpp"
#include "report/sim_ratios.hpp"
#include "report/sim_summary.hpp"
#include "report/stats.hpp"

namespace wasmhop::report {
namespace {

MicroRecord batch(std::string engine, std::string config, std::string abi, std::uint64_t n, double ns, int calls = 1000) {
  MicroRecord r;
  r.run_id = "run";
  r.experiment = "batch";
  r.engine = std::move(engine);
  r.host_build = "release";
  r.config = std::move(config);
  r.abi = std::move(abi);
  r.batch_size = n;
  r.calls = calls;
  r.set_loop(ns * calls * 1e-9);
  return r;
}

TEST(FigureData, NsPerRecordAndBytesPerCallOfABatchGroup) {
  std::vector<MicroRecord> rs{batch("v8", "batch-cached", "batch", 16, 160.0), batch("v8", "batch-cached", "batch", 16, 480.0)};
  const auto g = summarize_micro(rs);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_NEAR(g[0].ns_per_record.mean, 20.0, 1e-9);    // (10 + 30) / 2
  EXPECT_NEAR(g[0].ns_per_record.median, 20.0, 1e-9);
  EXPECT_NEAR(g[0].ns_per_record.ci_half_width, g[0].ns_per_call.ci_half_width / 16, 1e-9);
  ASSERT_TRUE(g[0].bytes_per_call);
  EXPECT_EQ(*g[0].bytes_per_call, 16u * kBatchRecordBytes);
  EXPECT_NEAR(g[0].bytes_per_s.mean, 128 * 1e9 / 320.0, 1e-3);
  // The slow end of the CI gives the low rate.
  EXPECT_NEAR(g[0].bytes_per_s.ci_low, 128 * 1e9 / g[0].ns_per_call.ci_high, 1e-3);
  EXPECT_TRUE(std::isnan(g[0].bytes_per_s.ci_high));  // ci_low of the time is negative: no finite bound
}

TEST(FigureData, BatchReferenceFromTheNativeConfigurationElseTheNativeEngine) {
  std::vector<MicroRecord> rs{batch("native", "native-batch-work", "native", 1, 0.9),
                              batch("native", "native-batch-work", "native", 1, 0.7),
                              batch("native", "native-batch-work", "native", 1, 0.8),
                              batch("v8", "batch-cached", "batch", 4, 40.0)};
  auto refs = batch_references(summarize_micro(rs));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_TRUE(refs[0].from_native_config);
  EXPECT_NEAR(refs[0].ns_per_record, 0.8, 1e-12);  // the median
  EXPECT_EQ(refs[0].configs, std::vector<std::string>{"native-batch-work"});

  std::vector<MicroRecord> no_config{batch("native", "batch-cached", "batch", 4, 8.0),
                                     batch("native", "batch-cached", "batch", 64, 64.0),
                                     batch("v8", "batch-cached", "batch", 64, 640.0)};
  refs = batch_references(summarize_micro(no_config));
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_FALSE(refs[0].from_native_config);
  EXPECT_EQ(refs[0].batch_size, 64u);
  EXPECT_NEAR(refs[0].ns_per_record, 1.0, 1e-12);  // 64 ns / 64 records, not 8 / 4 = 2
  EXPECT_TRUE(refs[0].configs.empty());
}

TEST(FigureData, ReplicationUnitsPerLevel) {
  std::vector<MicroRecord> rs{batch("v8", "batch-cached", "batch", 4, 40.0, 1000),
                              batch("v8", "batch-cached", "batch", 4, 40.0, 1000),
                              batch("wabt-interp", "batch-cached", "batch", 4, 400.0, 100)};
  const auto units = replication_units(summarize_micro(rs));
  auto find = [&](std::string build, std::string engine, std::string config) {
    for (const auto& u : units)
      if (u.experiment == "batch" && u.host_build == build && u.engine == engine && u.config == config) return u;
    ADD_FAILURE() << build << "/" << engine << "/" << config;
    return ReplicationUnits{};
  };
  const auto all = find("", "", "");
  EXPECT_EQ(all.n_min, 1u);
  EXPECT_EQ(all.n_max, 2u);
  EXPECT_EQ(all.calls_min, 100u);
  EXPECT_EQ(all.calls_max, 1000u);
  const auto v8 = find("release", "v8", "");
  EXPECT_EQ(v8.n_min, 2u);
  EXPECT_EQ(v8.calls_min, 1000u);
  EXPECT_EQ(find("", "", "batch-cached").n_max, 2u);
}

SimRecord sim(std::string engine, std::string abi, std::string policy, double cpu) {
  SimRecord r;
  r.purpose = "time";
  r.trace = "workload";
  r.host_build = "release";
  r.policy = std::move(policy);
  r.cost = "-";
  r.size_change = "first-size";
  r.cache_bytes = 4 << 20;
  r.engine = std::move(engine);
  r.abi = std::move(abi);
  r.requests = 1000;
  r.hits = 400;
  r.sim_cpu_s = cpu;
  r.sim_s = 2 * cpu;
  return r;
}

TEST(SimRatios, MedianRatiosAndTheirGeometricMeanOverPolicies) {
  std::vector<SimRecord> rows{sim("native", "direct", "lru", 1.0), sim("native", "direct", "fifo", 2.0),
                           // lru: replications 1, 2, 9: median 2 -> ratio 2; fifo: median 16 -> ratio 8.
                           sim("v8", "pair", "lru", 1.0), sim("v8", "pair", "lru", 2.0), sim("v8", "pair", "lru", 9.0),
                           sim("v8", "pair", "fifo", 16.0)};
  const auto groups = summarize_sim(rows);
  for (const auto& g : groups) {
    if (g.engine == "native-direct") {
      EXPECT_TRUE(std::isnan(g.ratio_cpu_median));
    } else if (g.policy == "lru") {
      EXPECT_DOUBLE_EQ(g.native_cpu_s_median, 1.0);
      EXPECT_DOUBLE_EQ(g.ratio_cpu_median, 2.0);
      EXPECT_DOUBLE_EQ(g.ratio_wall_median, 2.0);
    }
  }
  const auto ratios = summarize_ratios(groups);
  ASSERT_EQ(ratios.size(), 1u);
  EXPECT_EQ(ratios[0].scenario, "pair cached");
  EXPECT_EQ(ratios[0].policies, 2u);
  EXPECT_NEAR(ratios[0].cpu.geomean, 4.0, 1e-12);  // sqrt(2 * 8)
  EXPECT_DOUBLE_EQ(ratios[0].cpu.min, 2.0);
  EXPECT_DOUBLE_EQ(ratios[0].cpu.max, 8.0);
}

TEST(SimRatios, NoBaselineNoRatio) {
  const auto groups = summarize_sim({sim("v8", "pair", "lru", 1.0)});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(std::isnan(groups[0].ratio_cpu_median));
  EXPECT_TRUE(summarize_ratios(groups).empty());
}

}  // namespace
}  // namespace wasmhop::report
