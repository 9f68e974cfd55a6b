// A results directory: a new run refuses a directory that holds one; --resume reads run.json (of its
// command and record version only) and the journal, and sets aside exactly the records of steps the
// journal does not mark complete (whole files, or the lines of such steps in a shared file).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "run/jsonl.hpp"
#include "run/records.hpp"
#include "run/run_dir.hpp"
#include "temp_dir_test.hpp"

namespace wasmhop::run {
namespace {

namespace fs = std::filesystem;
using RunDirTest = test::TempDirTest;

nlohmann::json rec(const std::string& step, int i) {
  nlohmann::json j = nlohmann::json::object();
  put_header(j, "micro", make_header("r/" + step, step));
  j["i"] = i;
  return j;
}

void append_to(const fs::path& file, const std::vector<nlohmann::json>& records, const std::string& tail = "") {
  auto w = AppendOnlyWriter::open(file);
  ASSERT_TRUE(w);
  for (const auto& r : records) ASSERT_TRUE(w->append(r));
  ASSERT_TRUE(w->close());
  if (!tail.empty()) std::ofstream(file, std::ios::app) << tail;  // a writer killed mid-line
}

TEST_F(RunDirTest, ANewRunRefusesADirectoryHoldingOne) {
  const fs::path dir = dir_ / "run";
  {
    auto d = RunDir::create(dir, "micro");
    ASSERT_TRUE(d) << d.error().message;
    ASSERT_TRUE(d->write_doc({{"options", {{"reps", 3}}}}));
    auto again = RunDir::create(dir, "micro");  // locked, and it holds a run
    ASSERT_FALSE(again);
  }
  auto again = RunDir::create(dir, "micro");
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("--resume"), std::string::npos) << again.error().message;
  // A directory of other things: refused for micro and suite, taken by sim (its --out may be such a one).
  const fs::path other = dir_ / "other";
  fs::create_directories(other);
  std::ofstream(other / "notes.txt") << "x\n";
  auto refused = RunDir::create(other, "micro");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("exists and is not empty"), std::string::npos) << refused.error().message;
  EXPECT_TRUE(RunDir::create(other, "sim", RunDir::Existing::no_run));
  EXPECT_FALSE(RunDir::create(dir, "sim", RunDir::Existing::no_run));  // holds a run
  auto doc = read_json_file(dir / "run.json");
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["command"], "micro");
  EXPECT_EQ((*doc)["records_schema"], kRecordSchema);
  EXPECT_EQ((*doc)["options"]["reps"], 3);
}

TEST_F(RunDirTest, ResumeChecksTheCommandAndTheVersion) {
  const fs::path dir = dir_ / "run";
  { ASSERT_TRUE(RunDir::create(dir, "sim")->write_doc({})); }
  auto other = RunDir::resume(dir, "micro");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("of wasmhop sim, not of wasmhop micro"), std::string::npos)
      << other.error().message;
  auto doc = read_json_file(dir / "run.json");
  (*doc)["records_schema"] = 1;
  ASSERT_TRUE(write_json_file(dir / "run.json", *doc));
  auto old = RunDir::resume(dir, "sim");
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().message.find("record schema 1"), std::string::npos) << old.error().message;
  auto none = RunDir::resume(dir_ / "nowhere", "sim");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("not a directory"), std::string::npos) << none.error().message;
}

TEST_F(RunDirTest, ResumeSetsAsideTheRecordsOfUnfinishedSteps) {
  const fs::path dir = dir_ / "run";
  {
    auto d = RunDir::create(dir, "suite");
    ASSERT_TRUE(d);
    ASSERT_TRUE(d->write_doc({}));
    Journal& j = d->journal();
    ASSERT_TRUE(j.run_start("suite", {"wasmhop"}, false));
    ASSERT_TRUE(j.step_start("a", 1));
    append_to(d->records_file("a"), {rec("a", 1), rec("a", 2)});
    ASSERT_TRUE(j.step_done("a", 1, 1.0, 0.5, 2));
    ASSERT_TRUE(j.step_start("b", 1));  // interrupted: no step-done
    append_to(d->records_file("b"), {rec("b", 1)}, "{\"kind\":\"mic");
    // A shared file (sim's): lines of a completed step and of an unfinished one.
    ASSERT_TRUE(j.step_done("s1", 1, 0.1, 0.1, 1));
    append_to(d->records_file("sim"), {rec("s1", 1), rec("s2", 1)});
  }
  auto d = RunDir::resume(dir, "suite");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE(d->prior().done("a"));
  EXPECT_FALSE(d->prior().done("b"));
  EXPECT_EQ(d->prior().attempts("b"), 1);
  EXPECT_EQ(d->prior().run_starts, 1);
  std::vector<std::string> said;
  auto aside = d->set_aside_unfinished([&](const std::string& s) { said.push_back(s); });
  ASSERT_TRUE(aside) << aside.error().message;
  EXPECT_EQ(*aside, 3u);  // b's record and torn line, s2's record
  EXPECT_EQ(read_jsonl(d->records_file("a"))->records.size(), 2u);  // untouched
  EXPECT_FALSE(fs::exists(d->records_file("b")));
  auto sim = read_jsonl(d->records_file("sim"));
  ASSERT_TRUE(sim);
  ASSERT_EQ(sim->records.size(), 1u);
  EXPECT_EQ(sim->records[0]["step"], "s1");
  EXPECT_TRUE(fs::exists(dir / "records" / "discarded" / "b.session1.jsonl"));
  EXPECT_TRUE(fs::exists(dir / "records" / "discarded" / "sim.session1.jsonl"));
  EXPECT_EQ(said.size(), 3u);  // b, the torn line, s2
  // The journal says what was set aside.
  auto j = read_journal(dir / "journal.jsonl");
  ASSERT_TRUE(j);
  int discarded = 0;
  for (const auto& ev : j->events) discarded += ev.value("event", "") == "step-discarded";
  EXPECT_EQ(discarded, 3);
  // Nothing left to set aside the second time.
  auto again = d->set_aside_unfinished(nullptr);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0u);
}

}  // namespace
}  // namespace wasmhop::run
