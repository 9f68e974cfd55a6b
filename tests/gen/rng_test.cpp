#include <cstdlib>

#include <gtest/gtest.h>

#include "gen/prowgen.hpp"
#include "gen/rng.hpp"

namespace wasmhop::gen {
namespace {

TEST(Erand48, FirstValuesOfTheOriginalSeed) {
  // erand48 with xsubi = {5, 7, 9}: states (as the three 16-bit words) and variates, from glibc.
  Erand48 rng(std::array<std::uint16_t, 3>{5, 7, 9});
  EXPECT_EQ(rng.next(), 0x1.93653cdc016p-3);
  EXPECT_EQ(rng.state(), 32812ull | (42907ull << 16) | (12908ull << 32));
  EXPECT_EQ(rng.next(), 0x1.e86ac5da358ep-1);
  EXPECT_EQ(rng.next(), 0x1.1d3199dcc318p-2);
  EXPECT_EQ(rng.state(), 12486ull | (26231ull << 16) | (18252ull << 32));
}

#if defined(__GLIBC__)
TEST(Erand48, MatchesTheCLibrary) {
  for (std::array<std::uint16_t, 3> seed : {std::array<std::uint16_t, 3>{5, 7, 9}, {1, 2, 3}, {0, 0, 0},
                                            {0xFFFF, 0xFFFF, 0xFFFF}, {0x1234, 0xABCD, 0x0F0F}}) {
    unsigned short xsubi[3] = {seed[0], seed[1], seed[2]};
    Erand48 ours(seed);
    for (int i = 0; i < 100'000; ++i) {
      const double expected = erand48(xsubi);
      ASSERT_EQ(ours.next(), expected) << "draw " << i;
    }
  }
}
#endif

TEST(Erand48, UniformIsInUnitIntervalAndExact) {
  Erand48 rng(std::uint64_t{42});
  for (int i = 0; i < 10'000; ++i) {
    const std::uint64_t bits = rng.next_bits();
    ASSERT_LT(bits, std::uint64_t{1} << 48);
    ASSERT_EQ(static_cast<double>(bits) * 0x1p-48 * 0x1p48, static_cast<double>(bits));
  }
}

#if defined(__SIZEOF_INT128__)
TEST(MulShift48, MatchesWideArithmetic) {
  Erand48 rng(std::uint64_t{7});
  const std::uint64_t widths[] = {1, 2, 3, 1000, 991'099, 300'000, 0xFFFFFFFFull, (std::uint64_t{1} << 38) - 1};
  for (std::uint64_t w : widths) {
    for (int i = 0; i < 20'000; ++i) {
      std::uint64_t x = rng.next_bits();
      if (i == 0) x = 0;
      if (i == 1) x = kMask48;
      const unsigned __int128 p = static_cast<unsigned __int128>(x) * w;
      const auto floor = static_cast<std::uint64_t>(p >> 48);
      const auto ceil = floor + ((p & kMask48) != 0 ? 1 : 0);
      ASSERT_EQ(mul_shift48_floor(x, w), floor) << x << " * " << w;
      ASSERT_EQ(mul_shift48_ceil(x, w), ceil) << x << " * " << w;
    }
  }
}
#endif

TEST(StreamSeeds, DefaultIsTheOriginalsAndOthersDiffer) {
  const StreamSeeds s0 = stream_seeds(0);
  EXPECT_EQ(s0.sizes, 5ull | (7ull << 16) | (9ull << 32));
  EXPECT_EQ(s0.assembly, s0.sizes);  // the original restarts {5,7,9} for the assembly
  EXPECT_EQ(s0.sequencing, 1ull | (2ull << 16) | (3ull << 32));
  const StreamSeeds s1 = stream_seeds(1);
  const StreamSeeds s2 = stream_seeds(2);
  EXPECT_NE(s1.sizes, s2.sizes);
  EXPECT_NE(s1.sequencing, s2.sequencing);
  EXPECT_NE(s1.sizes, s1.sequencing);
  EXPECT_LT(s1.sizes, std::uint64_t{1} << 48);
}

}  // namespace
}  // namespace wasmhop::gen
