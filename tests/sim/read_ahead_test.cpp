// ReadAhead against a reader made up here: the same chunks, in order, with a thread or without;
// an error after the chunks before it; no hang when the caller stops early.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "run/program.hpp"
#include "sim/read_ahead.hpp"

namespace wasmhop::sim {
namespace {

// Hands out ids 0, 1, 2, ... (size = id + 1), `total` in all; read number `fail_at` (from 1) fails.
class CountingReader final : public TraceReader {
 public:
  CountingReader(std::uint64_t total, int fail_at = 0, std::chrono::microseconds delay = {})
      : total_(total), fail_at_(fail_at), delay_(delay) {}

  Result<std::size_t> read(std::vector<Request>& out, std::size_t max_records) override {
    if (++reads_ == fail_at_) return fail(ErrorKind::invalid_argument, "read failed on purpose");
    if (delay_.count() != 0) std::this_thread::sleep_for(delay_);
    std::size_t n = 0;
    for (; n < max_records && next_ < total_; ++n, ++next_) out.push_back(Request{next_, next_ + 1});
    return n;
  }

 private:
  std::uint64_t total_;
  std::uint64_t next_ = 0;
  int fail_at_;
  int reads_ = 0;
  std::chrono::microseconds delay_;
};

class ReadAheadTest : public ::testing::TestWithParam<bool> {};

TEST_P(ReadAheadTest, EveryRecordOnceInOrder) {
  CountingReader reader(100'003);
  ReadAhead chunks(reader, 1000, GetParam());
  std::uint64_t want = 0;
  for (;;) {
    auto chunk = chunks.next();
    ASSERT_TRUE(chunk) << chunk.error().message;
    if (chunk->empty()) break;
    ASSERT_LE(chunk->size(), 1000u);
    for (const Request& r : *chunk) {
      ASSERT_EQ(r.id, want);
      ASSERT_EQ(r.size, want + 1);
      ++want;
    }
  }
  EXPECT_EQ(want, 100'003u);
  auto after = chunks.next();  // the end stays the end
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->empty());
}

TEST_P(ReadAheadTest, AnErrorComesAfterTheChunksBeforeIt) {
  CountingReader reader(100'000, /*fail_at=*/5);
  ReadAhead chunks(reader, 1000, GetParam());
  for (int i = 0; i < 4; ++i) {
    auto chunk = chunks.next();
    ASSERT_TRUE(chunk) << chunk.error().message;
    ASSERT_EQ(chunk->size(), 1000u);
    EXPECT_EQ(chunk->front().id, static_cast<std::uint64_t>(i) * 1000);
  }
  for (int i = 0; i < 2; ++i) {  // and again on the next call
    auto failed = chunks.next();
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "read failed on purpose");
  }
}

TEST_P(ReadAheadTest, StoppingEarlyEndsTheReader) {
  // A slow reader and a caller that leaves after one chunk: the destructor must not wait for the trace.
  CountingReader reader(1'000'000, 0, std::chrono::microseconds(200));
  const auto start = std::chrono::steady_clock::now();
  {
    ReadAhead chunks(reader, 10, GetParam());
    auto chunk = chunks.next();
    ASSERT_TRUE(chunk);
    EXPECT_EQ(chunk->size(), 10u);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

INSTANTIATE_TEST_SUITE_P(ThreadedOrNot, ReadAheadTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "threaded" : "caller"; });

TEST(ReadAhead, AThreadOnlyWhenAsked) {
  CountingReader a(10), b(10);
  EXPECT_TRUE(ReadAhead(a, 4, true).threaded());
  EXPECT_FALSE(ReadAhead(b, 4, false).threaded());
  EXPECT_GE(run::usable_processors(), 1u);
}

}  // namespace
}  // namespace wasmhop::sim
