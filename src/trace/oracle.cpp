// libCacheSim's oracleGeneral binary format: packed 24-byte little-endian records
//   uint32 timestamp, uint64 obj_id, uint32 obj_size, int64 next_access_vtime
// (plain, or zstd as most public traces are published). The simulator reads obj_id and obj_size;
// read_records and the writer carry all four fields.
#include <bit>
#include <cstring>
#include <type_traits>

#include <fmt/format.h>

#include "trace/parsing.hpp"

namespace wasmhop::trace::detail {
namespace {

constexpr std::size_t kRecord = 24;
constexpr std::size_t kPrefetchAhead = 2048;

template <class T>
T load_le(const char* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    T r = 0;
    for (std::size_t i = 0; i < sizeof v; ++i) r = static_cast<T>((r << 8) | static_cast<unsigned char>(p[sizeof v - 1 - i]));
    v = r;
  }
  return v;
}

class OracleReader final : public TraceReader {
 public:
  OracleReader(const TraceOptions& options, std::unique_ptr<ByteSource> source) : buffer_(std::move(source)) {
    options_ = options;
    format_ = TraceFormat::oracle;
    compression_ = std::string(buffer_.compression());
  }

  Result<std::size_t> read(std::vector<Request>& out, std::size_t max_records) override {
    return read_into(out, max_records);
  }
  Result<std::size_t> read_records(std::vector<TraceRecord>& out, std::size_t max_records) override {
    return read_into(out, max_records);
  }

  std::uint64_t expected_records() const noexcept override { return buffer_.size_hint() / kRecord; }

 private:
  static constexpr std::size_t kBlockRecords = std::size_t{1} << 18;  // 6 MiB of input

  // Out: Request (id and size, for the simulator) or TraceRecord (every field).
  template <class Out>
  Result<std::size_t> read_into(std::vector<Out>& out, std::size_t max_records) {
    std::size_t n = 0;
    while (n < max_records) {
      if (buffer_.unread().size() < kRecord) {
        if (auto st = buffer_.fill(kRecord * 16384); !st) return tl::unexpected(st.error());
      }
      std::string_view data = buffer_.unread();
      if (data.size() < kRecord) {
        if (data.empty()) break;
        ++record_;
        std::string message = fmt::format("{}: record {} (byte {}): truncated record, {} of {} bytes",
                                          options_.path, record_, buffer_.consumed(), data.size(), kRecord);
        buffer_.consume(data.size());
        if (auto st = bad_record(std::move(message)); !st) return tl::unexpected(st.error());
        break;
      }
      // At most a mapping step at a time, so its pages are released as the reader goes.
      std::size_t whole = std::min({data.size() / kRecord, max_records - n, kBlockRecords});
      auto got = convert(data.data(), whole, out);
      if (!got) return tl::unexpected(got.error());
      n += *got;
      buffer_.consume(whole * kRecord);
    }
    stats_.records += n;
    stats_.bytes = buffer_.consumed();
    return n;
  }

  // Appends `count` whole records at p (the size-0 ones are bad records); returns how many were appended.
  template <class Out>
  Result<std::size_t> convert(const char* p, std::size_t count, std::vector<Out>& out) {
    std::size_t appended = 0;
    for (const char* end = p + count * kRecord; p != end; p += kRecord) {
      // Mapped input streams in from memory a page at a time, and the hardware prefetcher stops at
      // page boundaries: asking 2 KiB ahead took a 24 MB read from 3.5 to 3.2 ms (a hint: reading
      // past the end of the data is harmless).
      __builtin_prefetch(p + kPrefetchAhead);
      Request r{load_le<std::uint64_t>(p + 4), load_le<std::uint32_t>(p + 12)};
      if (r.size == 0 && !options_.allow_zero_size) [[unlikely]] {
        std::uint64_t index = record_ + static_cast<std::uint64_t>(p - (end - count * kRecord)) / kRecord;
        auto st = bad_record(fmt::format("{}: record {} (byte {}): size is 0 (allow it with --allow-zero-size)",
                                         options_.path, index + 1, index * kRecord));
        if (!st) return tl::unexpected(st.error());
        continue;
      }
      if constexpr (std::is_same_v<Out, Request>) {
        out.push_back(r);
      } else {
        out.push_back(TraceRecord{load_le<std::uint32_t>(p), r.id, r.size, load_le<std::int64_t>(p + 16)});
      }
      ++appended;
    }
    record_ += count;
    return appended;
  }

  ByteBuffer buffer_;
  std::uint64_t record_ = 0;
};

class OracleWriter final : public TraceWriter {
 public:
  explicit OracleWriter(std::unique_ptr<ByteSink> sink) : TraceWriter(std::move(sink)) {}
  Status write(std::span<const TraceRecord> records) override {
    std::string& b = sink_->buffer();
    for (const TraceRecord& r : records) {
      if (r.size > 0xFFFFFFFFull) [[unlikely]]
        return fail(ErrorKind::invalid_argument,
                    fmt::format("{}: oracleGeneral sizes are 32-bit: object {} has size {}", sink_->path().string(),
                                r.id, r.size));
      put_le(b, r.timestamp, 4);
      put_le(b, r.id, 8);
      put_le(b, r.size, 4);
      put_le(b, static_cast<std::uint64_t>(r.next_access_vtime), 8);
      if (auto st = sink_->maybe_flush(); !st) return st;
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<TraceWriter> make_oracle_writer(std::unique_ptr<ByteSink> sink) {
  return std::make_unique<OracleWriter>(std::move(sink));
}

std::unique_ptr<TraceReader> make_oracle_reader(const TraceOptions& options, std::unique_ptr<ByteSource> source) {
  return std::make_unique<OracleReader>(options, std::move(source));
}

}  // namespace wasmhop::trace::detail
