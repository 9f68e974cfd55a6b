// Byte sizes as people write them: "4194304", "4MiB", "1.5GiB", "64MB", and lists of them with
// doubling ranges: "4MiB:8GiB" = 4, 8, 16 ... 8192 MiB. Binary units KiB/MiB/GiB/TiB (2^10...),
// decimal units KB/MB/GB/TB (10^3...), "B" or no unit = bytes; units are case-insensitive.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::sim {

[[nodiscard]] Result<std::uint64_t> parse_size(std::string_view text);

// Comma-separated sizes and doubling ranges "from:to" (to included when reached exactly). Sizes
// must be positive; the result keeps the order given and drops duplicates.
[[nodiscard]] Result<std::vector<std::uint64_t>> parse_size_list(std::string_view text);

// "4 MiB (4194304 B)"-style label: the largest binary unit that divides the size exactly.
[[nodiscard]] std::string format_size(std::uint64_t bytes);

}  // namespace wasmhop::sim
