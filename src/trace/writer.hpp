// Trace writers: open_writer(path, format) finds the format's writer (format.cpp) and the compression
// from the file name. Records go in blocks; close() finishes the file (and reports a failed write).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "trace/byte_sink.hpp"
#include "trace/format.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::trace {

// One request as the formats can carry it. text and csv keep id and size; oracleGeneral all four
// (its size and timestamp fields are 32 bits wide).
struct TraceRecord {
  std::uint32_t timestamp = 0;          // oracleGeneral; read from text/csv: the 1-based request number
  std::uint64_t id = 0;
  std::uint64_t size = 0;
  std::int64_t next_access_vtime = -1;  // oracleGeneral; read from text/csv: -1
  friend bool operator==(const TraceRecord&, const TraceRecord&) = default;
};

class TraceWriter {
 public:
  virtual ~TraceWriter() = default;
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  [[nodiscard]] virtual Status write(std::span<const TraceRecord> records) = 0;
  [[nodiscard]] Status close() { return sink_->close(); }

 protected:
  explicit TraceWriter(std::unique_ptr<ByteSink> sink) : sink_(std::move(sink)) {}
  std::unique_ptr<ByteSink> sink_;
};

// format: text, csv or oracle (automatic: from the path). "-" writes to standard output.
[[nodiscard]] Result<std::unique_ptr<TraceWriter>> open_writer(const std::filesystem::path& path, TraceFormat format);

}  // namespace wasmhop::trace
