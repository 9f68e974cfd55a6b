// The automatic choice between a trace in memory and a streamed one (src/sim/input_plan.cpp).
#include <gtest/gtest.h>

#include "sim/input_plan.hpp"
#include "temp_dir_test.hpp"

namespace wasmhop::sim {
namespace {

InputFacts facts(std::uint64_t file_bytes, bool compressed, trace::TraceFormat format, std::uint64_t runs,
                 std::uint64_t budget) {
  InputFacts f;
  f.file_bytes = file_bytes;
  f.compressed = compressed;
  f.format = format;
  f.runs = runs;
  f.memory_budget = budget;
  return f;
}

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

TEST(InputPlan, FlagsDecide) {
  const InputFacts f = facts(24, false, trace::TraceFormat::oracle, 1, kGiB);
  EXPECT_FALSE(choose_input(StreamMode::memory, f).stream);
  EXPECT_TRUE(choose_input(StreamMode::stream, facts(24, false, trace::TraceFormat::oracle, 9, kGiB)).stream);
}

TEST(InputPlan, OneRunStreams) {
  const InputChoice c = choose_input(StreamMode::automatic, facts(24'000'000, false, trace::TraceFormat::oracle, 1, kGiB));
  EXPECT_TRUE(c.stream);
  EXPECT_NE(c.reason.find("one run"), std::string::npos) << c.reason;
}

TEST(InputPlan, SeveralRunsShareOneCopyThatFits) {
  // 24 MB of oracleGeneral: 1M records, 16 MB in memory.
  const InputFacts f = facts(24'000'000, false, trace::TraceFormat::oracle, 8, kGiB);
  EXPECT_EQ(estimated_memory_bytes(f), 16'000'000u);
  EXPECT_FALSE(choose_input(StreamMode::automatic, f).stream);
}

TEST(InputPlan, TooLargeStreams) {
  // 2.4 GB of oracleGeneral (100M records, 1.6 GB in memory) against a 1 GiB budget.
  const InputChoice c =
      choose_input(StreamMode::automatic, facts(2'400'000'000, false, trace::TraceFormat::oracle, 8, kGiB));
  EXPECT_TRUE(c.stream);
  EXPECT_NE(c.reason.find("budget"), std::string::npos) << c.reason;
  // Compressed input is taken as 8 times its size; text as 6 bytes a line.
  EXPECT_EQ(estimated_memory_bytes(facts(600, true, trace::TraceFormat::text, 2, kGiB)), 600u * 8 / 6 * 16);
}

class InputProbe : public test::TempDirTest {};

TEST_F(InputProbe, SizeAndCompressionFromTheFile) {
  auto plain = probe_input(write("t.oracleGeneral", std::string(48, '\1')), trace::TraceFormat::automatic);
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->file_bytes, 48u);
  EXPECT_FALSE(plain->compressed);
  EXPECT_EQ(plain->format, trace::TraceFormat::oracle);
  auto zst = probe_input(write("t.txt", std::string("\x28\xb5\x2f\xfd rest", 9)), trace::TraceFormat::text);
  ASSERT_TRUE(zst);
  EXPECT_TRUE(zst->compressed);
  EXPECT_FALSE(probe_input((dir_ / "missing").string(), trace::TraceFormat::text));
}

}  // namespace
}  // namespace wasmhop::sim
