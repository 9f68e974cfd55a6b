// libCacheSim's oracleGeneral binary format: packed 24-byte little-endian records
//   uint32 timestamp, uint64 obj_id, uint32 obj_size, int64 next_access_vtime
// (plain, or zstd as most public traces are published). Only obj_id and obj_size are used.
#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "sim/record_parsing.hpp"

namespace wasmhop::sim::detail {
namespace {

constexpr std::size_t kRecord = 24;

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

  std::uint64_t expected_records() const noexcept override { return buffer_.size_hint() / kRecord; }

 private:
  static constexpr std::size_t kBlockRecords = std::size_t{1} << 18;  // 6 MiB of input

  // Appends `count` whole records at p (the size-0 ones are bad records); returns how many were appended.
  Result<std::size_t> convert(const char* p, std::size_t count, std::vector<Request>& out) {
    std::size_t appended = 0;
    for (const char* end = p + count * kRecord; p != end; p += kRecord) {
      Request r{load_le<std::uint64_t>(p + 4), load_le<std::uint32_t>(p + 12)};
      if (r.size == 0 && !options_.allow_zero_size) [[unlikely]] {
        std::uint64_t index = record_ + static_cast<std::uint64_t>(p - (end - count * kRecord)) / kRecord;
        auto st = bad_record(fmt::format("{}: record {} (byte {}): size is 0 (allow it with --allow-zero-size)",
                                         options_.path, index + 1, index * kRecord));
        if (!st) return tl::unexpected(st.error());
        continue;
      }
      out.push_back(r);
      ++appended;
    }
    record_ += count;
    return appended;
  }

  ByteBuffer buffer_;
  std::uint64_t record_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> make_oracle_reader(const TraceOptions& options, std::unique_ptr<ByteSource> source) {
  return std::make_unique<OracleReader>(options, std::move(source));
}

}  // namespace wasmhop::sim::detail
