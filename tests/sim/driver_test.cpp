// The driver, the policy catalogue, the native runner and the output writers.
#include <csignal>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "policy_test_util.hpp"
#include "sim/driver.hpp"
#include "run/program.hpp"
#include "sim/read_ahead.hpp"
#include "sim/native_runner.hpp"
#include "sim/policies.hpp"
#include "sim/runner_selection.hpp"
#include "sim/sim_output.hpp"

namespace wasmhop::sim {
namespace {

using testing::random_trace;
using testing::TraceShape;

Trace make_trace(std::uint64_t seed, std::size_t n) {
  TraceShape shape;
  shape.requests = n;
  shape.ids = 500;
  shape.size_change_prob = 0.01;
  Trace t;
  t.path = "memory";
  t.requests = random_trace(seed, shape);
  t.stats.records = t.requests.size();
  return t;
}

TEST(PolicyCatalogue, ParseLists) {
  auto all = parse_policy_list("all", cache::Cost::one);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), policy_catalogue().size());
  auto some = parse_policy_list("LRU, largest_first,gds:packets,gd-size,lfu-da", cache::Cost::one);
  ASSERT_TRUE(some) << some.error().message;
  ASSERT_EQ(some->size(), 5u);
  EXPECT_EQ((*some)[1].info->name, "largest-first");
  EXPECT_EQ((*some)[2].cost, cache::Cost::packets);
  EXPECT_EQ((*some)[3].cost, cache::Cost::one);
  EXPECT_EQ((*some)[4].info->name, "lfuda");
  auto bad = parse_policy_list("lru,arc", cache::Cost::one);
  ASSERT_FALSE(bad);
  // Every catalogue name is offered (from the catalogue: adding a policy does not touch this test).
  std::string names;
  for (const auto& p : policy_catalogue()) names += std::string(p.name) + ", ";
  EXPECT_EQ(bad.error().message, "unknown policy 'arc' (valid: " + names + "all)");
  EXPECT_NE(names.find("fifo, lru, lfu, gds, gdsf, lfuda, largest-first"), std::string::npos) << names;
  EXPECT_FALSE(parse_policy_list("lru:size", cache::Cost::one));
  EXPECT_FALSE(parse_policy_list("gds:bytes", cache::Cost::one));
  EXPECT_FALSE(parse_size_change("sometimes"));
  EXPECT_EQ(*parse_size_change("miss"), cache::SizeChange::miss);
}

TEST(Driver, InMemoryStreamingAndDirectAgree) {
  Trace trace = make_trace(1, 20000);
  auto policies = parse_policy_list("all,gds:packets,gdsf:size", cache::Cost::one);
  ASSERT_TRUE(policies);
  std::vector<std::uint64_t> sizes{100, 1000, 5000};
  auto runs = make_runs(*policies, sizes, cache::SizeChange::miss);
  ASSERT_EQ(runs.size(), 27u);
  NativeRunnerFactory factory;
  auto parallel = run_sweep(trace, runs, factory, SweepOptions{.threads = 4, .warmup = 0, .chunk_records = 0});
  ASSERT_TRUE(parallel) << parallel.error().message;
  auto serial = run_sweep(trace, runs, factory, SweepOptions{.threads = 1, .warmup = 0, .chunk_records = 0});
  ASSERT_TRUE(serial);
  ASSERT_EQ(parallel->records.size(), runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const SimRecord& r = parallel->records[i];
    EXPECT_EQ(r.policy, runs[i].policy);
    EXPECT_EQ(r.config.capacity, runs[i].config.capacity);
    EXPECT_EQ(r.stats, serial->records[i].stats);
    EXPECT_EQ(r.stats.requests, trace.requests.size());
    EXPECT_EQ(r.label.engine, "native");
    // Direct call of the policy through the catalogue.
    auto direct = find_policy(r.policy)->make_native(runs[i].config);
    ASSERT_TRUE(direct->access_batch(trace.requests));
    EXPECT_EQ(r.stats, *direct->stats()) << r.policy_label();
  }
  // Streaming the same trace from a file, in small chunks.
  auto dir = std::filesystem::path(::testing::TempDir()) / "wasmhop_sim_driver";
  std::filesystem::create_directories(dir);
  std::string path = (dir / "t.dat").string();
  {
    std::ofstream f(path);
    for (auto& r : trace.requests) f << r.id << ' ' << r.size << '\n';
  }
  TraceOptions topts;
  topts.path = path;
  topts.allow_zero_size = true;
  auto reader = open_trace(topts);
  ASSERT_TRUE(reader);
  auto streamed = run_sweep(**reader, runs, factory, SweepOptions{.threads = 2, .warmup = 0, .chunk_records = 777});
  ASSERT_TRUE(streamed) << streamed.error().message;
  EXPECT_TRUE(streamed->trace.streamed);
  EXPECT_EQ(streamed->trace.records, trace.requests.size());
  for (std::size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(streamed->records[i].stats, parallel->records[i].stats);
  // One job at a time leaves a processor for reading ahead, where the process has two.
  auto again = open_trace(topts);
  ASSERT_TRUE(again);
  auto one = run_sweep(**again, runs, factory, SweepOptions{.threads = 1, .warmup = 0, .chunk_records = 777});
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->trace.read_ahead, run::usable_processors() > 1);
  EXPECT_EQ(one->trace.records, trace.requests.size());
  for (std::size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(one->records[i].stats, parallel->records[i].stats);
  std::filesystem::remove_all(dir);
}

TEST(Driver, WarmupExcludesThePrefix) {
  Trace trace = make_trace(2, 5000);
  auto policies = parse_policy_list("lru,gdsf", cache::Cost::one);
  std::vector<std::uint64_t> sizes{2000};
  auto runs = make_runs(*policies, sizes, cache::SizeChange::first_size);
  NativeRunnerFactory factory;
  auto result = run_sweep(trace, runs, factory, SweepOptions{.threads = 1, .warmup = 1234, .chunk_records = 0});
  ASSERT_TRUE(result);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto runner = *factory.create(runs[i]);
    std::span<const Request> all(trace.requests);
    ASSERT_TRUE(runner->access_batch(all.first(1234)));
    cache::CacheStats prefix = *runner->stats();
    ASSERT_TRUE(runner->access_batch(all.subspan(1234)));
    cache::CacheStats full = *runner->stats();
    const cache::CacheStats& got = result->records[i].stats;
    EXPECT_EQ(got.requests, full.requests - prefix.requests);
    EXPECT_EQ(got.hits, full.hits - prefix.hits);
    EXPECT_EQ(got.bytes_hit, full.bytes_hit - prefix.bytes_hit);
    EXPECT_EQ(result->records[i].simulated, trace.requests.size());
  }
  EXPECT_FALSE(run_sweep(trace, runs, factory, SweepOptions{.threads = 1, .warmup = 5000, .chunk_records = 0}));
}

