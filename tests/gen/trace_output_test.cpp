// gen's files: every output format round-trips through the simulator's reader (src/trace);
// oracleGeneral's next_access_vtime is checked against a brute-force scan.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gen/prowgen.hpp"
#include "gen/trace_output.hpp"
#include "trace/reader.hpp"

namespace wasmhop::gen {
namespace {

namespace fs = std::filesystem;
using trace::TraceFormat;
using trace::TraceRecord;

Result<std::vector<TraceRecord>> read_trace(const fs::path& path, TraceFormat format) {
  trace::TraceOptions o;
  o.path = path.string();
  o.format = format;
  o.csv.has_header = true;  // gen's CSV starts with "id,size"
  return trace::read_all_records(o);
}

class TraceIo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("wasmhop_gen_{}_{}", ::testing::UnitTest::GetInstance()->current_test_info()->name(), ::getpid());
    fs::create_directories(dir_);
    Config c;
    c.requests = 20'000;
    auto w = generate(c);
    ASSERT_TRUE(w.has_value());
    w_ = std::move(*w);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  Workload w_;
};

TEST_F(TraceIo, EveryFormatAndCompressionRoundTrips) {
  for (TraceFormat f : {TraceFormat::text, TraceFormat::csv, TraceFormat::oracle}) {
    for (const char* suffix : {"", ".gz", ".zst"}) {
      const fs::path p = dir_ / (std::string("trace.") + std::string(trace::to_string(f)) + suffix);
      ASSERT_TRUE(write_trace(p, f, w_.requests, w_.catalog.size).has_value()) << p;
      const auto back = read_trace(p, f);
      ASSERT_TRUE(back.has_value()) << back.error().message;
      ASSERT_EQ(back->size(), w_.requests.size()) << p;
      const auto next = next_access_vtimes(w_.requests);
      for (std::size_t i = 0; i < back->size(); ++i) {
        const TraceRecord& r = (*back)[i];
        ASSERT_EQ(r.id, w_.requests[i]) << p << " request " << i;
        ASSERT_EQ(r.size, w_.catalog.size[w_.requests[i]]) << p << " request " << i;
        ASSERT_EQ(r.timestamp, i + 1);
        if (f == TraceFormat::oracle) {
          ASSERT_EQ(r.next_access_vtime, next[i]);
        }
      }
    }
  }
}

TEST_F(TraceIo, OracleGeneralLayout) {
  const fs::path p = dir_ / "t.oracleGeneral";
  ASSERT_TRUE(write_trace(p, TraceFormat::oracle, w_.requests, w_.catalog.size).has_value());
  EXPECT_EQ(fs::file_size(p), 24 * w_.requests.size());
  // The first record, byte by byte (little-endian): timestamp 1, id, size, next access.
  std::ifstream in(p, std::ios::binary);
  unsigned char rec[24];
  in.read(reinterpret_cast<char*>(rec), 24);
  auto le = [&](int off, int n) {
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | rec[off + i];
    return v;
  };
  EXPECT_EQ(le(0, 4), 1u);
  EXPECT_EQ(le(4, 8), w_.requests[0]);
  EXPECT_EQ(le(12, 4), w_.catalog.size[w_.requests[0]]);
  const auto next = next_access_vtimes(w_.requests);
  EXPECT_EQ(static_cast<std::int64_t>(le(16, 8)), next[0]);
}

TEST(NextAccess, BruteForce) {
  const std::vector<std::uint32_t> r{3, 1, 3, 3, 0, 1, 2};
  const std::vector<std::int64_t> expected{3, 6, 4, -1, -1, -1, -1};  // 1-based vtimes
  EXPECT_EQ(next_access_vtimes(r), expected);
}

TEST_F(TraceIo, StatsRoundTrip) {
  for (const char* name : {"stats.txt", "stats.txt.gz"}) {
    const fs::path p = dir_ / name;
    ASSERT_TRUE(write_stats(p, w_.catalog.freq, w_.catalog.size).has_value());
    const auto back = read_stats(p);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    ASSERT_EQ(back->size(), w_.catalog.freq.size());
    for (std::size_t d = 0; d < back->size(); ++d) {
      ASSERT_EQ((*back)[d], (ObjectStats{w_.catalog.freq[d], w_.catalog.size[d]}));
    }
  }
}

TEST_F(TraceIo, TextIsThePapersTwoColumnFormat) {
  const fs::path p = dir_ / "t.txt";
  const std::vector<std::uint32_t> reqs{0, 2, 0};
  const std::vector<std::uint32_t> sizes{3038, 7, 52428799};
  ASSERT_TRUE(write_trace(p, TraceFormat::text, reqs, sizes).has_value());
  std::ifstream in(p);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all, "0 3038\n2 52428799\n0 3038\n");
  ASSERT_TRUE(write_trace(dir_ / "t.csv", TraceFormat::csv, reqs, sizes).has_value());
  std::ifstream csv(dir_ / "t.csv");
  std::string all_csv((std::istreambuf_iterator<char>(csv)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all_csv, "id,size\n0,3038\n2,52428799\n0,3038\n");
}

TEST_F(TraceIo, ReadsTheOriginalsPaddedFormat) {
  const fs::path p = dir_ / "padded.dat";
  std::ofstream(p) << "       315       2222\n       504       2168\n";
  const auto back = read_trace(p, TraceFormat::text);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].id, 504u);
  EXPECT_EQ((*back)[1].size, 2168u);
}

TEST_F(TraceIo, ErrorsNameTheFileAndLine) {
  const fs::path p = dir_ / "bad.txt";
  std::ofstream(p) << "1 2\n3 x\n";
  const auto back = read_trace(p, TraceFormat::text);
  ASSERT_FALSE(back.has_value());
  EXPECT_EQ(back.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(back.error().message.find("bad.txt:2:"), std::string::npos) << back.error().message;
  std::ofstream(dir_ / "short.bin", std::ios::binary) << "12345";
  EXPECT_FALSE(read_trace(dir_ / "short.bin", TraceFormat::oracle).has_value());
  const auto missing = write_trace(dir_ / "no" / "such" / "dir.txt", TraceFormat::text, w_.requests, w_.catalog.size);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("dir.txt"), std::string::npos);
}

}  // namespace
}  // namespace wasmhop::gen
