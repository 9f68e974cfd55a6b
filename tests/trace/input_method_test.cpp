// The input paths: a plain file mapped or read through the buffer gives the same records, the same
// errors and the same counts (empty files, truncated records, sizes that are not a multiple of 24
// bytes, skip mode, a last line without '\n' at the end of a page), and the fast line parsers agree
// with the checked ones on every form a line can take.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "trace/reader.hpp"
#include "temp_dir_test.hpp"
#include "trace_bytes.hpp"

namespace wasmhop::trace {
namespace {

namespace fs = std::filesystem;

using Pairs = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
constexpr InputMethod kMethods[] = {InputMethod::read, InputMethod::mmap, InputMethod::automatic};

class InputMethodTest : public test::TempDirTest {
 protected:
  static Result<Trace> read(const std::string& path, InputMethod method, TraceOptions o = {}) {
    o.path = path;
    o.input = method;
    return read_trace(o);
  }

  static Pairs pairs(const Trace& t) {
    Pairs out;
    for (auto& r : t.requests) out.emplace_back(r.id, r.size);
    return out;
  }

  static std::string oracle(std::uint64_t n, std::uint32_t zero_every = 0) {
    std::string bin;
    for (std::uint64_t i = 0; i < n; ++i) {
      std::uint32_t size = zero_every != 0 && i % zero_every == zero_every - 1 ? 0 : static_cast<std::uint32_t>(i % 5000 + 1);
      bin += test::oracle_record(static_cast<std::uint32_t>(i), i * 7919, size, -1);
    }
    return bin;
  }
};

TEST_F(InputMethodTest, EmptyFilesInEveryFormat) {
  for (const char* name : {"e.dat", "e.csv", "e.oracleGeneral"}) {
    std::string path = write(name, "");
    for (InputMethod m : kMethods) {
      auto t = read(path, m);
      ASSERT_TRUE(t) << name << " " << to_string(m) << ": " << t.error().message;
      EXPECT_TRUE(t->requests.empty());
      EXPECT_EQ(t->stats.bytes, 0u);
    }
  }
}

TEST_F(InputMethodTest, OracleAcrossBlocksSameRecordsEveryMethod) {
  // More than a conversion block (2^18 records) and more than a release step (8 MiB) of mapping.
  std::string bin = oracle((std::uint64_t{1} << 21) + 12345);
  std::string path = write("big.oracleGeneral", bin);
  for (InputMethod m : kMethods) {
    auto t = read(path, m);
    ASSERT_TRUE(t) << t.error().message;
    ASSERT_EQ(t->requests.size(), (std::size_t{1} << 21) + 12345) << to_string(m);
    EXPECT_EQ(t->requests[3].id, 3u * 7919);
    EXPECT_EQ(t->requests.back().size, ((std::uint64_t{1} << 21) + 12344) % 5000 + 1);
    EXPECT_EQ(t->stats.bytes, bin.size());
  }
}

TEST_F(InputMethodTest, OracleNotAMultipleOf24Bytes) {
  std::string path = write("odd.oracleGeneral", oracle(100000) + std::string(5, '\x01'));
  for (InputMethod m : kMethods) {
    auto t = read(path, m);
    ASSERT_FALSE(t) << to_string(m);
    EXPECT_NE(t.error().message.find(path + ": record 100001 (byte 2400000): truncated record, 5 of 24 bytes"),
              std::string::npos)
        << t.error().message;
    TraceOptions skip;
    skip.skip_bad_records = true;
    auto s = read(path, m, skip);
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->requests.size(), 100000u);
    EXPECT_EQ(s->stats.skipped, 1u);
  }
  auto tiny = read(write("tiny.oracleGeneral", std::string(23, '\0')), InputMethod::mmap);
  ASSERT_FALSE(tiny);
  EXPECT_NE(tiny.error().message.find("record 1 (byte 0): truncated record, 23 of 24 bytes"), std::string::npos);
}

TEST_F(InputMethodTest, OracleZeroSizesSkippedWithTheirRecordNumbers) {
  std::string path = write("z.oracleGeneral", oracle(3000000, 1000000));  // records 1000000, 2000000, 3000000
  for (InputMethod m : kMethods) {
    auto t = read(path, m);
    ASSERT_FALSE(t);
    EXPECT_NE(t.error().message.find("record 1000000 (byte 23999976): size is 0"), std::string::npos)
        << t.error().message;
    TraceOptions skip;
    skip.skip_bad_records = true;
    auto s = read(path, m, skip);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->requests.size(), 2999997u);
    EXPECT_EQ(s->stats.records, 2999997u);
    ASSERT_EQ(s->stats.first_errors.size(), 3u);
    EXPECT_NE(s->stats.first_errors[2].find("record 3000000 (byte 71999976)"), std::string::npos);
  }
}