// A stand-in for a scripted runner: single-threaded, counts one request too few when asked to.
class FakeFactory final : public RunnerFactory {
 public:
  explicit FakeFactory(bool lose_one) : lose_one_(lose_one) {}
  RunnerLabel label() const override { return {"fake", "t1", "batch", false}; }
  unsigned max_concurrency() const override { return 1; }
  Result<std::unique_ptr<PolicyRunner>> create(const RunSpec& spec) override {
    struct Runner final : PolicyRunner {
      Runner(FakeFactory& f, const cache::CacheConfig& c) : owner(f), lru(c) {}
      Status access_batch(std::span<const Request> rs) override {
        {
          std::lock_guard lock(owner.mutex);
          owner.threads.insert(std::this_thread::get_id());
        }
        for (std::size_t i = owner.lose_one_ ? 1 : 0; i < rs.size(); ++i) lru.access(rs[i].id, rs[i].size);
        return {};
      }
      Result<cache::CacheStats> stats() override { return lru.stats(); }
      FakeFactory& owner;
      cache::Lru lru;
    };
    return std::make_unique<Runner>(*this, spec.config);
  }
  std::mutex mutex;
  std::set<std::thread::id> threads;

 private:
  bool lose_one_;
};

TEST(Driver, RespectsMaxConcurrencyAndChecksCounts) {
  Trace trace = make_trace(3, 3000);
  auto policies = parse_policy_list("lru", cache::Cost::one);
  std::vector<std::uint64_t> sizes{100, 200, 400, 800};
  auto runs = make_runs(*policies, sizes, cache::SizeChange::first_size);
  FakeFactory good(false);
  auto result = run_sweep(trace, runs, good, SweepOptions{.threads = 8, .warmup = 0, .chunk_records = 0});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->threads, 1u);
  EXPECT_EQ(good.threads, std::set<std::thread::id>{std::this_thread::get_id()});
  EXPECT_EQ(result->records[0].label.engine, "fake");
  EXPECT_FALSE(result->records[0].label.cached);
  FakeFactory lossy(true);
  auto bad = run_sweep(trace, runs, lossy, SweepOptions{.threads = 8, .warmup = 0, .chunk_records = 0});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("lru at 100 B: the runner counted 2999 requests, the trace has 3000"),
            std::string::npos)
      << bad.error().message;
}

// With no selection, only the native baseline runs (scripted runs are asked for by engine; the
// simscript tests cover them).
TEST(Driver, DefaultSelectionIsTheNativeBaseline) {
  RunnerSelection sel;
  auto f = make_runner_factories(sel);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->size(), 1u);
}

