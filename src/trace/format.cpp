#include "trace/format.hpp"

#include <array>
#include <cctype>
#include <string>

#include <fmt/format.h>

#include "trace/parsing.hpp"

namespace wasmhop::trace {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The formats, one line each: adding one is a file with its reader and writer plus a line here.
constexpr std::array<detail::FormatEntry, 3> kFormats{{
    {TraceFormat::text, "text", &detail::make_text_reader, &detail::make_text_writer},
    {TraceFormat::csv, "csv", &detail::make_csv_reader, &detail::make_csv_writer},
    {TraceFormat::oracle, "oracle", &detail::make_oracle_reader, &detail::make_oracle_writer},
}};

}  // namespace

const detail::FormatEntry& detail::format_entry(TraceFormat format) noexcept {
  for (const FormatEntry& e : kFormats)
    if (e.format == format) return e;
  return kFormats[0];  // automatic resolves before this; text is what it resolves to by default
}

std::string_view to_string(TraceFormat format) noexcept {
  return format == TraceFormat::automatic ? "auto" : detail::format_entry(format).name;
}

Result<TraceFormat> parse_trace_format(std::string_view name) {
  const std::string n = lower(name);
  if (n == "auto") return TraceFormat::automatic;
  if (n == "txt") return TraceFormat::text;
  if (n == "oraclegeneral" || n == "oracle_general" || n == "oracle-general") return TraceFormat::oracle;
  for (const detail::FormatEntry& e : kFormats)
    if (n == e.name) return e.format;
  return fail(ErrorKind::invalid_argument,
              fmt::format("unknown trace format '{}' (valid: auto, text, csv, oracle (oracleGeneral))", name));
}

TraceFormat detect_trace_format(std::string_view path) {
  std::string_view name = path;
  if (auto slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string n = lower(name);
  for (std::string_view z : {".gz", ".zst", ".zstd"})
    if (ends_with(n, z)) n.resize(n.size() - z.size());
  if (n.find("oraclegeneral") != std::string::npos || ends_with(n, ".bin") || ends_with(n, ".oracle"))
    return TraceFormat::oracle;
  if (ends_with(n, ".csv")) return TraceFormat::csv;
  return TraceFormat::text;
}

Compression compression_for_path(const std::filesystem::path& path) {
  const std::string ext = lower(path.extension().string());
  if (ext == ".gz") return Compression::gzip;
  if (ext == ".zst" || ext == ".zstd") return Compression::zstd;
  return Compression::none;
}

}  // namespace wasmhop::trace
