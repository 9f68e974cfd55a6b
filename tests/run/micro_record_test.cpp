// The micro record: typed <-> JSON (with the header and version of every record), the append-only JSONL
// writer, the reader with line numbers for malformed lines and for records of another version.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "report/test_dir.hpp"
#include "run/micro_record.hpp"

namespace wasmhop::run {
namespace {

namespace test = report::test;

MicroRecord sample(std::uint32_t replication = 0) {
  MicroRecord r;
  r.run_id = "20240501T000000Z-1-abcd";
  r.step = "micro.release.v8-liftoff";
  r.timestamp = "2024-05-01T00:00:00.123Z";
  r.experiment = "table1";
  r.engine = "v8-liftoff";
  r.engine_name = "V8";
  r.engine_version = "10.2.154.26-node.36";
  r.tier = "liftoff";
  r.host_build = "release";
  r.config = "pair-cached-preload-srs";
  r.config_index = 6;
  r.abi = "pair";
  r.cached = true;
  r.loading = "preload";
  r.srs = true;
  r.memory = "";
  r.replication = replication;
  r.calls = 100000;
  r.set_loop(0.0115 + 0.0001 * replication);
  r.compile_s = 0.00123;
  r.instantiate_s = 0.000045;
  return r;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(MicroRecord, SetLoopComputesNsPerCall) {
  MicroRecord r;
  r.calls = 100000;
  r.set_loop(0.015);
  EXPECT_DOUBLE_EQ(r.loop_s, 0.015);
  EXPECT_NEAR(r.ns_per_call, 150.0, 1e-9);
  EXPECT_DOUBLE_EQ(ns_per_call(1.0, 0), 0.0);
  r.compile_s = 0.5;
  r.instantiate_s = 0.25;
  EXPECT_DOUBLE_EQ(r.including_compile_s(), 0.765);
}

TEST(MicroRecord, JsonHasTheDocumentedKeys) {
  MicroRecord r = sample();
  r.batch_size = 64;
  r.checksum = -42;
  const nlohmann::json j = to_json_object(r);
  for (const char* key : {"kind", "schema", "run_id", "step", "timestamp", "experiment", "engine", "engine_name",
                          "engine_version", "tier", "host_build", "config", "config_index", "abi", "cached",
                          "loading", "srs", "memory", "replication", "calls", "loop_s", "compile_s",
                          "instantiate_s", "ns_per_call", "checksum", "batch_size"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_FALSE(j.contains("payload_bytes"));
  EXPECT_EQ(j["kind"], "micro");
  EXPECT_EQ(j["schema"], kRecordSchema);
  EXPECT_EQ(j["step"], "micro.release.v8-liftoff");
  EXPECT_EQ(j["checksum"], -42);
  EXPECT_EQ(j["config_index"], 6);
  EXPECT_EQ(j["calls"], 100000u);
  EXPECT_EQ(j["srs"], true);
}

TEST(MicroRecord, JsonRoundTripKeepsEveryFieldAndExtras) {
  MicroRecord r = sample(3);
  r.srs.reset();
  r.payload_bytes = 65536;
  r.extra = {{"lookup_ns", 12.5}, {"note", "x"}};
  const nlohmann::json j = to_json_object(r);
  EXPECT_FALSE(j.contains("srs"));
  EXPECT_EQ(j["lookup_ns"], 12.5);
  auto back = to_micro_record(j);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, r);
}

TEST(MicroRecord, AnotherVersionIsRefusedByName) {
  nlohmann::json j = to_json_object(sample());
  j["schema"] = 1;
  auto r = to_micro_record(j);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("record schema 1"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("reads record schema 2 only"), std::string::npos) << r.error().message;
  j.erase("schema");  // written before records had versions
  r = to_micro_record(j);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no schema version"), std::string::npos) << r.error().message;
  j = to_json_object(sample());
  j["kind"] = "sim";
  EXPECT_FALSE(to_micro_record(j));
}

TEST(MicroRecord, ParseErrorsNameTheKey) {
  nlohmann::json j = to_json_object(sample());
  j.erase("calls");
  auto r = to_micro_record(j);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(r.error().message.find("\"calls\""), std::string::npos) << r.error().message;

  j = to_json_object(sample());
  j["loop_s"] = "fast";
  r = to_micro_record(j);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("\"loop_s\" must be a number, got string"), std::string::npos) << r.error().message;

  j = to_json_object(sample());
  j["replication"] = -1;
  EXPECT_FALSE(to_micro_record(j));
  EXPECT_FALSE(to_micro_record(nlohmann::json::array()));
}

TEST(MicroRecord, MissingNsPerCallIsComputed) {
  nlohmann::json j = to_json_object(sample());
  j.erase("ns_per_call");
  auto r = to_micro_record(j);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->ns_per_call, 115.0, 1e-9);
}

TEST(MicroRecord, Validate) {
  EXPECT_TRUE(validate(sample()));
  auto r = sample();
  r.step.clear();  // a record must say which step wrote it
  EXPECT_FALSE(validate(r));
  r = sample();
  r.host_build = "relwithdebinfo";
  EXPECT_FALSE(validate(r));
  r = sample();
  r.calls = 0;
  EXPECT_FALSE(validate(r));
  r = sample();
  r.loop_s = 1.0;  // ns_per_call not updated
  auto st = validate(r);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("set_loop"), std::string::npos);
  r = sample();
  r.compile_s = -1;
  EXPECT_FALSE(validate(r));
  r = sample();
  r.batch_size = 0;
  EXPECT_FALSE(validate(r));
}

TEST(Timestamps, Formats) {
  const std::string ts = utc_timestamp_now();
  ASSERT_EQ(ts.size(), 24u) << ts;  // 2024-05-01T12:34:56.789Z
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts[19], '.');
  EXPECT_EQ(ts.back(), 'Z');
  const std::string a = make_run_id();
  EXPECT_EQ(a.size() > 20, true) << a;
  EXPECT_EQ(a[8], 'T');
}

