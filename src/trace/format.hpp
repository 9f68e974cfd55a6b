// Trace formats. One file per format holds its reader and its writer (text.cpp, csv.cpp, oracle.cpp);
// format.cpp lists them, one line each, and open_trace (reader.hpp) and open_writer (writer.hpp) find
// them there. Both `wasmhop gen` (writing) and `wasmhop sim` (reading) go through this folder.
//
//   text    "id size" per line: the paper's / ProWGen's two-column format ('#' comments, blank lines)
//   csv     delimited columns (libCacheSim style: column numbers, header, delimiter, string ids);
//           written as a header "id,size", then "id,size" per request
//   oracle  libCacheSim oracleGeneral: 24-byte little-endian records
//           {uint32 timestamp, uint64 obj_id, uint32 obj_size, int64 next_access_vtime}
//
// Compression: read from the magic bytes (gzip, zstd), written from the file name (.gz, .zst).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "wasmhop/result.hpp"

namespace wasmhop::trace {

enum class TraceFormat : std::uint8_t {
  automatic,  // from the file name: *.csv -> csv, *oracleGeneral*, *.bin or *.oracle -> oracle, otherwise text
  text,
  csv,
  oracle,
};

enum class Compression : std::uint8_t { none, gzip, zstd };

[[nodiscard]] std::string_view to_string(TraceFormat format) noexcept;
// auto, text (txt), csv, oracle (oracleGeneral, oracle_general, oracle-general); case-insensitive.
[[nodiscard]] Result<TraceFormat> parse_trace_format(std::string_view name);
// The format `automatic` resolves to for this path (a .gz/.zst/.zstd suffix is looked through).
[[nodiscard]] TraceFormat detect_trace_format(std::string_view path);
// What a writer compresses with, from the path's suffix.
[[nodiscard]] Compression compression_for_path(const std::filesystem::path& path);

}  // namespace wasmhop::trace
