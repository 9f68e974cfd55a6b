// The files `wasmhop gen` writes: its request trace, in any trace format (src/trace: text, csv,
// oracleGeneral; .gz/.zst compressed by the name), and its per-object statistics.
//
//   trace   requests (ids) with sizes looked up by id; oracleGeneral's vtime is the 1-based request
//           number, next_access_vtime the vtime of the next request to the same object or -1, and
//           timestamp = vtime (ProWGen has no time)
//   stats   "<frequency> <size>\n" per object, in id order (id 0 = most popular)
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "trace/format.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::gen {

[[nodiscard]] Status write_trace(const std::filesystem::path& path, trace::TraceFormat format,
                                 std::span<const std::uint32_t> requests, std::span<const std::uint32_t> size_of);
[[nodiscard]] Status write_stats(const std::filesystem::path& path, std::span<const std::uint32_t> freq,
                                 std::span<const std::uint32_t> size);

struct ObjectStats {
  std::uint32_t freq = 0;
  std::uint32_t size = 0;
  friend bool operator==(const ObjectStats&, const ObjectStats&) = default;
};
[[nodiscard]] Result<std::vector<ObjectStats>> read_stats(const std::filesystem::path& path);

// next_access_vtime for every request (1-based vtime of the next reference to the same id, or -1).
[[nodiscard]] std::vector<std::int64_t> next_access_vtimes(std::span<const std::uint32_t> requests);

}  // namespace wasmhop::gen