TEST(AppendOnlyWriter, RoundTripThroughJsonl) {
  const auto dir = test::fresh_dir("roundtrip");
  const auto path = dir / "sub" / "micro.jsonl";
  {
    auto w = AppendOnlyWriter::open(path);
    ASSERT_TRUE(w) << w.error().message;
    for (std::uint32_t i = 0; i < 3; ++i) ASSERT_TRUE(append(*w, sample(i)));
    EXPECT_EQ(w->lines_written(), 3u);
    // Each line is in the file as soon as append returns.
    const std::string text = read_file(path);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
    ASSERT_TRUE(w->close());
    EXPECT_FALSE(append(*w, sample()));  // closed
  }
  {
    // Reopening appends; nothing is truncated.
    auto w = AppendOnlyWriter::open(path);
    ASSERT_TRUE(w);
    ASSERT_TRUE(append(*w, sample(3)));
    ASSERT_TRUE(w->append(nlohmann::json{{"kind", "sim"}, {"x", 1}}));  // another kind of record
    EXPECT_FALSE(w->append(nlohmann::json::array()));
    auto bad = sample();
    bad.calls = 0;
    EXPECT_FALSE(append(*w, bad));  // invalid micro records are refused
  }
  auto all = read_jsonl(path);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->records.size(), 5u);
  EXPECT_EQ(all->lines, (std::vector<std::size_t>{1, 2, 3, 4, 5}));

  auto micro = read_micro_records(path);
  ASSERT_TRUE(micro) << micro.error().message;
  ASSERT_EQ(micro->records.size(), 4u);
  EXPECT_EQ(micro->other_kinds, 1u);
  for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(micro->records[i], sample(i));
}

