// Trace readers behind one streaming interface (each format's reader is in its file, beside its
// writer: format.hpp). Compression (gzip, zstd) is detected from the file's magic bytes, the format
// from its name (or given). Errors are values naming the file and the line or record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "trace/byte_source.hpp"
#include "trace/format.hpp"
#include "trace/writer.hpp"
#include "wasmhop/cache/types.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::trace {

using cache::Request;

struct CsvOptions {
  unsigned id_column = 1;    // 1-based
  unsigned size_column = 2;  // 1-based; 0 = no size column (every size is 1, as in libCacheSim)
  unsigned time_column = 0;  // 1-based; 0 = none. Validated as a number, not used by the policies
  char delimiter = ',';
  bool has_header = false;   // skip the first line
  bool hash_ids = false;     // ids are strings: use their 64-bit XXH3 hash instead of parsing a number
};

struct TraceOptions {
  std::string path;
  TraceFormat format = TraceFormat::automatic;
  CsvOptions csv;
  bool skip_bad_records = false;  // count and skip malformed records instead of failing
  bool allow_zero_size = false;   // accept size 0 (otherwise it is a malformed record)
  InputMethod input = InputMethod::automatic;  // plain files: mapped, or read through a buffer
};

struct ReadStats {
  std::uint64_t records = 0;          // delivered
  std::uint64_t skipped = 0;          // malformed records skipped (skip mode)
  std::uint64_t bytes = 0;            // decompressed bytes consumed
  std::vector<std::string> first_errors;  // up to kMaxKeptErrors messages of skipped records
  static constexpr std::size_t kMaxKeptErrors = 5;
};

class TraceReader {
 public:
  virtual ~TraceReader() = default;
  TraceReader() = default;
  TraceReader(const TraceReader&) = delete;
  TraceReader& operator=(const TraceReader&) = delete;

  // Appends up to `max_records` records to `out`; returns how many (0 only at the end of the trace).
  [[nodiscard]] virtual Result<std::size_t> read(std::vector<Request>& out, std::size_t max_records) = 0;
  [[nodiscard]] const ReadStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const TraceOptions& options() const noexcept { return options_; }
  [[nodiscard]] TraceFormat format() const noexcept { return format_; }
  [[nodiscard]] std::string_view compression() const noexcept { return compression_; }
  // How many records the trace holds at most, when that is known before reading it (else 0).
  [[nodiscard]] virtual std::uint64_t expected_records() const noexcept { return 0; }
  // The same records with every field the format carries (for round trips and conversions; the
  // simulator reads Requests). Formats without timestamps number the records from 1.
  [[nodiscard]] virtual Result<std::size_t> read_records(std::vector<TraceRecord>& out, std::size_t max_records);

 protected:
  // For a malformed record: fail, or (skip mode) count it, keep its message and return success.
  [[nodiscard]] Status bad_record(std::string message);

  TraceOptions options_;
  TraceFormat format_ = TraceFormat::text;
  std::string compression_ = "none";
  ReadStats stats_;
  std::uint64_t numbered_ = 0;  // records handed out by the default read_records
};

[[nodiscard]] Result<std::unique_ptr<TraceReader>> open_trace(const TraceOptions& options);

// A whole trace in memory (16 bytes a request), with the time it took to read and parse it. For
// traces larger than memory use open_trace and the streaming run_sweep.
struct Trace {
  std::string path;
  std::vector<Request> requests;
  ReadStats stats;
  TraceFormat format = TraceFormat::text;
  std::string compression;
  double read_seconds = 0;
};

[[nodiscard]] Result<Trace> read_trace(const TraceOptions& options);

// Every record with all its fields (read_records), for round trips and small traces.
[[nodiscard]] Result<std::vector<TraceRecord>> read_all_records(const TraceOptions& options);

}  // namespace wasmhop::trace
