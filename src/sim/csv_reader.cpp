// Delimited traces in the style of libCacheSim's CSV reader: the id, size and (optional) time
// columns are given by number (from 1), the delimiter is configurable, an optional header line is
// skipped, and string ids can be hashed (XXH3, 64 bits). Fields may be wrapped in double quotes
// (no embedded delimiters). Without a size column every size is 1.
#include <vector>

#include <fmt/format.h>
#include <xxhash.h>

#include "sim/record_parsing.hpp"

namespace wasmhop::sim::detail {
namespace {

class CsvReader final : public TraceReader {
 public:
  CsvReader(const TraceOptions& options, std::unique_ptr<ByteSource> source) : buffer_(std::move(source)) {
    options_ = options;
    format_ = TraceFormat::csv;
    compression_ = std::string(buffer_.compression());
    const CsvOptions& c = options_.csv;
    needed_ = std::max({c.id_column, c.size_column, c.time_column});
  }

  Result<std::size_t> read(std::vector<Request>& out, std::size_t max_records) override {
    std::size_t n = 0;
    std::string_view line;
    while (n < max_records) {
      auto more = next_line(buffer_, line);
      if (!more) return tl::unexpected(more.error());
      if (!*more) break;
      ++line_number_;
      if (line_number_ == 1 && options_.csv.has_header) continue;
      if (trim(line).empty()) continue;
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
  std::vector<std::string_view> fields_;
};

}  // namespace

std::unique_ptr<TraceReader> make_csv_reader(const TraceOptions& options, std::unique_ptr<ByteSource> source) {
  return std::make_unique<CsvReader>(options, std::move(source));
}

}  // namespace wasmhop::sim::detail
