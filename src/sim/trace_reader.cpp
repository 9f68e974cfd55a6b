#include "sim/trace_reader.hpp"

#include <chrono>

#include <fmt/format.h>

#include "sim/byte_source.hpp"
#include "sim/record_parsing.hpp"

namespace wasmhop::sim {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view to_string(TraceFormat format) noexcept {
  switch (format) {
    case TraceFormat::automatic: return "auto";
    case TraceFormat::text: return "text";
    case TraceFormat::csv: return "csv";
    case TraceFormat::oracle: return "oracle";
  }
  return "?";
}

Result<TraceFormat> parse_trace_format(std::string_view name) {
  if (name == "auto") return TraceFormat::automatic;
  if (name == "text") return TraceFormat::text;
  if (name == "csv") return TraceFormat::csv;
  if (name == "oracle" || name == "oracleGeneral") return TraceFormat::oracle;
  return fail(ErrorKind::invalid_argument,
              fmt::format("unknown trace format '{}' (valid: auto, text, csv, oracle)", name));
}

TraceFormat detect_trace_format(std::string_view path) noexcept {
  std::string_view name = path;
  if (auto slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  for (std::string_view z : {".gz", ".zst", ".zstd"})
    if (ends_with(name, z)) name.remove_suffix(z.size());
  if (name.find("oracleGeneral") != std::string_view::npos || ends_with(name, ".bin") ||
      ends_with(name, ".oracle"))
    return TraceFormat::oracle;
  if (ends_with(name, ".csv")) return TraceFormat::csv;
  return TraceFormat::text;
}

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
  switch (format) {
    case TraceFormat::csv: return detail::make_csv_reader(options, std::move(*source));
    case TraceFormat::oracle: return detail::make_oracle_reader(options, std::move(*source));
    case TraceFormat::text:
    case TraceFormat::automatic: break;
  }
  return detail::make_text_reader(options, std::move(*source));
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

}  // namespace wasmhop::sim
