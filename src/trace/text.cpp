// The paper's trace format: one request per line, "id size" separated by spaces or tabs, both
// unsigned decimal integers. Blank lines and lines starting with '#' are ignored. Written as
// "id size\n" per request (ProWGen's two columns).
#include <fmt/format.h>

#include "trace/parsing.hpp"

namespace wasmhop::trace::detail {
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
    while (n < max_records) {
      bool unterminated = false;
      auto lines = next_lines(buffer_, unterminated);
      if (!lines) return tl::unexpected(lines.error());
      if (lines->empty()) break;
      const char* p = lines->data();
      const char* end = p + lines->size();
      while (p < end && n < max_records) {
        Request r;
        const char* next = unterminated ? nullptr : fast_line(p, r);
        if (next != nullptr && (r.size != 0 || options_.allow_zero_size)) [[likely]] {
          ++line_number_;
          out.push_back(r);
          ++n;
          p = next;
          continue;
        }
        std::size_t length = 0;
        std::string_view line = first_line({p, static_cast<std::size_t>(end - p)}, length);
        ++line_number_;
        auto parsed = parse(line, r);
        if (!parsed) return tl::unexpected(parsed.error());
        if (*parsed) {
          out.push_back(r);
          ++n;
        }
        p += length;
      }
      buffer_.consume(static_cast<std::size_t>(p - lines->data()));
    }
    stats_.records += n;
    stats_.bytes = buffer_.consumed();
    return n;
  }

 private:
  // The common line, "id size\n" (blanks between and after, a '\r' before the '\n'): the position after
  // it, or nullptr for anything else, which parse() then checks and explains. p points into complete
  // lines, so every scan stops at a '\n'.
  static const char* fast_line(const char* p, Request& r) noexcept {
    p = scan_u64(p, r.id);
    if (p == nullptr || !is_blank(*p)) return nullptr;
    do ++p;
    while (is_blank(*p));
    p = scan_u64(p, r.size);
    if (p == nullptr) return nullptr;
    while (is_blank(*p)) ++p;
    if (*p == '\r') ++p;
    return *p == '\n' ? p + 1 : nullptr;
  }

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

// Lines of "<sep>"-separated decimal id and size (csv.cpp writes the same lines with ',').
class LineWriter final : public TraceWriter {
 public:
  LineWriter(std::unique_ptr<ByteSink> sink, char sep) : TraceWriter(std::move(sink)), sep_(sep) {}
  Status write(std::span<const TraceRecord> records) override {
    std::string& b = sink_->buffer();
    for (const TraceRecord& r : records) {
      put_uint(b, r.id);
      b.push_back(sep_);
      put_uint(b, r.size);
      b.push_back('\n');
      if (auto st = sink_->maybe_flush(); !st) return st;
    }
    return {};
  }

 private:
  char sep_;
};

}  // namespace

std::unique_ptr<TraceWriter> make_line_writer(std::unique_ptr<ByteSink> sink, char separator) {
  return std::make_unique<LineWriter>(std::move(sink), separator);
}

std::unique_ptr<TraceWriter> make_text_writer(std::unique_ptr<ByteSink> sink) {
  return make_line_writer(std::move(sink), ' ');
}

std::unique_ptr<TraceReader> make_text_reader(const TraceOptions& options, std::unique_ptr<ByteSource> source) {
  return std::make_unique<TextReader>(options, std::move(source));
}

}  // namespace wasmhop::trace::detail
