// Trace readers: each format, plain/gzip/zstd, streaming in chunks, malformed input with line or
// record numbers, skip mode.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <xxhash.h>

#include "trace/reader.hpp"
#include "temp_dir_test.hpp"
#include "trace_bytes.hpp"

namespace wasmhop::trace {
namespace {

namespace fs = std::filesystem;

using Pairs = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

class ReaderTest : public test::TempDirTest {
 protected:
  static std::string gzip(const std::string& data) { return test::gzip_bytes(data); }
  static std::string zstd(const std::string& data) { return test::zstd_bytes(data); }
  static std::string oracle_record(std::uint32_t t, std::uint64_t id, std::uint32_t size, std::int64_t next) {
    return test::oracle_record(t, id, size, next);
  }

  static Result<Trace> read(const std::string& path, TraceOptions o = {}) {
    o.path = path;
    return read_trace(o);
  }

  static std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs(const Trace& t) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    for (auto& r : t.requests) out.emplace_back(r.id, r.size);
    return out;
  }
};

const char* kText = "0 3038\n1 949\n  2\t2240  \r\n\n# comment\n3 2051\n18446744073709551615 1";
const Pairs kTextPairs{{0, 3038}, {1, 949}, {2, 2240}, {3, 2051}, {~0ull, 1}};

TEST_F(ReaderTest, TextPlainGzipZstd) {
  for (auto [name, bytes] : {std::pair{"t.dat", std::string(kText)}, std::pair{"t.dat.gz", gzip(kText)},
                             std::pair{"t.dat.zst", zstd(kText)}}) {
    auto t = read(write(name, bytes));
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(pairs(*t), kTextPairs) << name;
    EXPECT_EQ(t->format, TraceFormat::text);
    EXPECT_EQ(t->stats.records, 5u);
  }
  EXPECT_EQ(read(write("g.dat", gzip(kText)))->compression, "gzip");  // by content, not name
  EXPECT_EQ(read(write("z.dat", zstd(kText)))->compression, "zstd");
  EXPECT_EQ(read(write("p.dat", kText))->compression, "none");
}

TEST_F(ReaderTest, ConcatenatedGzipMembers) {
  auto t = read(write("c.gz", gzip("1 10\n2 20\n") + gzip("3 30\n")));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(pairs(*t), (Pairs{{1, 10}, {2, 20}, {3, 30}}));
}

TEST_F(ReaderTest, EmptyFile) {
  auto t = read(write("e.dat", ""));
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->requests.empty());
}

TEST_F(ReaderTest, MissingFileNamesThePath) {
  auto t = read((dir_ / "nope.dat").string());
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::io_error);
  EXPECT_NE(t.error().message.find("nope.dat: cannot open"), std::string::npos);
}

TEST_F(ReaderTest, MalformedTextLinesNameFileAndLine) {
  struct Case {
    std::string line;
    std::string expect;
  };
  std::vector<Case> cases{
      {"abc 10", "id 'abc' is not a number"},
      {"-3 10", "id '-3' is negative"},
      {"5 -10", "size '-10' is negative"},
      {"5 0", "size is 0"},
      {"5 x1", "size 'x1' is not a number"},
      {"5 1.5", "size '1.5' is not a number"},
      {"5", "found one field"},
      {"5 6 7", "found more fields"},
      {"99999999999999999999 1", "is out of range"},
  };
  for (const Case& c : cases) {
    std::string path = write("bad.dat", "1 10\n\n" + c.line + "\n4 40\n");
    auto t = read(path);
    ASSERT_FALSE(t) << c.line;
    EXPECT_NE(t.error().message.find(path + ":3: "), std::string::npos) << t.error().message;
    EXPECT_NE(t.error().message.find(c.expect), std::string::npos) << t.error().message;
    EXPECT_EQ(t.error().kind, ErrorKind::invalid_argument);
  }
}

TEST_F(ReaderTest, SkipModeCountsBadRecords) {
  TraceOptions o;
  o.skip_bad_records = true;
  auto t = read(write("s.dat", "1 10\nfoo 3\n2 20\n3 0\n4 -1\n5 50\n"), o);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(pairs(*t), (Pairs{{1, 10}, {2, 20}, {5, 50}}));
  EXPECT_EQ(t->stats.skipped, 3u);
  ASSERT_EQ(t->stats.first_errors.size(), 3u);
  EXPECT_NE(t->stats.first_errors[0].find(":2: id 'foo'"), std::string::npos);
}

TEST_F(ReaderTest, AllowZeroSize) {
  TraceOptions o;
  o.allow_zero_size = true;
  auto t = read(write("z.dat", "1 0\n"), o);
  ASSERT_TRUE(t);
  EXPECT_EQ(pairs(*t), (Pairs{{1, 0}}));
}

