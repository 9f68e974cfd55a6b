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
        if (auto st = buffer_.fill(kRecord * 4096); !st) return tl::unexpected(st.error());
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
      std::size_t whole = std::min(data.size() / kRecord, max_records - n);
      for (std::size_t i = 0; i < whole; ++i) {
        const char* p = data.data() + i * kRecord;
        ++record_;
        Request r{load_le<std::uint64_t>(p + 4), load_le<std::uint32_t>(p + 12)};
        if (r.size == 0 && !options_.allow_zero_size) [[unlikely]] {
          auto st = bad_record(fmt::format("{}: record {} (byte {}): size is 0 (allow it with --allow-zero-size)",
                                           options_.path, record_, buffer_.consumed() + i * kRecord));
          if (!st) return tl::unexpected(st.error());
          continue;
        }
        out.push_back(r);
        ++n;
      }
      buffer_.consume(whole * kRecord);
    }
    stats_.records += n;
    stats_.bytes = buffer_.consumed();
    return n;
  }

 private:
  ByteBuffer buffer_;
  std::uint64_t record_ = 0;
};

}  // namespace

std::unique_ptr<TraceReader> make_oracle_reader(const TraceOptions& options, std::unique_ptr<ByteSource> source) {
  return std::make_unique<OracleReader>(options, std::move(source));
}

}  // namespace wasmhop::sim::detail
