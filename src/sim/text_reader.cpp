// The paper's trace format: one request per line, "id size" separated by spaces or tabs, both
// unsigned decimal integers. Blank lines and lines starting with '#' are ignored.
#include <fmt/format.h>

#include "sim/record_parsing.hpp"

namespace wasmhop::sim::detail {
namespace {

class TextReader final : public TraceReader {
 public:
  TextReader(const TraceOptions& options, std::unique_ptr<ByteSource> source) : buffer_(std::move(source)) {
    options_ = options;
    format_ = TraceFormat::text;
    compression_ = std::string(buffer_.compression());
  }

  Result<std::size_t> read(std::vector<Request>& out, std::size_t max_records) override {
    std::size_t n = 0;
    std::string_view line;
    while (n < max_records) {
      auto more = next_line(buffer_, line);
      if (!more) return tl::unexpected(more.error());
      if (!*more) break;
      ++line_number_;
      Request r;
      auto parsed = parse(line, r);
      if (!parsed) return tl::unexpected(parsed.error());
      if (*parsed) {
        out.push_back(r);
        ++n;
      }
    }
    stats_.records += n;
    stats_.bytes = buffer_.consumed();
    return n;
  }

 private:
  // true: a record; false: no record on this line (blank, comment, or skipped as malformed).
  Result<bool> parse(std::string_view line, Request& r) {
    line = trim(line);
    if (line.empty() || line.front() == '#') return false;
    std::size_t cut = 0;
    while (cut < line.size() && !is_blank(line[cut])) ++cut;
    std::string_view id = line.substr(0, cut);
    std::string_view rest = trim(line.substr(cut));
    cut = 0;
    while (cut < rest.size() && !is_blank(rest[cut])) ++cut;
    std::string_view size = rest.substr(0, cut);
    std::string_view extra = trim(rest.substr(cut));
    const char* why = nullptr;
    std::string message;
    if (size.empty()) {
      message = fmt::format("expected 'id size', found one field {}", quote(line));
    } else if (!extra.empty()) {
      message = fmt::format("expected 'id size', found more fields {}", quote(line));
    } else if ((why = parse_u64(id, r.id)) != nullptr) {
      message = fmt::format("id {} {}", quote(id), why);
    } else if ((why = parse_u64(size, r.size)) != nullptr) {
      message = fmt::format("size {} {}", quote(size), why);
    } else if (r.size == 0 && !options_.allow_zero_size) {
      message = "size is 0 (allow it with --allow-zero-size)";
    } else {
      return true;
    }
    auto st = bad_record(fmt::format("{}:{}: {}", options_.path, line_number_, message));
    if (!st) return tl::unexpected(st.error());
    return false;
  }

  ByteBuffer buffer_;
  std::uint64_t line_number_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> make_text_reader(const TraceOptions& options, std::unique_ptr<ByteSource> source) {
  return std::make_unique<TextReader>(options, std::move(source));
}

}  // namespace wasmhop::sim::detail