TEST_F(ReaderTest, CorruptAndTruncatedGzip) {
  std::string body;
  for (int i = 0; i < 20000; ++i) body += std::to_string(i) + " " + std::to_string(i * 7 + 1) + "\n";
  std::string gz = gzip(body);
  auto truncated = read(write("trunc.dat.gz", gz.substr(0, gz.size() / 2)));
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message.find("truncated gzip"), std::string::npos) << truncated.error().message;
  std::string corrupt = gz;
  for (std::size_t i = 100; i < 140; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  auto bad = read(write("corrupt.dat.gz", corrupt));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("gzip"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("corrupt.dat.gz"), std::string::npos);
}

TEST_F(ReaderTest, CorruptAndTruncatedZstd) {
  std::string body;
  for (int i = 0; i < 20000; ++i) body += std::to_string(i) + " " + std::to_string(i * 7 + 1) + "\n";
  std::string z = zstd(body);
  auto truncated = read(write("trunc.dat.zst", z.substr(0, z.size() / 2)));
  ASSERT_FALSE(truncated);
  EXPECT_NE(truncated.error().message.find("zstd"), std::string::npos) << truncated.error().message;
  std::string corrupt = z;
  for (std::size_t i = 20; i < 60; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  auto bad = read(write("corrupt.dat.zst", corrupt));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("corrupt zstd"), std::string::npos) << bad.error().message;
}

TEST_F(ReaderTest, StreamingInChunksAcrossBufferBoundaries) {
  // ~3 MB of text: lines straddle the reader's 1 MiB buffer; read 1000 records at a time.
  std::string body;
  Pairs want;
  for (std::uint64_t i = 0; i < 250000; ++i) {
    want.emplace_back(i * 1000003, i % 977 + 1);
    body += std::to_string(i * 1000003) + " " + std::to_string(i % 977 + 1) + "\n";
  }
  for (const std::string& name : {std::string("big.dat"), std::string("big.dat.gz")}) {
    TraceOptions o;
    o.path = write(name, name.ends_with(".gz") ? gzip(body) : body);
    auto reader = open_trace(o);
    ASSERT_TRUE(reader);
    std::vector<Request> got;
    std::size_t calls = 0;
    for (;;) {
      auto n = (*reader)->read(got, 1000);
      ASSERT_TRUE(n) << n.error().message;
      if (*n == 0) break;
      ASSERT_LE(*n, 1000u);
      ++calls;
    }
    EXPECT_EQ(calls, 250u);
    Pairs gp;
    for (auto& r : got) gp.emplace_back(r.id, r.size);
    EXPECT_EQ(gp, want);
    EXPECT_EQ((*reader)->stats().bytes, body.size());
  }
}

TEST_F(ReaderTest, CsvColumnsHeaderDelimiter) {
  TraceOptions o;
  o.csv = CsvOptions{2, 4, 1, ';', true, false};
  auto t = read(write("t.csv", "time;id;op;size\n100;7;GET;512\n101;\"8\";PUT;1024\n\n102;7;GET;512\n"), o);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->format, TraceFormat::csv);
  EXPECT_EQ(pairs(*t), (Pairs{{7, 512}, {8, 1024}, {7, 512}}));
}

// Lines the in-place scan takes and lines it leaves to the line-based parser, mixed: both must give
// what the line-based parser alone gives (quotes and blanks trimmed, '+' accepted, extra columns
// ignored, a time column checked, 20-digit numbers, a last line without '\n', CRLF).
TEST_F(ReaderTest, CsvInPlaceScanAgreesWithTheLineParser) {
  TraceOptions o;
  o.csv = CsvOptions{1, 3, 4, ',', false, false};
  const std::string csv =
      "1,GET,10,5\n"
      "2,x y,20,6,extra,cols\r\n"
      "\"3\",GET,30,7\n"
      " 4 ,GET, 40 ,8\n"
      "+5,GET,50,9\n"
      "6,,60,10\r\n"
      "\n"
      "18446744073709551615,GET,70,11\n"
      "00000000000000000000000000008,GET,80,12\n"
      "9,GET,90,13";
  auto t = read(write("mixed.csv", csv), o);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(pairs(*t), (Pairs{{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}, {6, 60}, {~0ull, 70}, {8, 80}, {9, 90}}));
  // The time column is checked on both paths; a short line fails on both.
  auto bad_time = read(write("bt.csv", "1,GET,10,5\n2,GET,20,later\n"), o);
  ASSERT_FALSE(bad_time);
  EXPECT_NE(bad_time.error().message.find(":2: time 'later'"), std::string::npos) << bad_time.error().message;
  auto short_line = read(write("sl.csv", "1,GET,10,5\n2,GET\n"), o);
  ASSERT_FALSE(short_line);
  EXPECT_NE(short_line.error().message.find(":2: found 2 column(s), need 4"), std::string::npos)
      << short_line.error().message;
  // A zero size is refused on both paths unless allowed.
  o.csv = CsvOptions{1, 2, 0, ',', false, false};
  EXPECT_FALSE(read(write("z.csv", "1,5\n2,0\n"), o));
  o.allow_zero_size = true;
  auto zero = read(write("z2.csv", "1,5\n2,0\n"), o);
  ASSERT_TRUE(zero) << zero.error().message;
  EXPECT_EQ(pairs(*zero), (Pairs{{1, 5}, {2, 0}}));
}

