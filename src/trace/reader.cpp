#include "trace/reader.hpp"

#include <chrono>

#include <fmt/format.h>

#include "trace/byte_source.hpp"
#include "trace/parsing.hpp"

namespace wasmhop::trace {
Status TraceReader::bad_record(std::string message) {
  if (!options_.skip_bad_records) return fail(ErrorKind::invalid_argument, std::move(message));
  ++stats_.skipped;
  if (stats_.first_errors.size() < ReadStats::kMaxKeptErrors) stats_.first_errors.push_back(std::move(message));
  return {};
}

Result<std::unique_ptr<TraceReader>> open_trace(const TraceOptions& options) {
  if (options.format == TraceFormat::csv || (options.format == TraceFormat::automatic &&
                                             detect_trace_format(options.path) == TraceFormat::csv)) {
    const CsvOptions& c = options.csv;
    if (c.id_column == 0)
      return fail(ErrorKind::invalid_argument, "CSV id column must be given (columns are numbered from 1)");
    if (c.id_column == c.size_column || (c.time_column != 0 && (c.time_column == c.id_column ||
                                                                c.time_column == c.size_column)))
      return fail(ErrorKind::invalid_argument, "CSV time, id and size columns must differ");
    if (c.delimiter == '\n' || c.delimiter == '\r' || c.delimiter == '"')
      return fail(ErrorKind::invalid_argument, "CSV delimiter cannot be a newline or a quote");
  }
  auto source = open_byte_source(options.path, options.input);
  if (!source) return tl::unexpected(source.error());
  TraceFormat format = options.format == TraceFormat::automatic ? detect_trace_format(options.path) : options.format;
  return detail::format_entry(format).make_reader(options, std::move(*source));
}

Result<std::size_t> TraceReader::read_records(std::vector<TraceRecord>& out, std::size_t max_records) {
  std::vector<Request> requests;
  auto got = read(requests, max_records);
  if (!got) return tl::unexpected(got.error());
  for (const Request& r : requests) {
    ++numbered_;
    out.push_back(TraceRecord{static_cast<std::uint32_t>(numbered_), r.id, r.size, -1});
  }
  return *got;
}

Result<Trace> read_trace(const TraceOptions& options) {
  auto start = std::chrono::steady_clock::now();
  auto reader = open_trace(options);
  if (!reader) return tl::unexpected(reader.error());
  Trace trace;
  trace.path = options.path;
  // Sized once when the length is known: growing by doubling would hold the old and the new copy.
  if (std::uint64_t expected = (*reader)->expected_records(); expected != 0 && expected <= SIZE_MAX / sizeof(Request))
    trace.requests.reserve(static_cast<std::size_t>(expected));
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  for (;;) {
    auto got = (*reader)->read(trace.requests, kChunk);
    if (!got) return tl::unexpected(got.error());
    if (*got == 0) break;
  }
  trace.stats = (*reader)->stats();
  trace.format = (*reader)->format();
  trace.compression = std::string((*reader)->compression());
  trace.read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return trace;
}

Result<std::vector<TraceRecord>> read_all_records(const TraceOptions& options) {
  auto reader = open_trace(options);
  if (!reader) return tl::unexpected(reader.error());
  std::vector<TraceRecord> out;
  for (;;) {
    auto got = (*reader)->read_records(out, std::size_t{1} << 16);
    if (!got) return tl::unexpected(got.error());
    if (*got == 0) break;
  }
  return out;
}

}  // namespace wasmhop::trace
