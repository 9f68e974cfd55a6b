// Internal to the trace readers: the per-format reader factories and the number checks they share.
#pragma once

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sim/byte_source.hpp"
#include "sim/trace_reader.hpp"

namespace wasmhop::sim::detail {

[[nodiscard]] std::unique_ptr<TraceReader> make_text_reader(const TraceOptions& options,
                                                            std::unique_ptr<ByteSource> source);
[[nodiscard]] std::unique_ptr<TraceReader> make_csv_reader(const TraceOptions& options,
                                                           std::unique_ptr<ByteSource> source);
[[nodiscard]] std::unique_ptr<TraceReader> make_oracle_reader(const TraceOptions& options,
                                                              std::unique_ptr<ByteSource> source);

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

// Next line of a buffered text stream (without its '\n' and a trailing '\r'). Returns false at
// the end of the data. The view stays valid until the next call.
[[nodiscard]] inline Result<bool> next_line(ByteBuffer& buffer, std::string_view& line) {
  for (;;) {
    std::string_view unread = buffer.unread();
    std::size_t nl = unread.find('\n');
    if (nl != std::string_view::npos) {
      line = unread.substr(0, nl);
      buffer.consume(nl + 1);
      break;
    }
    if (!buffer.source_done()) {
      if (auto st = buffer.fill(unread.size() + 1); !st) return tl::unexpected(st.error());
      continue;
    }
    if (unread.empty()) return false;
    line = unread;  // last line without a newline
    buffer.consume(unread.size());
    break;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
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

}  // namespace wasmhop::sim::detail
