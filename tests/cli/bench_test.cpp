// `wasmhop bench` run as a user runs it: every engine on a module written here, the machine-readable
// outputs, the HTML page in headless Chromium, traps, timeouts and bad input (exit statuses as
// documented in `wasmhop bench --help`, the same as `run`'s: src/cli/exit_status.hpp). Short calibrated runs: each test takes seconds.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status;
  std::string out;  // stdout
  std::string err;  // stderr
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class BenchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (fs::temp_directory_path() / "wasmhop-bench-test-XXXXXX").string();
    dir_ = mkdtemp(t.data());
    std::ofstream(dir_ / "m.wat") << R"((module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "mix") (param i64 f32 f64) (result f64)
    (f64.add (f64.convert_i64_s (local.get 0)) (f64.add (f64.promote_f32 (local.get 1)) (local.get 2))))
  (func (export "boom") (result i32) unreachable)
  (func (export "spin") (param i32) (result i32)
    (loop $l (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br_if $l (i32.ne (local.get 0) (i32.const 0))))
    (local.get 0)))
)";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  CliRun run(const std::string& args) const {
    const std::string cmd = std::string(WASMHOP_CLI) + " " + args + " 2>" + (dir_ / "stderr").string();
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    std::array<char, 4096> buf{};
    while (p != nullptr && fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
    const int raw = p != nullptr ? pclose(p) : -1;
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, out, slurp(dir_ / "stderr")};
  }

  std::string wat() const { return (dir_ / "m.wat").string(); }

  fs::path dir_;
};

constexpr const char* kQuick = "--batch-ms 1 --reps 3 --max-time 0.2";

// Every engine of this build, as `wasmhop engines --json` lists it: id -> available.
std::vector<std::pair<std::string, bool>> engines_here() {
  FILE* p = popen((std::string(WASMHOP_CLI) + " engines --json").c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (p != nullptr && fgets(buf.data(), buf.size(), p) != nullptr) out += buf.data();
  if (p != nullptr) pclose(p);
  std::vector<std::pair<std::string, bool>> ids;
  for (const auto& e : nlohmann::json::parse(out)) ids.emplace_back(e["id"], e["available"]);
  return ids;
}

TEST_F(BenchCli, AddOnEveryEngineAgreesAndEveryEngineIsInTheJson) {
  const CliRun r = run(std::string("bench --json ") + kQuick + " " + wat() + " add 40 2");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["agree"].get<bool>());
  EXPECT_EQ(j["type"], "(i32, i32) -> (i32)");
  const auto here = engines_here();
  ASSERT_EQ(j["engines"].size(), here.size());
  for (const auto& [id, available] : here) {
    const auto e = std::find_if(j["engines"].begin(), j["engines"].end(), [&](const auto& x) { return x["engine"] == id; });
    ASSERT_NE(e, j["engines"].end()) << id;
    if (!available || id == "native") {  // native runs the project's scripts only, a .wat has no native build
      EXPECT_EQ((*e)["status"], "skipped") << id;
      EXPECT_FALSE((*e)["message"].get<std::string>().empty()) << id;
      continue;
    }
    EXPECT_EQ((*e)["status"], "ok") << e->dump();
    EXPECT_EQ((*e)["result"], "42") << id;
    EXPECT_GT((*e)["median_ns"].get<double>(), 0.0) << id;
    EXPECT_LE((*e)["ci_low_ns"].get<double>(), (*e)["median_ns"].get<double>()) << id;
    EXPECT_GE((*e)["ci_high_ns"].get<double>(), (*e)["median_ns"].get<double>()) << id;
    EXPECT_GE((*e)["ratio"].get<double>(), 1.0) << id;
    EXPECT_GT((*e)["calls_per_batch"].get<std::int64_t>(), 0) << id;
    EXPECT_EQ((*e)["reps"], 3) << id;
    EXPECT_EQ((*e)["differing_calls"], 0) << id;
    EXPECT_GE((*e)["compile_ms"].get<double>(), 0.0) << id;
    EXPECT_GE((*e)["instantiate_ms"].get<double>(), 0.0) << id;
    EXPECT_GT((*e)["first_call_us"].get<double>(), 0.0) << id;
    EXPECT_NE(r.err.find(id), std::string::npos) << "progress names " << id;  // "bench [k/N] id"
  }
  EXPECT_NE(r.err.find("bench [1/"), std::string::npos) << r.err;
}

TEST_F(BenchCli, CsvHasAHeaderAndOneRowPerEngineWithTypedArgs) {
  const CliRun r = run(std::string("bench --csv --engines wasm2c,wabt-interp,v8 ") + kQuick + " " + wat() +
                       " mix 0x10 1.5 -0.25");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("engine,status,tier,version,compile_ms,instantiate_ms,first_call_us,median_ns,", 0), 0u) << line;
  std::vector<std::string> ids;
  while (std::getline(in, line)) {
    ids.push_back(line.substr(0, line.find(',')));
    EXPECT_NE(line.find(",ok,"), std::string::npos) << line;
    EXPECT_NE(line.find(",17.25,"), std::string::npos) << line;  // 16 + 1.5 - 0.25
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"v8", "wabt-interp", "wasm2c"}));
}

