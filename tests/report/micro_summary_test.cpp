// Summary outputs: RFC 4180 quoting, the CSV's header and rows, the JSON summary, the console table and the
// records-file -> summary-files path.
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "report/micro_summary.hpp"
#include "test_dir.hpp"

namespace wasmhop::report {
namespace {

// A minimal RFC 4180 parser for the tests (quoted fields, doubled quotes, CRLF records).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field), field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field), field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (!field.empty() || !rows.back().empty()) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST(CsvEscape, Rfc4180) {
  EXPECT_EQ(csv_escape("plain"), "plain");
  EXPECT_EQ(csv_escape(""), "");
  EXPECT_EQ(csv_escape("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_escape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_escape("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_escape("\""), "\"\"\"\"");
  EXPECT_EQ(csv_escape(" spaced "), " spaced ");
}

MicroRecord rec(std::string engine, std::string build, std::string config, int index, double loop_s) {
  MicroRecord r;
  r.run_id = "run";
  r.step = "micro.test";
  r.experiment = "table1";
  r.engine = std::move(engine);
  r.engine_name = "Engine, \"quoted\"";
  r.engine_version = "1.0";
  r.host_build = std::move(build);
  r.config = std::move(config);
  r.config_index = index;
  r.abi = "pair";
  r.cached = true;
  r.loading = "preload";
  r.srs = false;
  r.calls = 100000;
  r.set_loop(loop_s);
  r.compile_s = 0.001;
  return r;
}

std::vector<GroupSummary> sample_groups() {
  std::vector<MicroRecord> rs;
  for (double s : {0.010, 0.012, 0.014}) rs.push_back(rec("v8", "release", "pair-cached-preload", 4, s));
  for (double s : {0.001, 0.001}) rs.push_back(rec("wasm2c", "release", "pair-cached-preload", 4, s));
  rs.push_back(rec("v8", "release", "pod-cached-static", 12, 0.02));  // n = 1
  auto p = rec("v8", "release", "pod-cached-dynamic-payload", 14, 0.5);
  p.experiment = "payload";
  p.payload_bytes = 65536;
  p.abi = "pod";
  p.srs.reset();
  rs.push_back(p);
  return summarize_micro(rs);
}

TEST(SummaryCsv, HeaderAndRowsReadBack) {
  const auto groups = sample_groups();
  std::ostringstream ss;
  write_summary_csv(ss, groups);
  const std::string text = ss.str();
  EXPECT_NE(text.find("\r\n"), std::string::npos);
  const auto rows = parse_csv(text);
  ASSERT_EQ(rows.size(), 1 + groups.size());
  const auto& header = rows[0];
  EXPECT_EQ(header, summary_csv_columns());
  EXPECT_EQ(header.size(), 18u + 8u * 8u + 5u);
  auto col = [&](std::string_view name) {
    auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<std::size_t>(it - header.begin());
  };
  for (const auto& row : rows) EXPECT_EQ(row.size(), header.size());
  // Row 1: payload (sorted first), row 2..: table1 v8 config 4, v8 config 12, wasm2c config 4.
  EXPECT_EQ(rows[1][col("experiment")], "payload");
  EXPECT_EQ(rows[1][col("payload_bytes")], "65536");
  EXPECT_EQ(rows[1][col("batch_size")], "");
  EXPECT_EQ(rows[1][col("srs")], "");
  const auto& v8 = rows[2];
  EXPECT_EQ(v8[col("engine")], "v8");
  EXPECT_EQ(v8[col("engine_name")], "Engine, \"quoted\"");  // survived quoting
  EXPECT_EQ(v8[col("config_index")], "4");
  EXPECT_EQ(v8[col("cached")], "true");
  EXPECT_EQ(v8[col("srs")], "false");
  EXPECT_EQ(v8[col("n")], "3");
  EXPECT_EQ(v8[col("calls")], "100000");
  EXPECT_NEAR(std::stod(v8[col("ns_per_call_mean")]), 120.0, 1e-9);
  EXPECT_NEAR(std::stod(v8[col("ns_per_call_sd")]), 20.0, 1e-9);
  EXPECT_NEAR(std::stod(v8[col("loop_s_ci_half")]), 4.302652729911275 * 0.002 / std::sqrt(3.0), 1e-12);
  EXPECT_NEAR(std::stod(v8[col("including_compile_s_mean")]), 0.013, 1e-12);
  // Numbers read back exactly.
  EXPECT_EQ(std::stod(v8[col("loop_s_mean")]), groups[1].loop_s.mean);
  const auto& single = rows[3];
  EXPECT_EQ(single[col("n")], "1");
  EXPECT_EQ(single[col("ns_per_call_ci_half")], "0");
  EXPECT_EQ(rows[4][col("engine")], "wasm2c");
  // The plot-ready columns: seconds per 100,000 calls at calls = 100,000 equal loop_s; the payload row's
  // bytes and throughput (65536 B in 5,000 ns).
  EXPECT_NEAR(std::stod(v8[col("s_per_100k_calls_mean")]), 0.012, 1e-15);
  EXPECT_NEAR(std::stod(v8[col("including_compile_s_per_100k_mean")]), 0.013, 1e-15);
  EXPECT_EQ(v8[col("ns_per_record_mean")], "");
  EXPECT_EQ(v8[col("bytes_per_call")], "");
  EXPECT_EQ(rows[1][col("bytes_per_call")], "65536");
  EXPECT_NEAR(std::stod(rows[1][col("bytes_per_s")]), 65536 * 1e9 / 5000.0, 1e-3);
  for (const auto& row : std::span(rows).subspan(1)) EXPECT_EQ(row[col("schema")], "2");
}

TEST(SummaryCsv, EmptyStatisticIsAnEmptyField) {
  GroupSummary g;
  g.key = {"table1", "release", "e", 1, "c", std::nullopt, std::nullopt};
  g.ns_per_call = summarize(std::span<const double>{});
  std::ostringstream ss;
  write_summary_csv(ss, std::vector<GroupSummary>{g});
  const auto rows = parse_csv(ss.str());
  ASSERT_EQ(rows.size(), 2u);
  const auto& header = rows[0];
  const auto i = static_cast<std::size_t>(std::find(header.begin(), header.end(), "ns_per_call_mean") - header.begin());
  EXPECT_EQ(rows[1][i], "");
}

TEST(SummaryJson, Structure) {
  const auto j = summary_to_json(sample_groups());
  EXPECT_EQ(j["schema"], 2);
  EXPECT_DOUBLE_EQ(j["confidence"].get<double>(), 0.95);
  ASSERT_EQ(j["groups"].size(), 4u);
  const auto& v8 = j["groups"][1];
  EXPECT_EQ(v8["engine"], "v8");
  EXPECT_EQ(v8["n"], 3);
  EXPECT_NEAR(v8["ns_per_call"]["mean"].get<double>(), 120.0, 1e-9);
  EXPECT_NEAR(v8["ns_per_call"]["t"].get<double>(), 4.302652729911275, 1e-9);
  EXPECT_FALSE(v8.contains("batch_size"));
  EXPECT_TRUE(j["groups"][2]["ns_per_call"]["t"].is_null());  // n = 1
  EXPECT_EQ(j["groups"][0]["payload_bytes"], 65536);
  EXPECT_EQ(j["groups"][0]["bytes_per_call"], 65536);
  EXPECT_NEAR(j["groups"][0]["bytes_per_s"]["mean"].get<double>(), 65536 * 1e9 / 5000.0, 1e-3);
  EXPECT_NEAR(v8["s_per_100k_calls"]["mean"].get<double>(), 0.012, 1e-15);
  // Captions: table1 in release holds n = 1..3 replications of 100,000 calls.
  bool found = false;
  for (const auto& u : j["units"]) {
    if (u["experiment"] == "table1" && u["host_build"] == "release" && u["engine"] == "" && u["config"] == "") {
      found = true;
      EXPECT_EQ(u["n_min"], 1);
      EXPECT_EQ(u["n_max"], 3);
      EXPECT_EQ(u["calls_min"], 100000);
      EXPECT_EQ(u["calls_max"], 100000);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(j["batch_reference"].empty());
}

TEST(ConsoleTable, EngineColumnsConfigRows) {
  const auto groups = sample_groups();
  const std::string t = format_console_table(groups, {.experiment = "table1", .host_build = ""});
  EXPECT_NE(t.find("table1 · release host"), std::string::npos) << t;
  EXPECT_NE(t.find("v8"), std::string::npos);
  EXPECT_NE(t.find("wasm2c"), std::string::npos);
  EXPECT_NE(t.find(" 4 pair-cached-preload"), std::string::npos) << t;
  EXPECT_NE(t.find("120 ±49.7"), std::string::npos) << t;  // median 120, half 4.3027 * 20 / sqrt(3) = 49.68
  EXPECT_NE(t.find("10.0 ±0.00"), std::string::npos) << t;  // wasm2c: 10 ns/call, zero spread
  EXPECT_EQ(t.find("payload"), std::string::npos);
  // Config 12 has no wasm2c data: "-".
  const auto line12 = t.substr(t.find("12 pod-cached-static"));
  EXPECT_NE(line12.substr(0, line12.find('\n')).find(" -"), std::string::npos) << t;

  const std::string all = format_console_table(groups);
  EXPECT_NE(all.find("payload · release host"), std::string::npos) << all;
  EXPECT_NE(all.find("65536 B"), std::string::npos) << all;
  EXPECT_EQ(format_console_table(groups, {.experiment = "", .host_build = "debug"}), "");
}

TEST(SummarizeRecordsFile, WritesCsvAndJson) {
  const auto dir = test::fresh_dir("files");
  const auto records = dir / "micro.jsonl";
  {
    auto w = run::AppendOnlyWriter::open(records);
    ASSERT_TRUE(w);
    for (double s : {0.010, 0.012, 0.014}) ASSERT_TRUE(append(*w, rec("v8", "release", "pair-cached-preload", 4, s)));
  }
  { std::ofstream(records, std::ios::app) << "not json\n"; }
  auto files = summarize_records_file(records, dir / "out");
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->records, 3u);
  ASSERT_EQ(files->malformed.size(), 1u);
  EXPECT_EQ(files->malformed[0].line, 4u);
  EXPECT_EQ(files->groups.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "micro_summary.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "micro_summary.json"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "micro_summary.csv.tmp"));
  EXPECT_NE(files->console.find("pair-cached-preload"), std::string::npos);

  auto strict = summarize_records_file(records, dir / "out2", {.skip_malformed = false});
  ASSERT_FALSE(strict);
  EXPECT_NE(strict.error().message.find("micro.jsonl:4:"), std::string::npos);

  { std::ofstream(dir / "empty.jsonl"); }
  auto empty = summarize_records_file(dir / "empty.jsonl", dir / "out3");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace wasmhop::report
