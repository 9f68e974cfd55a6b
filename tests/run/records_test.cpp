// Every kind of record carries the same header and version; sim and workload records round-trip; a
// record of another version is refused with a message naming both versions.
#include <gtest/gtest.h>

#include "run/records.hpp"
#include "run/sim_record.hpp"
#include "run/workload_record.hpp"

namespace wasmhop::run {
namespace {

SimRecord sim_sample() {
  SimRecord r;
  static_cast<RecordHeader&>(r) = make_header("suite-x/sim-time.release.wasm3.r1", "sim-time.release.wasm3.r1");
  r.purpose = "time";
  r.trace = "workload";
  r.replication = 1;
  r.policy = "gds";
  r.cost = "packets";
  r.cache_bytes = 4 << 20;
  r.engine = "wasm3";
  r.tier = "interpreter";
  r.abi = "pod-static";
  r.cached = false;
  r.requests = 50000;
  r.hits = 41234;
  r.bytes_requested = 123456789;
  r.bytes_hit = 98765432;
  r.simulated_requests = 50000;
  r.setup_s = 0.01;
  r.sim_s = 0.5;
  r.sim_cpu_s = 0.49;
  r.trace_records = 50000;
  r.trace_read_s = 0.02;
  r.timed = true;
  return r;
}

TEST(Records, HeaderIsThisBinarys) {
  const RecordHeader h = make_header("run", "step");
  EXPECT_EQ(h.run_id, "run");
  EXPECT_EQ(h.step, "step");
  EXPECT_EQ(h.host_build, host_build());
  EXPECT_TRUE(h.host_build == std::string("release") || h.host_build == std::string("debug"));
  EXPECT_EQ(h.timestamp.size(), 24u);
}

TEST(Records, SimRecordRoundTrips) {
  const SimRecord r = sim_sample();
  const nlohmann::json j = to_json_object(r);
  EXPECT_EQ(j["kind"], "sim");
  EXPECT_EQ(j["schema"], kRecordSchema);
  EXPECT_EQ(j["step"], "sim-time.release.wasm3.r1");
  EXPECT_DOUBLE_EQ(j["hit_rate"].get<double>(), 41234.0 / 50000.0);
  auto back = to_sim_record(j);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(static_cast<const RecordHeader&>(*back), static_cast<const RecordHeader&>(r));
  EXPECT_EQ(back->policy_label(), "gds(packets)");
  EXPECT_EQ(back->scenario(), "pod-static uncached");
  EXPECT_EQ(back->hits, r.hits);
  EXPECT_EQ(back->bytes_hit, r.bytes_hit);
  EXPECT_TRUE(back->timed);
  EXPECT_DOUBLE_EQ(back->sim_cpu_s, r.sim_cpu_s);
}

TEST(Records, SimRecordErrorsNameTheKey) {
  nlohmann::json j = to_json_object(sim_sample());
  j.erase("cache_bytes");
  auto r = to_sim_record(j);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cache_bytes"), std::string::npos) << r.error().message;
  j = to_json_object(sim_sample());
  j["hits"] = 60000;  // more hits than requests
  EXPECT_FALSE(to_sim_record(j));
  j = to_json_object(sim_sample());
  j["kind"] = "micro";
  EXPECT_FALSE(to_sim_record(j));
}

TEST(Records, AnotherVersionIsRefused) {
  nlohmann::json j = to_json_object(sim_sample());
  EXPECT_TRUE(check_schema(j));
  j["schema"] = 3;
  auto st = check_schema(j);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(st.error().message.find("record schema 3"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("record schema 2 only"), std::string::npos) << st.error().message;
  auto r = to_sim_record(j);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("record schema 3"), std::string::npos) << r.error().message;
  j["schema"] = "2";  // a version must be a number
  EXPECT_FALSE(check_schema(j));
  j.erase("schema");
  EXPECT_FALSE(check_schema(j));
}

TEST(Records, WorkloadRecordRoundTripsAndCompares) {
  WorkloadRecord w;
  static_cast<RecordHeader&>(w) = make_header("a/gen", "gen");
  w.name = "workload";
  w.generator = "wasmhop gen --preset paper";
  w.file = "workload/prowgen-paper.oracleGeneral.zst";
  w.requests = 50000;
  w.objects = 1500;
  w.requested_bytes = 1 << 30;
  w.unique_bytes = 1 << 25;
  w.sample_file = "workload/sample.txt";
  w.sample_requests = 20000;
  w.short_file = "workload/short.txt";
  w.short_requests = 10000;
  auto back = to_workload_record(to_json_object(w));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->same_workload(w));
  WorkloadRecord other = w;
  other.run_id = "b/gen";  // another shard: the same workload
  EXPECT_TRUE(other.same_workload(w));
  other.objects = 1501;
  EXPECT_FALSE(other.same_workload(w));
}

}  // namespace
}  // namespace wasmhop::run