TEST_F(ReaderTest, CsvWithoutSizeColumnAndHashedIds) {
  TraceOptions o;
  o.csv = CsvOptions{1, 0, 0, ',', false, true};
  auto t = read(write("h.csv.gz", gzip("/index.html\n/img/a.png\n/index.html\n")), o);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->requests.size(), 3u);
  EXPECT_EQ(t->requests[0].id, XXH3_64bits("/index.html", 11));
  EXPECT_EQ(t->requests[0].id, t->requests[2].id);
  EXPECT_NE(t->requests[0].id, t->requests[1].id);
  EXPECT_EQ(t->requests[1].size, 1u);
}

TEST_F(ReaderTest, CsvErrors) {
  TraceOptions o;
  o.csv = CsvOptions{1, 3, 0, ',', false, false};
  std::string path = write("e.csv", "1,x,10\n2,y\n");
  auto t = read(path, o);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find(path + ":2: found 2 column(s), need 3"), std::string::npos) << t.error().message;
  auto named = read(write("n.csv", "abc,x,10\n"), o);
  ASSERT_FALSE(named);
  EXPECT_NE(named.error().message.find(":1: id 'abc' is not a number"), std::string::npos);
  o.csv = CsvOptions{2, 2, 0, ',', false, false};
  EXPECT_FALSE(read(write("same.csv", "1,2\n"), o));
}

TEST_F(ReaderTest, OracleGeneralPlainAndZstd) {
  std::string bin = oracle_record(1, 42, 4096, 3) + oracle_record(2, 1ull << 40, 100, -1) +
                    oracle_record(3, 42, 4096, -1);
  for (auto [name, bytes] : {std::pair{"t.oracleGeneral.bin", bin}, std::pair{"t.oracleGeneral.zst", zstd(bin)}}) {
    auto t = read(write(name, bytes));
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t->format, TraceFormat::oracle);
    EXPECT_EQ(pairs(*t), (Pairs{{42, 4096}, {1ull << 40, 100}, {42, 4096}})) << name;
  }
}

TEST_F(ReaderTest, OracleTruncatedAndZeroSizeRecords) {
  std::string bin = oracle_record(1, 1, 10, 0) + oracle_record(2, 2, 20, 0) + oracle_record(3, 3, 30, 0).substr(0, 11);
  std::string path = write("tr.oracleGeneral", bin);
  auto t = read(path);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find(path + ": record 3 (byte 48): truncated record, 11 of 24 bytes"),
            std::string::npos)
      << t.error().message;
  TraceOptions skip;
  skip.skip_bad_records = true;
  auto s = read(path, skip);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->requests.size(), 2u);
  EXPECT_EQ(s->stats.skipped, 1u);
  auto z = read(write("z.bin", oracle_record(1, 1, 0, 0) + oracle_record(1, 2, 5, 0)));
  ASSERT_FALSE(z);
  EXPECT_NE(z.error().message.find("record 1 (byte 0): size is 0"), std::string::npos) << z.error().message;
}

TEST_F(ReaderTest, ExplicitFormatOverridesTheName) {
  TraceOptions o;
  o.format = TraceFormat::oracle;
  auto t = read(write("looks_like.txt", oracle_record(1, 5, 6, 0)), o);
  ASSERT_TRUE(t);
  EXPECT_EQ(pairs(*t), (Pairs{{5, 6}}));
}

TEST(TraceFormat, DetectAndParse) {
  EXPECT_EQ(detect_trace_format("a/b/paper-trace.dat.gz"), TraceFormat::text);
  EXPECT_EQ(detect_trace_format("x.csv"), TraceFormat::csv);
  EXPECT_EQ(detect_trace_format("x.csv.zst"), TraceFormat::csv);
  EXPECT_EQ(detect_trace_format("cluster52.oracleGeneral.sample10.zst"), TraceFormat::oracle);
  EXPECT_EQ(detect_trace_format("w.bin.zst"), TraceFormat::oracle);
  EXPECT_EQ(detect_trace_format("w.txt"), TraceFormat::text);
  EXPECT_EQ(*parse_trace_format("oracle"), TraceFormat::oracle);
  auto bad = parse_trace_format("parquet");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("valid: auto, text, csv, oracle"), std::string::npos);
}

}  // namespace
}  // namespace wasmhop::trace
