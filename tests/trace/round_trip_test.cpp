// Every trace format's writer and reader agree: records written (plain, gzip, zstd) come back the
// same, all fields where the format carries them; names and paths map to the registered formats.
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "temp_dir_test.hpp"
#include "trace/reader.hpp"
#include "trace/writer.hpp"

namespace wasmhop::trace {
namespace {

class RoundTrip : public test::TempDirTest {
 protected:
  // Ids and sizes of realistic widths, 64-bit ids included; repeated ids with next-access times.
  static std::vector<TraceRecord> records() {
    std::vector<TraceRecord> out;
    std::uint64_t x = 88172645463325252ull;
    for (std::uint32_t i = 1; i <= 70'000; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      const std::uint64_t id = i % 7 == 0 ? x : x % 5000;
      const std::uint64_t size = 1 + (x >> 40) % 4'000'000;
      out.push_back(TraceRecord{i, id, size, i % 3 == 0 ? -1 : std::int64_t{i} + 17});
    }
    return out;
  }

  Result<std::vector<TraceRecord>> write_and_read(const std::string& name, TraceFormat format,
                                                  const std::vector<TraceRecord>& in) {
    const std::string path = (dir_ / name).string();
    auto w = open_writer(path, format);
    if (!w) return tl::unexpected(w.error());
    // Several blocks of different lengths: the writer keeps no per-call state.
    const std::span<const TraceRecord> all(in);
    const std::size_t cut = std::min<std::size_t>(1000, all.size());
    if (auto st = (*w)->write(all.first(cut)); !st) return tl::unexpected(st.error());
    if (auto st = (*w)->write(all.subspan(cut)); !st) return tl::unexpected(st.error());
    if (auto st = (*w)->close(); !st) return tl::unexpected(st.error());
    TraceOptions o;
    o.path = path;
    o.csv.has_header = true;  // the CSV writer starts with "id,size"
    return read_all_records(o);
  }
};

TEST_F(RoundTrip, EveryFormatAndCompressionGivesBackItsRecords) {
  const std::vector<TraceRecord> in = records();
  struct Case {
    TraceFormat format;
    const char* file;
    bool all_fields;  // timestamp and next access kept (oracleGeneral); else numbered from 1, next -1
  };
  for (const Case& c : {Case{TraceFormat::text, "t.txt", false}, Case{TraceFormat::csv, "t.csv", false},
                        Case{TraceFormat::oracle, "t.oracleGeneral", true}}) {
    for (const char* suffix : {"", ".gz", ".zst"}) {
      const std::string name = std::string(c.file) + suffix;
      // The format is given for one half of the cases and found from the name for the other.
      auto back = write_and_read(name, *suffix == '\0' ? c.format : TraceFormat::automatic, in);
      ASSERT_TRUE(back) << name << ": " << back.error().message;
      ASSERT_EQ(back->size(), in.size()) << name;
      for (std::size_t i = 0; i < in.size(); ++i) {
        TraceRecord want = in[i];
        if (!c.all_fields) want.next_access_vtime = -1;  // timestamps: in[i] is numbered from 1 too
        ASSERT_EQ((*back)[i], want) << name << " record " << i;
      }
    }
  }
}

TEST_F(RoundTrip, TextAndCsvBytesAreTheDocumentedLines) {
  const std::vector<TraceRecord> in{{1, 0, 3038, -1}, {2, 2, 52428799, -1}};
  ASSERT_TRUE(write_and_read("t.txt", TraceFormat::text, in));
  ASSERT_TRUE(write_and_read("t.csv", TraceFormat::csv, in));
  auto slurp = [&](const char* name) {
    std::ifstream f(dir_ / name, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(slurp("t.txt"), "0 3038\n2 52428799\n");
  EXPECT_EQ(slurp("t.csv"), "id,size\n0,3038\n2,52428799\n");
}

TEST_F(RoundTrip, OracleRefusesSizesWiderThan32Bits) {
  auto back = write_and_read("big.oracleGeneral", TraceFormat::oracle, {TraceRecord{1, 7, 1ull << 32, -1}});
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message.find("32-bit"), std::string::npos) << back.error().message;
}

TEST_F(RoundTrip, WriterErrorsNameTheFile) {
  auto w = open_writer(dir_ / "no" / "such" / "dir.txt", TraceFormat::text);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("dir.txt"), std::string::npos) << w.error().message;
}

TEST(TraceFormatNames, FromNamesAndPaths) {
  EXPECT_EQ(*parse_trace_format("oracleGeneral"), TraceFormat::oracle);
  EXPECT_EQ(*parse_trace_format("oracle_general"), TraceFormat::oracle);
  EXPECT_EQ(*parse_trace_format("CSV"), TraceFormat::csv);
  EXPECT_EQ(*parse_trace_format("txt"), TraceFormat::text);
  EXPECT_FALSE(parse_trace_format("xml").has_value());
  for (TraceFormat f : {TraceFormat::text, TraceFormat::csv, TraceFormat::oracle})
    EXPECT_EQ(*parse_trace_format(to_string(f)), f);  // every registered name parses back
  EXPECT_EQ(detect_trace_format("a/b.csv"), TraceFormat::csv);
  EXPECT_EQ(detect_trace_format("b.oracleGeneral.zst"), TraceFormat::oracle);
  EXPECT_EQ(detect_trace_format("b.OracleGeneral"), TraceFormat::oracle);
  EXPECT_EQ(detect_trace_format("b.dat.gz"), TraceFormat::text);
  EXPECT_EQ(compression_for_path("b.dat.gz"), Compression::gzip);
  EXPECT_EQ(compression_for_path("b.oracleGeneral.zst"), Compression::zstd);
  EXPECT_EQ(compression_for_path("b.oracleGeneral"), Compression::none);
}

}  // namespace
}  // namespace wasmhop::trace
