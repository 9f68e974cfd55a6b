// `wasmhop suite --shard K/N` and `wasmhop report DIR...`.
//
// Shard.*: every step of the plan in exactly one shard (gen in all), the same assignment on every call
// (every machine computes it alone), about 1/N of the expected time each; a bad K/N refused.
//
// ShardStudy.*: a study across machines, in miniature (the built wasmhop, run as a user runs it): a
// quick suite run whole, and the same suite as two shards merged by `wasmhop report --out DIR S1 S2`.
// The merged records and report equal the unsharded run's in everything that does not depend on timing
// (the same record set: steps, configurations, replications, checksums, exact hit counts; the same
// summary groups with the same replication and hit counts). Then the refusals, one line each.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run/child.hpp"
#include "run/journal.hpp"
#include "run/jsonl.hpp"
#include "suite/plan.hpp"
#include "suite/shard.hpp"
#include "suite/study.hpp"

namespace wasmhop::suite {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Plan default_plan() {
  auto p = mode_params("default");
  EXPECT_TRUE(p);
  p->engines = {{"native", false, false, false, false},     {"wasm2c", true, false, true, false},
                {"v8", true, false, false, false},          {"wasm3", true, true, false, false},
                {"wasmtime-cranelift", true, false, false, true}};
  return make_plan(*p);
}

TEST(Shard, ParsesKOfN) {
  auto s = parse_shard("2/4");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 4);
  EXPECT_EQ(to_string(*s), "2/4");
  for (const char* bad : {"0/2", "3/2", "2", "1/0", "a/b", "1/2/3", "-1/2", "1/ 2", ""}) {
    auto r = parse_shard(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_NE(r.error().message.find("K/N"), std::string::npos) << r.error().message;
    }
  }
}

TEST(Shard, EveryStepInExactlyOneShardAndGenInAll) {
  const Plan plan = default_plan();
  for (int n : {1, 2, 3, 4, 7}) {
    std::multiset<std::string> seen;
    for (int k = 1; k <= n; ++k) {
      const auto steps = shard_steps(plan, {k, n});
      ASSERT_FALSE(steps.empty());
      EXPECT_EQ(steps.front()->id, "gen") << "gen runs first in every shard";
      for (const Step* s : steps) seen.insert(s->id);
      // In the plan's run order.
      for (std::size_t i = 1; i < steps.size(); ++i) EXPECT_LT(steps[i - 1], steps[i]);
    }
    for (const Step& s : plan.steps) {
      EXPECT_EQ(seen.count(s.id), s.kind == StepKind::gen ? static_cast<std::size_t>(n) : 1u) << s.id << " of " << n;
    }
  }
}

TEST(Shard, TheSameOnEveryCallAndBalanced) {
  const Plan plan = default_plan();
  EXPECT_EQ(assign_shards(plan, 4), assign_shards(default_plan(), 4));
  double total = 0, longest = 0;
  for (const Step& s : plan.steps) {
    if (s.kind == StepKind::gen) continue;
    total += s.expected_s;
    longest = std::max(longest, s.expected_s);
  }
  for (int n : {2, 4}) {
    std::vector<double> load(static_cast<std::size_t>(n), 0.0);
    const auto shard = assign_shards(plan, n);
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
      if (shard[i] > 0) load[static_cast<std::size_t>(shard[i] - 1)] += plan.steps[i].expected_s;
    }
    // Greedy, longest first: no shard exceeds the fair share by more than the longest step.
    for (double l : load) EXPECT_LE(l, total / n + longest) << n << " shards";
  }
}

// ---- a study as two shards ----

struct Ran {
  int status = -1;
  std::string output;  // stdout + stderr
};

