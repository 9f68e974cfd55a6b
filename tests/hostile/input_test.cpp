// Bad input that tests/sim/reader_test.cpp does not already cover (it has: malformed text lines
// with their line numbers, negative and zero sizes, non-numeric and too-large ids, empty files,
// corrupted and truncated gzip/zstd, a truncated oracleGeneral record, skip mode), and the command
// line: unknown engine/policy/ABI/configuration, bad sizes, an existing results directory — one
// clear line each, naming the valid choices, with a non-zero exit.
#include <gtest/gtest.h>


#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "hostile/hostile_util.hpp"
#include "sim/size_parse.hpp"
#include "trace/reader.hpp"
#include "temp_dir_test.hpp"
#include "trace_bytes.hpp"

namespace wasmhop::testing {
namespace {

namespace fs = std::filesystem;

class HostileInput : public test::TempDirTest {
 protected:
  static std::string gzip(const std::string& data) { return test::gzip_bytes(data); }
  static std::string zstd(const std::string& data) { return test::zstd_bytes(data); }
  static Result<trace::Trace> read(const std::string& path, trace::TraceOptions o = {}) {
    o.path = path;
    return trace::read_trace(o);
  }
  static void expect_error(const Result<trace::Trace>& t, const std::string& where, const std::string& what) {
    ASSERT_FALSE(t) << where << " accepted";
    EXPECT_NE(t.error().message.find(where), std::string::npos) << t.error().message;
    EXPECT_NE(t.error().message.find(what), std::string::npos) << t.error().message;
    EXPECT_EQ(t.error().message.find('\n'), std::string::npos) << "one line: " << t.error().message;
  }
};

TEST_F(HostileInput, TextLinesTheReaderTestsDoNotHave) {
  struct Case {
    std::string line;
    std::string expect;
  };
  const Case cases[] = {
      {"1 99999999999999999999", "out of range"},            // an oversized size
      {"1 18446744073709551616", "out of range"},            // 2^64
      {std::string("1\0 10", 5), "line"},                    // a NUL byte inside a line
      {"\x7f" "ELF\x02\x01\x01 binary", "not a number"},      // binary junk given as text
      {"0x10 5", "not a number"},                            // hex is not a number here
      {"5 10 # comment", "more fields"},
  };
  for (const Case& c : cases) {
    const std::string path = write("bad.dat", "1 10\n" + c.line + "\n2 20\n");
    auto t = read(path);
    SCOPED_TRACE(c.line);
    if (c.expect == "line") {
      ASSERT_FALSE(t);
      EXPECT_NE(t.error().message.find(path + ":2: "), std::string::npos) << t.error().message;
      continue;
    }
    expect_error(t, path + ":2: ", c.expect);
  }
}

TEST_F(HostileInput, AVeryLongLineIsAnErrorNotAHang) {
  std::string line(4 << 20, '7');  // 4 MiB of digits, no newline, across many read buffers
  const std::string path = write("long.dat", "1 10\n" + line);
  auto t = read(path);
  expect_error(t, path + ":2: ", "one field");
  EXPECT_LT(t.error().message.size(), 1000u) << "the message quotes the line, shortened";
}

TEST_F(HostileInput, EmptyCompressedAndHeaderOnlyFiles) {
  for (auto [name, bytes] : {std::pair{"e.dat.gz", gzip("")}, std::pair{"e.dat.zst", zstd("")},
                             std::pair{"e.oracleGeneral.bin", std::string()},
                             std::pair{"e.oracleGeneral.zst", zstd("")}}) {
    auto t = read(write(name, bytes));
    ASSERT_TRUE(t) << name << ": " << t.error().message;
    EXPECT_TRUE(t->requests.empty()) << name;
  }
  trace::TraceOptions o;
  o.csv.has_header = true;
  auto h = read(write("h.csv", "id,size\n"), o);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_TRUE(h->requests.empty());
  auto comments = read(write("c.dat", "# nothing\n\n   \n# here\n"));
  ASSERT_TRUE(comments);
  EXPECT_TRUE(comments->requests.empty());
}

TEST_F(HostileInput, NotATraceAtAll) {
  auto d = read(dir_.string());  // a directory
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find(dir_.string()), std::string::npos) << d.error().message;
  // gzip magic followed by garbage, and a zstd frame header followed by garbage.
  expect_error(read(write("junk.gz", std::string("\x1f\x8b\x08\x00", 4) + std::string(100, 'x'))), "junk.gz", "gzip");
  expect_error(read(write("junk.zst", std::string("\x28\xb5\x2f\xfd", 4) + std::string(100, 'x'))), "junk.zst",
               "zstd");
  // An oracleGeneral file of 23 bytes: one record, truncated.
  expect_error(read(write("short.oracleGeneral", std::string(23, '\1'))), "record 1", "truncated");
}

TEST_F(HostileInput, SkipModeCountsEveryBadRecordAndKeepsTheFirstFew) {
  std::string body;
  for (int i = 0; i < 100; ++i) body += fmt::format("{} {}\nbad{} x\n", i + 1, i + 10, i);
  trace::TraceOptions o;
  o.skip_bad_records = true;
  for (auto [name, bytes] : {std::pair{"s.dat", body}, std::pair{"s.dat.gz", gzip(body)}}) {
    auto t = read(write(name, bytes), o);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t->requests.size(), 100u);
    EXPECT_EQ(t->stats.skipped, 100u);
    EXPECT_EQ(t->stats.first_errors.size(), trace::ReadStats::kMaxKeptErrors);
    EXPECT_NE(t->stats.first_errors[0].find(":2: "), std::string::npos) << t->stats.first_errors[0];
  }
  // CSV rows with too few columns are skipped and counted the same way.
  trace::TraceOptions c = o;
  c.csv = trace::CsvOptions{1, 2, 0, ',', false, false};
  auto csv = read(write("s.csv", "1,10\n2\n3,30\n,\n4,40\n"), c);
  ASSERT_TRUE(csv) << csv.error().message;
  EXPECT_EQ(csv->requests.size(), 3u);
  EXPECT_EQ(csv->stats.skipped, 2u);
  // Corruption is not a record: skip mode still fails on a corrupt gzip stream, naming the file.
  std::string gz = gzip(body + body + body);
  for (std::size_t i = gz.size() / 2; i < gz.size() / 2 + 16; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x55);
  expect_error(read(write("corrupt.dat.gz", gz), o), "corrupt.dat.gz", "gzip");
}

