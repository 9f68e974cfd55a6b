// Delimited traces in the style of libCacheSim's CSV reader: the id, size and (optional) time
// columns are given by number (from 1), the delimiter is configurable, an optional header line is
// skipped, and string ids can be hashed (XXH3, 64 bits). Fields may be wrapped in double quotes
// (no embedded delimiters). Without a size column every size is 1.
#include <vector>

#include <fmt/format.h>
#include <xxhash.h>

#include "trace/parsing.hpp"

namespace wasmhop::trace::detail {
namespace {

class CsvReader final : public TraceReader {
 public:
  CsvReader(const TraceOptions& options, std::unique_ptr<ByteSource> source) : buffer_(std::move(source)) {
    options_ = options;
    format_ = TraceFormat::csv;
    compression_ = std::string(buffer_.compression());
    const CsvOptions& c = options_.csv;
    needed_ = std::max({c.id_column, c.size_column, c.time_column});
    const char d = c.delimiter;
    in_place_ = !c.hash_ids && !(d >= '0' && d <= '9') && d != '\n' && d != '\r' && d != '"';
  }

  Result<std::size_t> read(std::vector<Request>& out, std::size_t max_records) override {
    std::size_t n = 0;
    while (n < max_records) {
      bool unterminated = false;
      auto lines = next_lines(buffer_, unterminated);
      if (!lines) return tl::unexpected(lines.error());
      if (lines->empty()) break;
      const char* p = lines->data();
      const char* const end = p + lines->size();
      while (p < end && n < max_records) {
        Request r;
        const bool header = line_number_ == 0 && options_.csv.has_header;
        const char* next = in_place_ && !unterminated && !header ? fast_in_place(p, r) : nullptr;
        if (next != nullptr) [[likely]] {
          ++line_number_;
          out.push_back(r);
          ++n;
          p = next;
          continue;
        }
        std::size_t length = 0;
        std::string_view line = first_line({p, static_cast<std::size_t>(end - p)}, length);
        p += length;
        ++line_number_;
        if (header) continue;
        if (!unterminated && fast_line(line, r)) {
          out.push_back(r);
          ++n;
          continue;
        }
        if (trim(line).empty()) continue;
        auto parsed = parse(line, r);
        if (!parsed) return tl::unexpected(parsed.error());
        if (*parsed) {
          out.push_back(r);
          ++n;
        }
      }
      buffer_.consume(static_cast<std::size_t>(p - lines->data()));
    }
    stats_.records += n;
    stats_.bytes = buffer_.consumed();
    return n;
  }

 private:
  // The common line of numeric columns, scanned where it lies (no line or field views: CSV read at
  // about half of text's speed with them): each needed column a plain decimal number, the columns
  // between skipped, anything after the last needed one ignored. Returns the position after the
  // line, or nullptr for anything else, which the line-based paths below take as before. p points
  // into complete lines, so every scan stops at a '\n'.
  const char* fast_in_place(const char* p, Request& r) const noexcept {
    const CsvOptions& c = options_.csv;
    const char delim = c.delimiter;
    std::uint64_t time = 0;
    for (unsigned column = 1;; ++column) {
      std::uint64_t* value = column == c.id_column     ? &r.id
                             : column == c.size_column ? &r.size
                             : column == c.time_column ? &time
                                                       : nullptr;
      if (value != nullptr) {
        p = scan_u64(p, *value);
        if (p == nullptr) return nullptr;
      } else {
        while (*p != delim && *p != '\n') ++p;
      }
      if (column == needed_) break;
      if (*p != delim) return nullptr;
      ++p;
    }
    if (*p == delim) {
      while (*p != '\n') ++p;
    } else if (*p == '\r') {
      ++p;
    }
    if (*p != '\n') return nullptr;
    if (c.size_column == 0) r.size = 1;
    if (r.size == 0 && !options_.allow_zero_size) return nullptr;
    return p + 1;
  }

  // A field the fast path takes as it is: not empty, not quoted, no blanks around it (unquote() would
  // change nothing).
  static bool plain(std::string_view f) noexcept {
    return !f.empty() && !is_blank(f.front()) && !is_blank(f.back()) && f.front() != '"' && f.back() != '"';
  }
  static bool whole_number(std::string_view f, std::uint64_t& value) noexcept {
    // In a terminated line f is followed by a delimiter, '\r' or '\n', so scan_u64 stops in bounds.
    return plain(f) && scan_u64(f.data(), value) == f.data() + f.size();
  }

