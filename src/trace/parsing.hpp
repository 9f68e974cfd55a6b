// Internal to the trace formats: the registry entry of a format, each format's reader and writer
// factories, and the number checks and encoders they share.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "trace/byte_sink.hpp"
#include "trace/byte_source.hpp"
#include "trace/reader.hpp"
#include "trace/writer.hpp"

namespace wasmhop::trace::detail {

using ReaderFactory = std::unique_ptr<TraceReader> (*)(const TraceOptions&, std::unique_ptr<ByteSource>);
using WriterFactory = std::unique_ptr<TraceWriter> (*)(std::unique_ptr<ByteSink>);

struct FormatEntry {
  TraceFormat format;
  std::string_view name;
  ReaderFactory make_reader;
  WriterFactory make_writer;
};

// The entry of a concrete format (format.cpp holds the list).
[[nodiscard]] const FormatEntry& format_entry(TraceFormat format) noexcept;

[[nodiscard]] std::unique_ptr<TraceReader> make_text_reader(const TraceOptions& options,
                                                            std::unique_ptr<ByteSource> source);
[[nodiscard]] std::unique_ptr<TraceReader> make_csv_reader(const TraceOptions& options,
                                                           std::unique_ptr<ByteSource> source);
[[nodiscard]] std::unique_ptr<TraceReader> make_oracle_reader(const TraceOptions& options,
                                                              std::unique_ptr<ByteSource> source);
[[nodiscard]] std::unique_ptr<TraceWriter> make_text_writer(std::unique_ptr<ByteSink> sink);
[[nodiscard]] std::unique_ptr<TraceWriter> make_csv_writer(std::unique_ptr<ByteSink> sink);
[[nodiscard]] std::unique_ptr<TraceWriter> make_oracle_writer(std::unique_ptr<ByteSink> sink);
// "id<separator>size\n" lines (text.cpp), shared by the text and CSV writers.
[[nodiscard]] std::unique_ptr<TraceWriter> make_line_writer(std::unique_ptr<ByteSink> sink, char separator);

// Decimal digits of v appended to b.
inline void put_uint(std::string& b, std::uint64_t v) {
  char tmp[24];
  const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  b.append(tmp, r.ptr);
}

// The low `bytes` bytes of v, little-endian.
inline void put_le(std::string& b, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Parses a whole field as an unsigned decimal 64-bit number; on failure returns a short reason
// ("is empty", "is negative", "is not a number", "is out of range (more than 64 bits)").
[[nodiscard]] inline const char* parse_u64(std::string_view field, std::uint64_t& value) noexcept {
  if (field.empty()) return "is empty";
  if (field.front() == '+') field.remove_prefix(1);
  if (!field.empty() && field.front() == '-') {
    bool digits = field.size() > 1 && field[1] >= '0' && field[1] <= '9';
    return digits ? "is negative" : "is not a number";
  }
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec == std::errc::result_out_of_range) return "is out of range (more than 64 bits)";
  if (ec != std::errc{} || end != field.data() + field.size()) return "is not a number";
  return nullptr;
}

// Complete lines for the line parsers: the unread bytes up to and including the last '\n' in the
// buffer, filling it as needed, so a parser can scan them without bounds checks (every scan stops at
// a '\n'). At the end of the data a last line without '\n' comes back alone, `unterminated` set; an
// empty view means the end. The view stays valid until the buffer is consumed or filled.
[[nodiscard]] inline Result<std::string_view> next_lines(ByteBuffer& buffer, bool& unterminated) {
  unterminated = false;
  for (;;) {
    std::string_view unread = buffer.unread();
    std::size_t nl = unread.rfind('\n');
    if (nl != std::string_view::npos) return unread.substr(0, nl + 1);
    if (buffer.source_done()) {
      unterminated = !unread.empty();
      return unread;
    }
    if (auto st = buffer.fill(unread.size() + 1); !st) return tl::unexpected(st.error());
  }
}

// The line at the start of `lines` without its '\n' and a trailing '\r'; `length` is what to step over.
[[nodiscard]] inline std::string_view first_line(std::string_view lines, std::size_t& length) noexcept {
  std::size_t nl = lines.find('\n');
  length = nl == std::string_view::npos ? lines.size() : nl + 1;
  std::string_view line = lines.substr(0, std::min(nl, lines.size()));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// The fast path's number: 1 to 19 decimal digits at p (no overflow possible), stopping at the first
// other byte, which must exist. Returns the end, or nullptr (no digit, or too long for the fast path:
// parse_u64 decides those).
[[nodiscard]] inline const char* scan_u64(const char* p, std::uint64_t& value) noexcept {
  const char* start = p;
  std::uint64_t v = 0;
  for (unsigned d; (d = static_cast<unsigned char>(*p) - unsigned{'0'}) < 10; ++p) v = v * 10 + d;
  std::size_t digits = static_cast<std::size_t>(p - start);
  if (digits == 0 || digits > 19) return nullptr;
  value = v;
  return p;
}

[[nodiscard]] inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

[[nodiscard]] inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// "'text'" clipped to a readable length, for error messages.
[[nodiscard]] inline std::string quote(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  out.append(text.substr(0, kMax));
  if (text.size() > kMax) out += "...";
  out += "'";
  return out;
}

}  // namespace wasmhop::trace::detail
