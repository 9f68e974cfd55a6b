// Request-trace and per-object statistics files written by `wasmhop gen` (and small readers that prove the
// formats round-trip).
//
//   text            "<id> <size>\n" per request: the paper's / ProWGen's two-column format
//   csv             header "id,size", then "<id>,<size>" per request
//   oracle_general  libCacheSim oracleGeneral: 24-byte little-endian records
//                   {uint32 timestamp, uint64 obj_id, uint32 obj_size, int64 next_access_vtime};
//                   vtime is the 1-based request number, next_access_vtime the vtime of the next request
//                   to the same object or -1; timestamp = vtime (ProWGen has no time)
//   stats           "<frequency> <size>\n" per object, in id order (id 0 = most popular)
//
// A path ending in .gz or .zst is written compressed (gzip / zstd); readers detect compression by its
// magic bytes. "-" writes to standard output (uncompressed).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::gen {

enum class TraceFormat : std::uint8_t { text, csv, oracle_general };
enum class Compression : std::uint8_t { none, gzip, zstd };

[[nodiscard]] std::string_view to_string(TraceFormat f) noexcept;
// "text", "csv", "oracle" / "oracleGeneral" / "oracle_general" (case-insensitive).
[[nodiscard]] Result<TraceFormat> parse_format(std::string_view name);
// From the file name, ignoring a .gz/.zst suffix: .csv -> csv, .oracleGeneral/.bin -> oracle_general,
// anything else -> text.
[[nodiscard]] TraceFormat format_for_path(const std::filesystem::path& path);
[[nodiscard]] Compression compression_for_path(const std::filesystem::path& path);

// Writes requests (ids) with sizes looked up by id: size_of[id].
[[nodiscard]] Status write_trace(const std::filesystem::path& path, TraceFormat format,
                                 std::span<const std::uint32_t> requests,
                                 std::span<const std::uint32_t> size_of);
[[nodiscard]] Status write_stats(const std::filesystem::path& path, std::span<const std::uint32_t> freq,
                                 std::span<const std::uint32_t> size);

struct TraceRecord {
  std::uint32_t timestamp = 0;          // oracleGeneral only (text/csv: the 1-based request number)
  std::uint64_t id = 0;
  std::uint32_t size = 0;
  std::int64_t next_access_vtime = -1;  // oracleGeneral only (text/csv: -1)
  friend bool operator==(const TraceRecord&, const TraceRecord&) = default;
};
[[nodiscard]] Result<std::vector<TraceRecord>> read_trace(const std::filesystem::path& path, TraceFormat format);

struct ObjectStats {
  std::uint32_t freq = 0;
  std::uint32_t size = 0;
  friend bool operator==(const ObjectStats&, const ObjectStats&) = default;
};
[[nodiscard]] Result<std::vector<ObjectStats>> read_stats(const std::filesystem::path& path);

// next_access_vtime for every request (1-based vtime of the next reference to the same id, or -1).
[[nodiscard]] std::vector<std::int64_t> next_access_vtimes(std::span<const std::uint32_t> requests);

}  // namespace wasmhop::gen