TEST(AppendOnlyWriter, TerminatesAPartialLastLine) {
  const auto dir = test::fresh_dir("partial");
  const auto path = dir / "micro.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    out << to_json_object(sample(0)).dump() << "\n{\"kind\":\"micro\",\"engi";  // a writer died mid-line
  }
  {
    auto w = AppendOnlyWriter::open(path);
    ASSERT_TRUE(w);
    ASSERT_TRUE(append(*w, sample(1)));
  }
  auto strict = read_micro_records(path);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(strict.error().message.find("micro.jsonl:2: malformed JSON"), std::string::npos) << strict.error().message;

  auto lenient = read_micro_records(path, {.skip_malformed = true});
  ASSERT_TRUE(lenient);
  ASSERT_EQ(lenient->records.size(), 2u);
  EXPECT_EQ(lenient->lines, (std::vector<std::size_t>{1, 3}));
  ASSERT_EQ(lenient->skipped(), 1u);
  EXPECT_EQ(lenient->malformed[0].line, 2u);
}

TEST(AppendOnlyWriter, OpenFailsAsAValue) {
  auto w = AppendOnlyWriter::open("/proc/definitely/not/here.jsonl");
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().kind, ErrorKind::io_error);
  EXPECT_FALSE(AppendOnlyWriter::open(""));
}

TEST(ReadJsonl, MalformedLinesReportTheirLineNumber) {
  const std::string good = to_json_object(sample()).dump();
  const std::string text = good + "\n"          // 1
                           + "\n"                // 2 blank: ignored
                           + "   \t\n"           // 3 blank
                           + "{\"a\": 1,}\n"     // 4 bad JSON
                           + "[1, 2]\n"          // 5 not an object
                           + good + "\r\n"       // 6 CRLF is fine
                           + "{\"kind\":\"micro\",\"schema\":2,\"engine\":\"x\"}\n"  // 7 JSON, not a micro record
                           + good;               // 8 no final newline
  auto strict = parse_jsonl(text, "r.jsonl");
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().message.rfind("r.jsonl:4: malformed JSON", 0), 0u) << strict.error().message;

  auto lenient = parse_jsonl(text, "r.jsonl", {.skip_malformed = true});
  ASSERT_TRUE(lenient);
  EXPECT_EQ(lenient->records.size(), 4u);  // 1, 6, 7, 8 are JSON objects
  EXPECT_EQ(lenient->lines, (std::vector<std::size_t>{1, 6, 7, 8}));
  ASSERT_EQ(lenient->skipped(), 2u);
  EXPECT_EQ(lenient->malformed[0].line, 4u);
  EXPECT_EQ(lenient->malformed[1].line, 5u);
  EXPECT_NE(lenient->malformed[1].message.find("must be a JSON object, got array"), std::string::npos);

  auto micro = parse_micro_records(text, "r.jsonl", {.skip_malformed = true});
  ASSERT_TRUE(micro);
  EXPECT_EQ(micro->records.size(), 3u);
  EXPECT_EQ(micro->lines, (std::vector<std::size_t>{1, 6, 8}));
  ASSERT_EQ(micro->skipped(), 3u);
  EXPECT_EQ(micro->malformed[2].line, 7u);
  EXPECT_NE(micro->malformed[2].message.find("missing key \"experiment\""), std::string::npos)
      << micro->malformed[2].message;

  auto micro_strict = parse_micro_records(text.substr(0, text.find("{\"a\"")) + "{\"kind\":\"micro\",\"schema\":2}\n", "r.jsonl");
  ASSERT_FALSE(micro_strict);
  EXPECT_EQ(micro_strict.error().message.rfind("r.jsonl:4: micro record: missing key", 0), 0u)
      << micro_strict.error().message;
}

TEST(ReadJsonl, MissingFileIsAnIoError) {
  auto r = read_jsonl("/nonexistent/wasmhop/records.jsonl");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::io_error);
  EXPECT_NE(r.error().message.find("/nonexistent/wasmhop/records.jsonl"), std::string::npos);
}

TEST(ReadJsonl, EmptyFileHasNoRecords) {
  auto r = parse_jsonl("", "empty.jsonl");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->records.empty());
}

}  // namespace
}  // namespace wasmhop::run
