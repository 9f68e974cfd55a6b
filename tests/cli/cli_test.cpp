// `wasmhop engines` and `wasmhop run`, run as a user would (exit status, stdout, stderr).
#include <sys/wait.h>

#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct CliRun {
  int status;
  std::string out;  // stdout and stderr together
};

CliRun run(const std::string& args) {
  const std::string cmd = std::string(WASMHOP_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (p != nullptr && fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  const int raw = p != nullptr ? pclose(p) : -1;
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, out};
}

const std::string kGuest = std::string(WASMHOP_GUEST_DIR) + "/conformance.wasm";

TEST(Cli, EnginesListsAllSixWithVersions) {
  const CliRun r = run("engines --json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto engines = nlohmann::json::parse(r.out);
  std::vector<std::string> ids;
  const std::vector<std::string> builtin{"native", "wabt-interp", "v8", "v8-liftoff", "v8-turbofan", "wasm2c"};
  for (const auto& e : engines) {
    ids.push_back(e["id"]);
    if (ids.size() > builtin.size() && !e["available"].get<bool>()) {
      // A plugin engine this build left out says why.
      EXPECT_NE(e["error"].get<std::string>().find("not built here"), std::string::npos) << e.dump();
      continue;
    }
    EXPECT_TRUE(e["available"].get<bool>()) << e.dump();
    EXPECT_FALSE(e["version"].get<std::string>().empty()) << e.dump();
    EXPECT_FALSE(e["tier"].get<std::string>().empty()) << e.dump();
    EXPECT_TRUE(e["capabilities"].contains("sandboxed"));
  }
  // The six built-in engines first, then the plugin engines of the registry.
  ASSERT_GE(ids.size(), builtin.size());
  EXPECT_EQ(std::vector<std::string>(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(builtin.size())), builtin);
  const CliRun table = run("engines");
  ASSERT_EQ(table.status, 0);
  for (const auto& id : ids) EXPECT_NE(table.out.find(id), std::string::npos) << id;
}

TEST(Cli, RunPrintsResultsOnEveryEngine) {
  for (const char* id : {"native", "wabt-interp", "v8-liftoff", "wasm2c"}) {
    const CliRun r = run(std::string("run --engine ") + id + " " + kGuest + " add_i32 40 2");
    EXPECT_EQ(r.status, 0) << id << ": " << r.out;
    EXPECT_EQ(r.out, "42\n") << id;
    const CliRun f = run(std::string("run -e ") + id + " " + kGuest + " mul_f64 1.5 -4");
    EXPECT_EQ(f.out, "-6\n") << id;
  }
}

// Each kind of failure: one "error:" line naming it, and the exit status the README documents.
TEST(Cli, RunReportsErrorsWithKindAndDocumentedStatus) {
  struct Case {
    std::string args;
    std::string expected;
    int status;
  };
  const std::string guests = WASMHOP_GUEST_DIR;
  const Case cases[] = {
      {"run -e wasm2c " + kGuest + " div_s 1 0", "trap (integer_divide_by_zero)", 7},
      {"run -e native " + kGuest + " trap_unreachable", "trap (unreachable)", 7},
      {"run -e wabt-interp " + kGuest + " nope", "missing_export", 5},
      {"run -e wasm2c " + kGuest + " add_i32 1", "takes 2 argument(s), 1 given", 2},
      {"run -e wasm2c " + kGuest + " add_i32 1 x", "not a valid i32", 2},
      {"run -e nosuch " + kGuest + " add_i32 1 2", "unknown engine 'nosuch'", 2},
      {"run -e v8 /nonexistent.wasm add_i32 1 2", "io_error", 1},
      {"run -e wabt-interp " + std::string(WASMHOP_CLI) + " main", "malformed_module", 4},
      {"run -e wabt-interp " + guests + "/needs_import.wasm call_log 1", "env.host_log of type (i32) -> ()", 6},
      {"run -e wabt-interp " + kGuest, "no `_start`", 5},
  };
  for (const auto& c : cases) {
    const CliRun r = run(c.args);
    EXPECT_EQ(r.status, c.status) << c.args << ": " << r.out;
    EXPECT_NE(r.out.find("error: "), std::string::npos) << c.args << ": " << r.out;
    EXPECT_NE(r.out.find(c.expected), std::string::npos) << c.args << ": " << r.out;
  }
}

// A C program built as an ordinary WASI command runs its main under the minimal WASI, and its
// proc_exit status becomes the command's, on every engine that has host functions.
TEST(Cli, RunsAWasiCommandAndExitsWithItsStatus) {
  const auto engines = nlohmann::json::parse(run("engines --json").out);
  int ran = 0;
  for (const auto& e : engines) {
    if (!e.value("available", false) || !e["capabilities"].value("host_functions", false) ||
        !e["capabilities"].value("loads_wasm", false)) {
      continue;
    }
    const std::string id = e["id"];
    const CliRun r = run("run -e " + id + " " + std::string(WASMHOP_GUEST_DIR) + "/wasi_hello.wasm");
    EXPECT_EQ(r.status, 7) << id << ": " << r.out;
    EXPECT_NE(r.out.find("hello from wasi: monotonic ok, random ok, year>2020 ok\n"), std::string::npos)
        << id << ": " << r.out;
    EXPECT_NE(r.out.find("to stderr\n"), std::string::npos) << id << ": " << r.out;
    ++ran;
  }
  EXPECT_GE(ran, 5) << "wabt-interp, the three V8 tiers and wasm2c are always built";
}

// The micro-benchmark end to end: records, summary, console table and plots.
TEST(Cli, MicroQuickWritesRecordsSummaryAndPlots) {
  const std::string dir = ::testing::TempDir() + "wasmhop-micro-" + std::to_string(getpid());
  const std::string build = WASMHOP_TEST_HOST_BUILD;  // this binary's own host build only
  const CliRun r = run("micro --quick --builds " + build + " --engines native,wasm2c --reps 2 --out " + dir);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("pod-cached-static"), std::string::npos) << r.out;
  const std::string records_native = "records/micro." + build + ".native.jsonl";
  const std::string records_wasm2c = "records/micro." + build + ".wasm2c.jsonl";
  for (const std::string f : {records_native, records_wasm2c, std::string("micro_summary.csv"),
                              std::string("micro_summary.json"), std::string("run.json"), std::string("journal.jsonl"),
                              std::string("plots/fig3_4_wasm2c.png"), std::string("plots/configs_across_engines.png")}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f << "\n" << r.out;
  }
  for (const std::string f : {"plots/batch_sweep_" + build + ".png", "plots/payload_sweep_" + build + ".png",
                              "plots/hop_directions_" + build + ".png"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f << "\n" << r.out;
  }
  // Table 1: every configuration (at least the paper's 12, native, pair-typed, FlatBuffers and
  // pair-many, pair-typed-per-call-guard; one more per ABI the registry adds) on both engines, 2 replications each; plus the sweeps.
  // Every record typed and versioned, stamped with its step.
  std::map<std::pair<std::string, std::string>, int> table1;  // (engine, config) -> records
  std::set<std::string> configs;
  for (const std::string& file : {records_native, records_wasm2c}) {
    std::ifstream in(dir + "/" + file);
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line);
      EXPECT_EQ(j["kind"], "micro");
      EXPECT_EQ(j["schema"], 2);
      EXPECT_EQ("records/" + j["step"].get<std::string>() + ".jsonl", file);
      if (j["experiment"] == "table1") {
        ++table1[{j["engine"].get<std::string>(), j["config"].get<std::string>()}];
        configs.insert(j["config"].get<std::string>());
        EXPECT_GT(j["ns_per_call"].get<double>(), 0.0);
      }
    }
  }
  EXPECT_GE(configs.size(), 17u);
  EXPECT_EQ(table1.size(), 2 * configs.size());
  for (const auto& [key, n] : table1) EXPECT_EQ(n, 2) << key.first << " " << key.second;
  // An existing results directory is refused, with the reason.
  const CliRun again = run("micro --quick --builds " + build + " --engines native --out " + dir);
  EXPECT_EQ(again.status, 2);
  EXPECT_NE(again.out.find("exists"), std::string::npos) << again.out;
  std::filesystem::remove_all(dir);
}

TEST(Cli, UnknownCommandIsAnError) {
  const CliRun r = run("frobnicate");
  EXPECT_NE(r.status, 0);
}

}  // namespace
