#include <gtest/gtest.h>

#include "sim/size_parse.hpp"

namespace wasmhop::sim {
namespace {

TEST(SizeParse, UnitsAndPlainBytes) {
  EXPECT_EQ(*parse_size("4194304"), 4194304u);
  EXPECT_EQ(*parse_size("4MiB"), 4u << 20);
  EXPECT_EQ(*parse_size("4 MiB"), 4u << 20);
  EXPECT_EQ(*parse_size("4mib"), 4u << 20);
  EXPECT_EQ(*parse_size("64MB"), 64000000u);
  EXPECT_EQ(*parse_size("1KB"), 1000u);
  EXPECT_EQ(*parse_size("1KiB"), 1024u);
  EXPECT_EQ(*parse_size("2GiB"), 2ull << 30);
  EXPECT_EQ(*parse_size("3GB"), 3000000000ull);
  EXPECT_EQ(*parse_size("1TiB"), 1ull << 40);
  EXPECT_EQ(*parse_size("12B"), 12u);
  EXPECT_EQ(*parse_size("1.5KiB"), 1536u);
  EXPECT_EQ(*parse_size("0.5GB"), 500000000u);
  EXPECT_EQ(*parse_size("0"), 0u);
  EXPECT_EQ(*parse_size("18446744073709551615"), ~std::uint64_t{0});
}

TEST(SizeParse, ClearErrors) {
  auto msg = [](std::string_view s) { return parse_size(s).error().message; };
  EXPECT_NE(msg("4M").find("ambiguous unit; write MiB (binary) or MB (decimal)"), std::string::npos);
  EXPECT_NE(msg("4 furlongs").find("unknown unit 'furlongs'"), std::string::npos);
  EXPECT_NE(msg("-4MiB").find("negative"), std::string::npos);
  EXPECT_NE(msg("").find("empty"), std::string::npos);
  EXPECT_NE(msg("MiB").find("expected a number"), std::string::npos);
  EXPECT_NE(msg("1.0000001KiB").find("not a whole number of bytes"), std::string::npos);
  EXPECT_NE(msg("18446744073709551616").find("too large"), std::string::npos);
  EXPECT_NE(msg("20000000TiB").find("too large"), std::string::npos);
  EXPECT_EQ(parse_size("4x").error().kind, ErrorKind::invalid_argument);
}

TEST(SizeParse, ListsAndDoublingRanges) {
  EXPECT_EQ(*parse_size_list("4MiB:32MiB"),
            (std::vector<std::uint64_t>{4u << 20, 8u << 20, 16u << 20, 32u << 20}));
  EXPECT_EQ(*parse_size_list("1000,2KB, 4MiB:10MiB"),
            (std::vector<std::uint64_t>{1000, 2000, 4u << 20, 8u << 20}));
  EXPECT_EQ(parse_size_list("4MiB:8GiB")->size(), 12u);
  EXPECT_EQ(*parse_size_list("5,5,5:10"), (std::vector<std::uint64_t>{5, 10}));
  EXPECT_FALSE(parse_size_list("0"));
  EXPECT_FALSE(parse_size_list("8MiB:4MiB"));
  EXPECT_FALSE(parse_size_list("0:4MiB"));
  EXPECT_FALSE(parse_size_list(""));
  EXPECT_FALSE(parse_size_list("4MiB,,8MiB"));
  EXPECT_NE(parse_size_list("4MiB:8Q").error().message.find("unknown unit 'Q'"), std::string::npos);
}

TEST(SizeParse, Format) {
  EXPECT_EQ(format_size(4u << 20), "4 MiB");
  EXPECT_EQ(format_size(1536), "1536 B");
  EXPECT_EQ(format_size(3072), "3 KiB");
  EXPECT_EQ(format_size(1ull << 30), "1 GiB");
  EXPECT_EQ(format_size(1000), "1000 B");
}

}  // namespace
}  // namespace wasmhop::sim