TEST_F(InputMethodTest, MapRefusesWhatIsNotARegularFile) {
  auto t = read(dir_.string(), InputMethod::mmap);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::io_error);
  EXPECT_NE(t.error().message.find(dir_.string() + ": cannot map: not a regular file"), std::string::npos);
  EXPECT_FALSE(read((dir_ / "missing.dat").string(), InputMethod::mmap));
}

TEST_F(InputMethodTest, CompressedFilesStreamWhateverTheMethod) {
  std::string text = "1 10\n2 20\n";
  for (auto [name, bytes] : {std::pair{"t.dat.gz", test::gzip_bytes(text)}, std::pair{"t.dat.zst", test::zstd_bytes(text)}})
    for (InputMethod m : kMethods) {
      auto t = read(write(name, bytes), m);
      ASSERT_TRUE(t) << t.error().message;
      EXPECT_EQ(pairs(*t), (Pairs{{1, 10}, {2, 20}}));
      EXPECT_NE(t->compression, "none");
    }
}

// Each form through both parsers: lines the fast path takes and lines it hands to the checked parser.
TEST_F(InputMethodTest, TextLineFormsAgreeWithTheCheckedParser) {
  std::string text =
      "1 2\n3\t4\n5  6  \n7 8\r\n9 10 \r\n  11 12\n+13 14\n15 +16\n"
      "18446744073709551615 17\n1234567890123456789 18\n00019 020\n#c 1\n\n \t\n21 22";
  Pairs want{{1, 2},  {3, 4},   {5, 6},   {7, 8}, {9, 10}, {11, 12}, {13, 14}, {15, 16}, {~0ull, 17},
             {1234567890123456789ull, 18}, {19, 20}, {21, 22}};
  std::string path = write("forms.dat", text);
  for (InputMethod m : kMethods) {
    auto t = read(path, m);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(pairs(*t), want) << to_string(m);
  }
  for (auto [line, expect] : {std::pair{"5 6\r \n", "size '6\r' is not a number"}, std::pair{"5 0\n", "size is 0"},
                              std::pair{"18446744073709551616 1\n", "out of range"}, std::pair{"5 6 7\n", "more fields"}}) {
    std::string good;
    for (int i = 0; i < 999; ++i) good += "1 1\n";
    std::string bad = write("bad.dat", good + line + "1 1\n");
    for (InputMethod m : kMethods) {
      auto t = read(bad, m);
      ASSERT_FALSE(t) << line;
      EXPECT_NE(t.error().message.find(bad + ":1000: "), std::string::npos) << t.error().message;
      EXPECT_NE(t.error().message.find(expect), std::string::npos) << t.error().message;
    }
  }
}

TEST_F(InputMethodTest, CsvLineFormsAgreeWithTheCheckedParser) {
  TraceOptions o;
  o.csv = CsvOptions{2, 3, 1, ',', true, false};
  std::string text = "t,id,size\n1,2,3\n4, 5 ,\"6\"\r\n\n7,8,9,extra,\"x\n10,11,12\n+13,14,15\n16,17,18";
  std::string path = write("forms.csv", text);
  for (InputMethod m : kMethods) {
    auto t = read(path, m, o);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(pairs(*t), (Pairs{{2, 3}, {5, 6}, {8, 9}, {11, 12}, {14, 15}, {17, 18}})) << to_string(m);
  }
  std::string bad = write("bad.csv", "t,id,size\n1,2,3\n4,5,0\n");
  for (InputMethod m : kMethods) {
    auto t = read(bad, m, o);
    ASSERT_FALSE(t);
    EXPECT_NE(t.error().message.find(bad + ":3: size is 0"), std::string::npos) << t.error().message;
    TraceOptions skip = o;
    skip.skip_bad_records = true;
    auto s = read(bad, m, skip);
    ASSERT_TRUE(s);
    EXPECT_EQ(pairs(*s), (Pairs{{2, 3}}));
    EXPECT_EQ(s->stats.skipped, 1u);
  }
}

// A mapped file ends where its last line ends: a parser must not look one byte further.
TEST_F(InputMethodTest, LastLineWithoutNewlineAtTheEndOfAPage) {
  for (const char* name : {"page.dat", "page.csv"}) {
    std::string body;
    std::uint64_t lines = 0;
    bool csv = fs::path(name).extension() == ".csv";
    while (body.size() < 4096 - 16) body += std::to_string(++lines) + (csv ? ",7\n" : " 7\n");
    while (body.size() < 4092) body += "#";  // a comment (text) or a bad line (csv, skipped)
    body += csv ? "\n9,2" : "\n9 2";
    ASSERT_EQ(body.size(), 4096u);
    TraceOptions o;
    o.skip_bad_records = true;
    o.csv.size_column = 0;
    std::string path = write(name, body);
    for (InputMethod m : kMethods) {
      auto t = read(path, m, o);
      ASSERT_TRUE(t) << t.error().message;
      ASSERT_EQ(t->requests.size(), lines + 1) << name;
      EXPECT_EQ(t->requests.back().id, 9u);
    }
  }
}

}  // namespace
}  // namespace wasmhop::trace