TEST(Output, CsvAndJsonCarryExactCounts) {
  Trace trace = make_trace(4, 2000);
  auto policies = parse_policy_list("lru,gds", cache::Cost::packets);
  std::vector<std::uint64_t> sizes{4u << 20, 300};
  auto runs = make_runs(*policies, sizes, cache::SizeChange::first_size);
  NativeRunnerFactory factory;
  auto result = run_sweep(trace, runs, factory, SweepOptions{.threads = 2, .warmup = 0, .chunk_records = 0});
  ASSERT_TRUE(result);
  std::string csv = to_csv(*result);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "policy,cost,cache_bytes,size_change,engine,tier,abi,cached,requests,hits,bytes_requested,bytes_hit,"
            "hit_rate,byte_hit_rate,setup_seconds,sim_seconds,sim_cpu_seconds,requests_per_second,warmup,read_seconds");
  EXPECT_NE(csv.find("\nlru,-,4194304,first-size,native,-,direct,true,2000,"), std::string::npos);
  EXPECT_NE(csv.find("\ngds,packets,300,first-size,native,-,direct,true,2000,"), std::string::npos);
  auto doc = nlohmann::json::parse(to_json(*result));
  ASSERT_EQ(doc["records"].size(), 4u);
  EXPECT_EQ(doc["records"][0]["hits"].get<std::uint64_t>(), result->records[0].stats.hits);
  EXPECT_EQ(doc["records"][3]["cost"], "packets");
  EXPECT_EQ(doc["trace"]["records"].get<std::uint64_t>(), 2000u);
  std::string table = format_table(*result);
  EXPECT_NE(table.find("gds(packets)"), std::string::npos);
  EXPECT_NE(table.find("4194304"), std::string::npos);
  EXPECT_NE(table.find(" cached "), std::string::npos) << table;  // scripted rows say yes/no, native "-"
}

TEST(Driver, RecordsAreReportedAsJobsEndAndAStopLeavesTheCompletedOnes) {
  Trace trace = make_trace(5, 3000);
  auto policies = parse_policy_list("fifo,lru,lfu", cache::Cost::one);
  std::vector<std::uint64_t> sizes{1000, 5000};
  auto runs = make_runs(*policies, sizes, cache::SizeChange::first_size);
  NativeRunnerFactory factory;
  std::atomic<int> stop{0};
  std::vector<std::string> seen;
  SweepOptions o{.threads = 1};
  o.stop = &stop;
  o.on_record = [&](const SimRecord& r) {
    seen.push_back(job_key(r));
    if (seen.size() == 2) stop.store(SIGINT);  // as a signal handler would
  };
  auto result = run_sweep(trace, runs, factory, o);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->interrupted);
  ASSERT_EQ(result->records.size(), 2u);
  EXPECT_EQ(seen, (std::vector<std::string>{job_key(runs[0], factory.label()), job_key(runs[1], factory.label())}));
  EXPECT_EQ(job_key(result->records[1]), seen[1]);
  EXPECT_NE(to_json(*result).find("\"interrupted\": true"), std::string::npos);

  stop.store(0);
  o.on_record = nullptr;
  auto whole = run_sweep(trace, runs, factory, o);
  ASSERT_TRUE(whole);
  EXPECT_FALSE(whole->interrupted);
  EXPECT_EQ(whole->records.size(), runs.size());
}

TEST(Output, RecordsRoundTripForResume) {
  Trace trace = make_trace(6, 1500);
  auto policies = parse_policy_list("lru,gds:packets", cache::Cost::one);
  std::vector<std::uint64_t> sizes{700, 9000};
  auto runs = make_runs(*policies, sizes, cache::SizeChange::miss);
  NativeRunnerFactory factory;
  auto result = run_sweep(trace, runs, factory, SweepOptions{.threads = 1});
  ASSERT_TRUE(result);
  RecordContext context;
  context.run_id = "r";
  context.purpose = "sweep";
  context.trace = "t";
  context.trace_records = 1500;
  for (const SimRecord& r : result->records) {
    // Through the typed, versioned record and its JSON line, as --resume reads it back.
    const run::SimRecord rec = to_run_record(r, context);
    EXPECT_EQ(rec.step, job_key(r));
    EXPECT_EQ(rec.purpose, "sweep");
    auto parsed = run::to_sim_record(run::to_json_object(rec));
    ASSERT_TRUE(parsed) << parsed.error().message;
    auto back = from_run_record(*parsed);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(job_key(*back), job_key(r));
    EXPECT_EQ(back->stats, r.stats);
    EXPECT_EQ(back->simulated, r.simulated);
    EXPECT_DOUBLE_EQ(back->sim_cpu_seconds, r.sim_cpu_seconds);
  }
  nlohmann::json bad = run::to_json_object(to_run_record(result->records[0], context));
  bad["hits"] = bad["requests"].get<std::uint64_t>() + 1;
  EXPECT_FALSE(run::to_sim_record(bad));
  bad = run::to_json_object(to_run_record(result->records[0], context));
  bad.erase("engine");
  EXPECT_FALSE(run::to_sim_record(bad));
  bad = run::to_json_object(to_run_record(result->records[0], context));
  bad["schema"] = 1;
  auto old = run::to_sim_record(bad);
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("record schema 1"), std::string::npos) << old.error().message;
}

}  // namespace
}  // namespace wasmhop::sim