// Runs the built wasmhop with `args`; its output through a log file in the work directory.
Ran wasmhop(const fs::path& work, const std::vector<std::string>& args) {
  static int n = 0;
  const fs::path log = work / "logs" / fmt::format("cmd{}.log", ++n);
  std::vector<std::string> argv{WASMHOP_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  run::ChildOptions options;
  options.log = log;
  auto r = run::run_logged(argv, options);
  Ran out;
  if (!r) {
    out.output = r.error().message;
    return out;
  }
  out.status = r->exit_status;
  out.output = run::read_text_file(log).value_or("");
  return out;
}

std::set<std::string> done_steps(const fs::path& dir) {
  std::set<std::string> out;
  auto j = run::read_journal(dir / "journal.jsonl");
  EXPECT_TRUE(j) << dir;
  if (j) {
    for (const auto& [id, st] : j->steps) {
      if (st.done) out.insert(id);
    }
  }
  return out;
}

std::vector<std::string> plan_step_ids(const fs::path& dir) {
  std::vector<std::string> ids;
  auto doc = run::read_json_file(dir / "run.json");
  EXPECT_TRUE(doc) << dir;
  if (doc) {
    for (const auto& s : doc->value("steps", json::array())) ids.push_back(s.value("id", std::string()));
  }
  return ids;
}

// What a record says that does not depend on timing (sweep points calibrate their call counts, so
// only Table 1's calls and checksums are fixed), one string each, sorted.
std::vector<std::string> identities(const Study& s) {
  std::vector<std::string> out;
  for (const auto& r : s.micro) {
    std::string id = fmt::format("micro {} {} {} {} {} {} r{} b{} p{}", r.step, r.host_build, r.experiment, r.engine,
                                 r.tier, r.config, r.replication, r.batch_size.value_or(0),
                                 r.payload_bytes.value_or(0));
    if (r.experiment == "table1") id += fmt::format(" calls {} checksum {}", r.calls, r.checksum.value_or(-1));
    out.push_back(std::move(id));
  }
  for (const auto& r : s.sim) {
    out.push_back(fmt::format("sim {} {} {} {} r{} {} {} {} {} {} {} {} {} | {} {} {} {}", r.step, r.host_build,
                              r.purpose, r.trace, r.replication, r.policy, r.cost, r.cache_bytes, r.size_change,
                              r.engine, r.tier, r.abi, r.cached, r.requests, r.hits, r.bytes_requested, r.bytes_hit));
  }
  for (const auto& w : s.data.workloads) {
    out.push_back(fmt::format("workload {} {} {} {} {} {} {}", w.name, w.generator, w.requests, w.objects,
                              w.requested_bytes, w.unique_bytes, w.sample_requests));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The named columns of a summary CSV (no quoted fields: the summaries write none), one string per
// row, sorted.
std::vector<std::string> csv_rows(const fs::path& file, const std::vector<std::string>& columns) {
  std::ifstream in(file);
  EXPECT_TRUE(in) << file;
  auto split = [](const std::string& line) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (!line.empty() && line.back() == ',') f.emplace_back();
    return f;
  };
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  std::vector<std::size_t> at;
  for (const auto& c : columns) {
    const auto it = std::find(header.begin(), header.end(), c);
    EXPECT_NE(it, header.end()) << file << " has no column " << c;
    at.push_back(static_cast<std::size_t>(it - header.begin()));
  }
  std::vector<std::string> rows;
  while (std::getline(in, line)) {
    const auto f = split(line);
    std::string row;
    for (std::size_t i : at) row += (i < f.size() ? f[i] : std::string("?")) + ",";
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

class ShardStudy : public ::testing::Test {
 protected:
  // The three runs, once for every test of the fixture.
  static void SetUpTestSuite() {
    std::error_code ec;
    fs::remove_all(work(), ec);
    fs::create_directories(work() / "logs", ec);
    for (const auto& [dir, shard] : {std::pair{whole(), ""}, {shard1(), "1/2"}, {shard2(), "2/2"}}) {
      std::vector<std::string> args{"suite", "--out", dir.string()};
      args.insert(args.end(), common().begin(), common().end());
      if (*shard) args.insert(args.end(), {"--shard", shard});
      const Ran r = wasmhop(work(), args);
      ran_ok() = ran_ok() && r.status == 0;
      if (r.status != 0) fmt::print(stderr, "wasmhop {} exited with {}:\n{}\n", fmt::join(args, " "), r.status, r.output);
    }
  }
  void SetUp() override { ASSERT_TRUE(ran_ok()) << "a suite run failed (its output is above)"; }

  static fs::path work() { return WASMHOP_SHARD_WORK; }
  static fs::path whole() { return work() / "whole"; }
  static fs::path shard1() { return work() / "shard1"; }
  static fs::path shard2() { return work() / "shard2"; }
  static bool& ran_ok() {
    static bool ok = true;
    return ok;
  }
  static const std::vector<std::string>& common() {
    static const std::vector<std::string> c{"--quick",   "--seed",       "5", "--engines", "native,wasm3,wasm2c",
                                            "--builds",  WASMHOP_TEST_HOST_BUILD, "--no-build", "--micro-reps", "2",
                                            "--no-report"};
    return c;
  }

  // Refused with exit status 2 and one line naming each of `words`.
  static void expect_refused(const std::vector<std::string>& args, const std::vector<std::string>& words) {
    const Ran r = wasmhop(work(), args);
    const std::string what = fmt::format("wasmhop {}", fmt::join(args, " "));
    EXPECT_EQ(r.status, 2) << what << "\n" << r.output;
    for (const auto& w : words) EXPECT_NE(r.output.find(w), std::string::npos) << what << ": not naming '" << w << "': " << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << what << ": not one line: " << r.output;
  }

  // A copy of a results directory with run.json, or the first line of a records file, changed.
  static fs::path copy_with(const fs::path& from, const std::string& name, const std::function<void(json&)>& edit,
                            const std::string& file = "run.json") {
    const fs::path to = work() / name;
    std::error_code ec;
    fs::remove_all(to, ec);
    fs::copy(from, to, fs::copy_options::recursive, ec);
    fs::remove(to / ".lock", ec);
    const std::string text = run::read_text_file(to / file).value_or("");
    const bool lines = fs::path(file).extension() == ".jsonl";
    const std::size_t end = lines ? text.find('\n') : text.size();
    json j = json::parse(text.substr(0, end));
    edit(j);
    std::ofstream(to / file, std::ios::trunc) << j.dump() << (lines ? text.substr(end) : std::string("\n"));
    return to;
  }
};

TEST_F(ShardStudy, TheShardsSplitThePlan) {
  const auto plan = plan_step_ids(whole());
  EXPECT_EQ(plan_step_ids(shard1()), plan);
  EXPECT_EQ(plan_step_ids(shard2()), plan);
  const auto d1 = done_steps(shard1()), d2 = done_steps(shard2());
  std::set<std::string> both, either(d1);
  std::set_intersection(d1.begin(), d1.end(), d2.begin(), d2.end(), std::inserter(both, both.end()));
  either.insert(d2.begin(), d2.end());
  EXPECT_EQ(both, std::set<std::string>{"gen"});
  EXPECT_EQ(either, std::set<std::string>(plan.begin(), plan.end()));
  EXPECT_EQ(done_steps(whole()), either);
  EXPECT_GT(d1.size(), 1u);
  EXPECT_GT(d2.size(), 1u);
  fmt::print("shard 1: {} steps, shard 2: {} steps, plan: {} steps\n", d1.size(), d2.size(), plan.size());
}

TEST_F(ShardStudy, MergedRecordsEqualTheUnshardedRuns) {
  std::vector<std::string> notes;
  auto mine = read_study({whole()}, notes);
  ASSERT_TRUE(mine) << mine.error().message;
  auto merged = read_study({shard1(), shard2()}, notes);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_TRUE(notes.empty()) << fmt::format("{}", fmt::join(notes, "\n"));
  EXPECT_FALSE(mine->micro.empty());
  EXPECT_FALSE(mine->sim.empty());
  EXPECT_EQ(mine->data.workloads.size(), 1u);
  EXPECT_EQ(identities(*merged), identities(*mine));
  EXPECT_EQ(merged->data.sources.size(), 2u);
  // The comparison sees one hit more in one simulation of a shard.
  std::string sim_file;
  for (const auto& step : done_steps(shard2())) {
    if (step.rfind("sim-", 0) == 0) sim_file = "records/" + step + ".jsonl";
  }
  ASSERT_FALSE(sim_file.empty());
  const fs::path off = copy_with(shard2(), "shard2-hit", [](json& j) { j["hits"] = j.value("hits", 0) + 1; }, sim_file);
  auto wrong = read_study({shard1(), off}, notes);
  ASSERT_TRUE(wrong) << wrong.error().message;
  EXPECT_EQ(wrong->sim.size(), mine->sim.size());
  EXPECT_NE(identities(*wrong), identities(*mine));
  fmt::print("record sets equal: {} micro, {} simulator records\n", mine->micro.size(), mine->sim.size());
}

TEST_F(ShardStudy, MergedReportNumbersEqualTheUnshardedRuns) {
  const fs::path merged = work() / "merged";
  std::error_code ec;
  fs::remove_all(merged, ec);
  for (const auto& args : {std::vector<std::string>{"report", whole().string(), "--no-plots"},
                           {"report", "--out", merged.string(), shard1().string(), shard2().string(), "--no-plots"}}) {
    const Ran r = wasmhop(work(), args);
    ASSERT_EQ(r.status, 0) << fmt::format("{}", fmt::join(args, " ")) << "\n" << r.output;
  }
  const std::vector<std::string> micro{"experiment", "host_build", "engine", "tier",       "config",
                                       "abi",        "cached",     "batch_size", "payload_bytes", "n"};
  const std::vector<std::string> sim{"purpose", "trace",    "host_build", "policy", "cache_bytes", "size_change",
                                     "engine",  "tier",     "scenario",   "requests", "hits",      "bytes_requested",
                                     "bytes_hit", "hit_rate", "counts_agree", "n"};
  const auto m_whole = csv_rows(whole() / "report" / "micro_summary.csv", micro);
  const auto s_whole = csv_rows(whole() / "report" / "sim_summary.csv", sim);
  EXPECT_FALSE(m_whole.empty());
  EXPECT_FALSE(s_whole.empty());
  EXPECT_EQ(csv_rows(merged / "report" / "micro_summary.csv", micro), m_whole);
  EXPECT_EQ(csv_rows(merged / "report" / "sim_summary.csv", sim), s_whole);
  const std::string md = run::read_text_file(merged / "report.md").value_or("");
  EXPECT_NE(md.find("reproduced the native hit counts exactly"), std::string::npos);
  EXPECT_NE(md.find("shard 1/2"), std::string::npos);
  EXPECT_NE(md.find("shard 2/2"), std::string::npos);
  fmt::print("summaries equal: {} micro groups, {} simulator groups\n", m_whole.size(), s_whole.size());
}

TEST_F(ShardStudy, ReportRefusesWhatIsNotOneStudy) {
  const std::string x = (work() / "x").string(), s1 = shard1().string(), s2 = shard2().string();
  expect_refused({"report", s1, s2}, {"--out"});
  expect_refused({"report", "--out", x, s1, whole().string()}, {"completed in both"});
  expect_refused({"report", "--out", x, s1, s1}, {"given twice"});
  const fs::path v3 = copy_with(shard2(), "shard2-v3", [](json& j) { j["records_schema"] = 3; });
  expect_refused({"report", "--out", x, s1, v3.string()}, {"different versions"});
  const fs::path v1 = copy_with(whole(), "whole-v1", [](json& j) { j["records_schema"] = 1; });
  expect_refused({"report", v1.string()}, {"record schema 1", "reads record schema 2 only"});
  const fs::path line = copy_with(whole(), "whole-line", [](json& j) { j["schema"] = 1; }, "records/gen.jsonl");
  expect_refused({"report", line.string()}, {"gen.jsonl:1", "record schema 1"});
  const fs::path seed = copy_with(shard2(), "shard2-seed", [](json& j) { j["params"]["seed"] = 6; });
  expect_refused({"report", "--out", x, s1, seed.string()}, {"planned differently"});
}

TEST_F(ShardStudy, SuiteRefusesABadShard) {
  const fs::path y = work() / "y";
  std::vector<std::string> args{"suite", "--shard", "3/2", "--out", y.string()};
  args.insert(args.end(), common().begin(), common().end());
  const Ran r = wasmhop(work(), args);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--shard"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(y));
}

}  // namespace
}  // namespace wasmhop::suite