TEST_F(BenchCli, TrapIsReportedPerEngineWithTheTrapStatus) {
  const CliRun r = run(std::string("bench --json ") + kQuick + " " + wat() + " boom");
  EXPECT_EQ(r.status, 7) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["agree"].get<bool>());  // they all trapped the same way
  int trapped = 0;
  for (const auto& e : j["engines"]) {
    if (e["status"] == "skipped") continue;
    EXPECT_EQ(e["status"], "trap") << e.dump();
    EXPECT_EQ(e["result"], "trap (unreachable)") << e.dump();
    EXPECT_NE(e["message"].get<std::string>().find("export 'boom'"), std::string::npos) << e.dump();
    ++trapped;
  }
  EXPECT_GE(trapped, 5);
}

TEST_F(BenchCli, AnEngineThatTimesOutDoesNotStopTheOthers) {
  // 10^8 loop iterations: a fraction of a second compiled, far longer interpreted.
  const CliRun r = run(std::string("bench --json --timeout 1.5 --engines wabt-interp,wasm2c ") + kQuick + " " + wat() +
                       " spin 100000000");
  EXPECT_EQ(r.status, 8) << r.out << r.err;  // the timeout status of the engine that failed
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& e : j["engines"]) {
    if (e["engine"] == "wabt-interp") {
      EXPECT_EQ(e["status"], "timeout") << e.dump();
      EXPECT_NE(e["message"].get<std::string>().find("killed"), std::string::npos) << e.dump();
    } else {
      EXPECT_EQ(e["status"], "ok") << e.dump();
      EXPECT_EQ(e["result"], "0");
    }
  }
}

TEST_F(BenchCli, BadInputIsOneLineAndRunsNothing) {
  std::ofstream(dir_ / "junk.wasm") << "this is not wasm";
  const std::string m = wat();
  struct Case {
    std::string args;
    int status;
    std::string expected;
  };
  const Case cases[] = {
      {(dir_ / "junk.wasm").string() + " add 1 2", 4, "not a WebAssembly module"},
      {(dir_ / "missing.wasm").string() + " add 1 2", 1, "cannot open"},
      {m + " nope", 5, "has no function export 'nope' (its function exports: add, mix, boom, spin)"},
      {m + " add 1", 2, "takes 2 argument(s), 1 given"},
      {m + " add 1 2 3", 2, "takes 2 argument(s), 3 given"},
      {m + " add 1 x", 2, "argument 2 'x' is not a valid i32"},
      {m + " add 1 0x100000000", 2, "not a valid i32"},
      {m + " mix 1 2 zz", 2, "argument 3 'zz' is not a valid f64"},
      {"--engines wasm2c,nosuch " + m + " add 1 2", 2, "unknown engine 'nosuch'"},
      {"--html " + (dir_ / "no" / "dir.html").string() + " " + m + " add 1 2", 1, "cannot write"},
  };
  for (const auto& [args, status, expected] : cases) {
    const CliRun r = run("bench " + args);
    EXPECT_EQ(r.status, status) << args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << args << ": " << r.out;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << args << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << args << ": " << r.err;
  }
}

TEST_F(BenchCli, HtmlPageRendersInHeadlessChromium) {
  const fs::path html = dir_ / "bench.html";
  const CliRun r = run("bench --html " + html.string() + " --engines wasm2c,wabt-interp,wasm3 " + kQuick + " " + wat() +
                       " add 1 2");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string page = slurp(html);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("http://"), page.find("http://www.w3.org/2000/svg"));  // no link but the SVG namespace
  EXPECT_EQ(page.find("https://"), std::string::npos);
  std::string chromium;
  for (const char* c : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (access(c, X_OK) == 0) chromium = c;
  }
  if (chromium.empty()) GTEST_SKIP() << "no chromium here (scripts/setup installs it): the page was written but not rendered";
  const std::string flags = " --headless --no-sandbox --disable-gpu --user-data-dir=" + (dir_ / "profile").string();
  const std::string dom_cmd = "timeout 120 " + chromium + flags + " --dump-dom file://" + html.string() + " 2>/dev/null";
  FILE* p = popen(dom_cmd.c_str(), "r");
  std::string dom;
  std::array<char, 4096> buf{};
  while (p != nullptr && fgets(buf.data(), buf.size(), p) != nullptr) dom += buf.data();
  if (p != nullptr) pclose(p);
  ASSERT_NE(dom.find("<svg"), std::string::npos) << dom.substr(0, 500);
  for (const char* id : {"wasm2c", "wabt-interp", "wasm3"}) EXPECT_NE(dom.find(id), std::string::npos) << id;
  EXPECT_NE(dom.find("ns/call"), std::string::npos);
  EXPECT_NE(dom.find("results agree"), std::string::npos);
  const fs::path png = dir_ / "bench.png";
  const std::string shot = "timeout 120 " + chromium + flags + " --window-size=1000,1200 --screenshot=" + png.string() +
                           " file://" + html.string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(shot.c_str()), 0);
  const std::string img = slurp(png);
  ASSERT_GT(img.size(), 10000u);  // a blank page compresses to far less
  EXPECT_EQ(img.substr(1, 3), "PNG");
}

}  // namespace