  // The common line: plain fields, decimal numbers, a size that is not 0. false: parse() checks the
  // line and explains what is wrong, if anything.
  bool fast_line(std::string_view line, Request& r) const noexcept {
    const CsvOptions& c = options_.csv;
    std::string_view id, size, time;
    std::size_t start = 0;
    for (unsigned column = 1; column <= needed_; ++column) {
      std::size_t d = line.find(c.delimiter, start);
      if (d == std::string_view::npos && column < needed_) return false;
      std::string_view field = line.substr(start, d == std::string_view::npos ? line.npos : d - start);
      if (column == c.id_column) id = field;
      if (column == c.size_column) size = field;
      if (column == c.time_column) time = field;
      start = d + 1;
    }
    std::uint64_t ignored = 0;
    if (c.time_column != 0 && !whole_number(time, ignored)) return false;
    if (c.hash_ids) {
      if (!plain(id)) return false;
      r.id = XXH3_64bits(id.data(), id.size());
    } else if (!whole_number(id, r.id)) {
      return false;
    }
    if (c.size_column == 0) {
      r.size = 1;
      return true;
    }
    return whole_number(size, r.size) && (r.size != 0 || options_.allow_zero_size);
  }

  static std::string_view unquote(std::string_view f) noexcept {
    f = trim(f);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
    return f;
  }

  Result<bool> parse(std::string_view line, Request& r) {
    const CsvOptions& c = options_.csv;
    fields_.clear();
    std::size_t start = 0;
    for (;;) {
      std::size_t d = line.find(c.delimiter, start);
      fields_.push_back(unquote(line.substr(start, d == std::string_view::npos ? line.npos : d - start)));
      if (d == std::string_view::npos || fields_.size() >= needed_) break;
      start = d + 1;
    }
    std::string message;
    const char* why = nullptr;
    std::uint64_t time = 0;
    if (fields_.size() < needed_) {
      message = fmt::format("found {} column(s), need {} (id column {}, size column {}, time column {})",
                            fields_.size(), needed_, c.id_column, c.size_column, c.time_column);
    } else if (c.time_column != 0 && (why = parse_u64(fields_[c.time_column - 1], time)) != nullptr) {
      message = fmt::format("time {} {}", quote(fields_[c.time_column - 1]), why);
    } else if (!c.hash_ids && (why = parse_u64(fields_[c.id_column - 1], r.id)) != nullptr) {
      message = fmt::format("id {} {} (use --csv-hash-ids for string ids)", quote(fields_[c.id_column - 1]), why);
    } else if (c.hash_ids && fields_[c.id_column - 1].empty()) {
      message = "id is empty";
    } else if (c.size_column != 0 && (why = parse_u64(fields_[c.size_column - 1], r.size)) != nullptr) {
      message = fmt::format("size {} {}", quote(fields_[c.size_column - 1]), why);
    } else if (c.size_column != 0 && r.size == 0 && !options_.allow_zero_size) {
      message = "size is 0 (allow it with --allow-zero-size)";
    } else {
      if (c.hash_ids) {
        std::string_view id = fields_[c.id_column - 1];
        r.id = XXH3_64bits(id.data(), id.size());
      }
      if (c.size_column == 0) r.size = 1;
      return true;
    }
    auto st = bad_record(fmt::format("{}:{}: {}", options_.path, line_number_, message));
    if (!st) return tl::unexpected(st.error());
    return false;
  }

  ByteBuffer buffer_;
  std::uint64_t line_number_ = 0;
  unsigned needed_ = 1;
  bool in_place_ = false;  // fast_in_place applies: numeric ids and a delimiter no number holds
  std::vector<std::string_view> fields_;
};

}  // namespace

// The header "id,size", then text.cpp's lines with ',' (read back with --csv-header).
std::unique_ptr<TraceWriter> make_csv_writer(std::unique_ptr<ByteSink> sink) {
  sink->buffer().append("id,size\n");
  return make_line_writer(std::move(sink), ',');
}

std::unique_ptr<TraceReader> make_csv_reader(const TraceOptions& options, std::unique_ptr<ByteSource> source) {
  return std::make_unique<CsvReader>(options, std::move(source));
}

}  // namespace wasmhop::trace::detail