TEST(HostileSize, UnitsAndNonsense) {
  for (const char* bad : {"", "MiB", "4 4MiB", "1e3", "0x10", "4MiBs", "-1", "18446744073709551616", "99999999TiB",
                          "4..5MiB", "nan", "inf"}) {
    auto r = sim::parse_size(bad);
    EXPECT_FALSE(r) << "'" << bad << "' parsed as " << (r ? *r : 0);
    if (!r) {
      EXPECT_NE(r.error().message.find(fmt::format("'{}'", bad)), std::string::npos) << r.error().message;
    }
  }
  EXPECT_EQ(*sim::parse_size("16EiB").or_else([](auto) -> Result<std::uint64_t> { return 0; }), 0u)
      << "EiB is not a unit here";
}

// ---- The command line ----

struct CliCase {
  std::string args;
  std::vector<std::string> says;
};

void expect_one_clear_line(const CliCase& c) {
  const CliRun r = run_cli(c.args);
  SCOPED_TRACE("wasmhop " + c.args);
  EXPECT_NE(r.status, 0) << r.out;
  for (const auto& s : c.says) EXPECT_NE(r.out.find(s), std::string::npos) << "missing '" << s << "' in: " << r.out;
  EXPECT_LE(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;  // CLI11's usage hint may follow
  EXPECT_LT(r.seconds, 60.0);
}

TEST_F(HostileInput, CommandLineErrorsAreOneClearLine) {
  const std::string guest = std::string(WASMHOP_GUEST_DIR) + "/hostile.wasm";
  const std::string trace = write("t.dat", "1 10\n2 20\n");
  const std::string bad_trace = write("b.dat", "1 10\n2 x\n");
  const std::string existing = (dir_ / "results").string();
  fs::create_directories(existing);
  std::ofstream(existing + "/sim.csv") << "old\n";
  std::ofstream(existing + "/records.jsonl") << "old\n";
  const std::string engines = "native, wabt-interp, v8, v8-liftoff, v8-turbofan, wasm2c";
  const CliCase cases[] = {
      // Unknown engine, on every subcommand that takes one.
      {"run --engine nope " + guest + " ping 1", {"unknown engine 'nope'", engines}},
      {"demo --engines nope", {"unknown engine 'nope'", engines}},
      {"micro --quick --engines nope --out " + (dir_ / "m1").string(), {"unknown engine 'nope'", engines}},
      {"sim --trace " + trace + " --engine nope -q", {"unknown engine 'nope'", engines}},
      // Unknown policy, ABI, configuration, host build, formats and modes.
      {"sim --trace " + trace + " --policy nope -q", {"unknown policy 'nope'", "lru", "gdsf"}},
      {"sim --trace " + trace + " --engine v8 --abi nope -q", {"unknown ABI 'nope'", "pair", "batch"}},
      {"sim --trace " + trace + " --format nope -q", {"'nope'", "text", "csv", "oracle"}},
      {"sim --trace " + trace + " --size-change nope -q", {"'nope'", "first-size", "miss"}},
      {"sim --trace " + trace + " --gds-cost nope -q", {"'nope'", "packets"}},
      {"micro --quick --engines native --config nope --out " + (dir_ / "m2").string(),
       {"unknown micro configuration 'nope'", "pair-cached-preload"}},
      {"micro --quick --engines native --builds nope --out " + (dir_ / "m3").string(), {"'nope'", "release", "debug"}},
      {"gen --output " + (dir_ / "g.dat").string() + " --format nope", {"'nope'", "text", "csv", "oracleGeneral"}},
      // Bad sizes.
      {"sim --trace " + trace + " --cache-size 4XB -q", {"'4XB'", "MiB"}},
      {"sim --trace " + trace + " --cache-size -4MiB -q", {"'-4MiB'"}},
      {"run --engine native --max-memory 12parsecs " + guest + " ping 1", {"--max-memory", "'12parsecs'", "MiB"}},
      {"run --engine native --timeout -1 " + guest + " ping 1", {"--timeout"}},
      // Results that already exist.
      {"micro --quick --engines native --out " + existing, {existing, "exists"}},
      {"sim --trace " + trace + " --out " + existing + " -q", {existing, "sim.csv"}},
      // Bad input files: named, with the line.
      {"sim --trace " + bad_trace + " -q", {bad_trace + ":2:", "'x'"}},
      {"sim --trace " + (dir_ / "nope.dat").string() + " -q", {"nope.dat", "cannot open"}},
      {"run --engine v8 " + (dir_ / "nope.wasm").string() + " ping 1", {"nope.wasm"}},
      {"run --engine v8 " + trace + " ping 1", {"malformed_module", "'t'"}},
  };
  for (const CliCase& c : cases) expect_one_clear_line(c);
  // The old results are untouched.
  std::ifstream in(existing + "/sim.csv");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "old");
}

TEST_F(HostileInput, SkipBadRecordsOnTheCommandLine) {
  const std::string trace = write("s.dat", "1 10\nfoo 3\n2 20\n3 -1\n1 10\n");
  const CliRun r = run_cli("sim --trace " + trace + " --policy lru --cache-size 1MiB --skip-bad-records");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("skipped"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(trace + ":2:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(trace + ":4:"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace wasmhop::testing
