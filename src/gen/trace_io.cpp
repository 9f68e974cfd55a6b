#include "gen/trace_io.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

namespace wasmhop::gen {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

tl::unexpected<Error> io_fail(const fs::path& path, std::string_view what) {
  return fail(ErrorKind::io_error, fmt::format("gen: {}: {}", path.string(), what));
}

// Buffered output to a plain, gzip or zstd file (or stdout).
class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() { abandon(); }

  [[nodiscard]] Status open(const fs::path& path) {
    path_ = path;
    buf_.reserve(kBuffer + 64);
    if (path == "-") {
      file_ = stdout;
      owns_file_ = false;
      return {};
    }
    comp_ = compression_for_path(path);
    if (comp_ == Compression::gzip) {
      gz_ = gzopen(path.c_str(), "wb6");
      if (gz_ == nullptr) return io_fail(path, fmt::format("cannot open for writing: {}", std::strerror(errno)));
      gzbuffer(gz_, 1 << 20);
      return {};
    }
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) return io_fail(path, fmt::format("cannot open for writing: {}", std::strerror(errno)));
    owns_file_ = true;
    if (comp_ == Compression::zstd) {
      zc_ = ZSTD_createCCtx();
      if (zc_ == nullptr) return io_fail(path, "zstd: cannot create a compression context");
      ZSTD_CCtx_setParameter(zc_, ZSTD_c_compressionLevel, 3);
      zout_.resize(ZSTD_CStreamOutSize());
    }
    return {};
  }

  // The caller appends at most 64 bytes past kBuffer before calling maybe_flush().
  std::string& buffer() noexcept { return buf_; }
  [[nodiscard]] Status maybe_flush() { return buf_.size() >= kBuffer ? flush() : Status{}; }

  [[nodiscard]] Status close() {
    if (auto ok = flush(); !ok) return ok;
    if (gz_ != nullptr) {
      const int rc = gzclose(gz_);
      gz_ = nullptr;
      if (rc != Z_OK) return io_fail(path_, "gzip: error closing");
      return {};
    }
    if (zc_ != nullptr) {
      ZSTD_inBuffer in{nullptr, 0, 0};
      for (;;) {
        ZSTD_outBuffer out{zout_.data(), zout_.size(), 0};
        const std::size_t left = ZSTD_compressStream2(zc_, &out, &in, ZSTD_e_end);
        if (ZSTD_isError(left)) return io_fail(path_, fmt::format("zstd: {}", ZSTD_getErrorName(left)));
        if (auto ok = raw_write(zout_.data(), out.pos); !ok) return ok;
        if (left == 0) break;
      }
      ZSTD_freeCCtx(zc_);
      zc_ = nullptr;
    }
    if (file_ != nullptr) {
      const bool bad = std::fflush(file_) != 0 || std::ferror(file_) != 0;
      if (owns_file_ && std::fclose(file_) != 0) {
        file_ = nullptr;
        return io_fail(path_, fmt::format("error closing: {}", std::strerror(errno)));
      }
      file_ = nullptr;
      if (bad) return io_fail(path_, "write error");
    }
    return {};
  }

 private:
  static constexpr std::size_t kBuffer = 1 << 20;

  [[nodiscard]] Status raw_write(const char* p, std::size_t n) {
    if (n == 0) return {};
    if (std::fwrite(p, 1, n, file_) != n) {
      return io_fail(path_, fmt::format("write error: {}", std::strerror(errno)));
    }
    return {};
  }

  [[nodiscard]] Status flush() {
    if (buf_.empty()) return {};
    if (gz_ != nullptr) {
      if (gzwrite(gz_, buf_.data(), static_cast<unsigned>(buf_.size())) != static_cast<int>(buf_.size())) {
        return io_fail(path_, "gzip: write error");
      }
    } else if (zc_ != nullptr) {
      ZSTD_inBuffer in{buf_.data(), buf_.size(), 0};
      while (in.pos < in.size) {
        ZSTD_outBuffer out{zout_.data(), zout_.size(), 0};
        const std::size_t rc = ZSTD_compressStream2(zc_, &out, &in, ZSTD_e_continue);
        if (ZSTD_isError(rc)) return io_fail(path_, fmt::format("zstd: {}", ZSTD_getErrorName(rc)));
        if (auto ok = raw_write(zout_.data(), out.pos); !ok) return ok;
      }
    } else if (auto ok = raw_write(buf_.data(), buf_.size()); !ok) {
      return ok;
    }
    buf_.clear();
    return {};
  }

  void abandon() noexcept {
    if (gz_ != nullptr) gzclose(gz_);
    if (zc_ != nullptr) ZSTD_freeCCtx(zc_);
    if (file_ != nullptr && owns_file_) std::fclose(file_);
    gz_ = nullptr;
    zc_ = nullptr;
    file_ = nullptr;
  }

  fs::path path_;
  Compression comp_ = Compression::none;
  std::string buf_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  gzFile gz_ = nullptr;
  ZSTD_CCtx* zc_ = nullptr;
  std::vector<char> zout_;
};

void put_uint(std::string& b, std::uint64_t v) {
  char tmp[24];
  const auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
  b.append(tmp, r.ptr);
}

void put_le(std::string& b, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint64_t get_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Whole file, decompressed when it starts with a gzip or zstd magic number.
Result<std::string> slurp(const fs::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return io_fail(path, fmt::format("cannot open: {}", std::strerror(errno)));
  std::string raw;
  char chunk[1 << 16];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, f.get())) > 0;) raw.append(chunk, n);
  if (std::ferror(f.get()) != 0) return io_fail(path, "read error");

  const auto* u = reinterpret_cast<const unsigned char*>(raw.data());
  if (raw.size() >= 4 && u[0] == 0x28 && u[1] == 0xB5 && u[2] == 0x2F && u[3] == 0xFD) {
    std::unique_ptr<ZSTD_DCtx, std::size_t (*)(ZSTD_DCtx*)> dc(ZSTD_createDCtx(), &ZSTD_freeDCtx);
    std::string out;
    std::vector<char> buf(ZSTD_DStreamOutSize());
    ZSTD_inBuffer in{raw.data(), raw.size(), 0};
    std::size_t rc = 1;  // 0 once a frame is fully decoded and flushed
    while (in.pos < in.size || rc != 0) {
      ZSTD_outBuffer o{buf.data(), buf.size(), 0};
      rc = ZSTD_decompressStream(dc.get(), &o, &in);
      if (ZSTD_isError(rc)) return io_fail(path, fmt::format("zstd: {}", ZSTD_getErrorName(rc)));
      out.append(buf.data(), o.pos);
      if (in.pos == in.size && rc != 0 && o.pos < o.size) return io_fail(path, "zstd: truncated stream");
    }
    return out;
  }
  if (raw.size() >= 2 && u[0] == 0x1F && u[1] == 0x8B) {
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return io_fail(path, "gzip: cannot initialise");
    std::string out;
    std::vector<char> buf(1 << 18);
    zs.next_in = reinterpret_cast<Bytef*>(raw.data());
    zs.avail_in = static_cast<uInt>(raw.size());
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      zs.next_out = reinterpret_cast<Bytef*>(buf.data());
      zs.avail_out = static_cast<uInt>(buf.size());
      rc = inflate(&zs, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) {
        inflateEnd(&zs);
        return io_fail(path, fmt::format("gzip: {}", zs.msg != nullptr ? zs.msg : "corrupt or truncated"));
      }
      out.append(buf.data(), buf.size() - zs.avail_out);
      if (rc == Z_STREAM_END && zs.avail_in > 0) {  // concatenated gzip members
        inflateReset(&zs);
        rc = Z_OK;
      }
    }
    inflateEnd(&zs);
    return out;
  }
  return raw;
}

// Parses the unsigned integer fields of one line separated by `sep` (' ' also accepts tabs/runs).
template <std::size_t N>
bool parse_fields(std::string_view line, char sep, std::uint64_t (&out)[N]) {
  const char* p = line.data();
  const char* end = p + line.size();
  for (std::size_t i = 0; i < N; ++i) {
    if (sep == ' ') {
      while (p < end && (*p == ' ' || *p == '\t')) ++p;
    } else if (i > 0) {
      while (p < end && (*p == ' ' || *p == '\t')) ++p;
      if (p == end || *p != sep) return false;
      ++p;
      while (p < end && (*p == ' ' || *p == '\t')) ++p;
    }
    const auto r = std::from_chars(p, end, out[i]);
    if (r.ec != std::errc()) return false;
    p = r.ptr;
  }
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
  return p == end;
}

template <class F>
Status for_each_line(const std::string& text, F&& f) {
  std::size_t pos = 0;
  std::uint64_t line_no = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    ++line_no;
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (auto ok = f(line, line_no); !ok) return ok;
  }
  return {};
}

}  // namespace

std::string_view to_string(TraceFormat f) noexcept {
  switch (f) {
    case TraceFormat::text: return "text";
    case TraceFormat::csv: return "csv";
    case TraceFormat::oracle_general: return "oracleGeneral";
  }
  return "?";
}

Result<TraceFormat> parse_format(std::string_view name) {
  const std::string n = lower(name);
  if (n == "text" || n == "txt") return TraceFormat::text;
  if (n == "csv") return TraceFormat::csv;
  if (n == "oracle" || n == "oraclegeneral" || n == "oracle_general" || n == "oracle-general") {
    return TraceFormat::oracle_general;
  }
  return fail(ErrorKind::invalid_argument,
              fmt::format("gen: unknown trace format (--format) '{}'; valid: text, csv, oracleGeneral", name));
}

Compression compression_for_path(const fs::path& path) {
  const std::string ext = lower(path.extension().string());
  if (ext == ".gz") return Compression::gzip;
  if (ext == ".zst" || ext == ".zstd") return Compression::zstd;
  return Compression::none;
}

TraceFormat format_for_path(const fs::path& path) {
  fs::path p = path;
  if (compression_for_path(p) != Compression::none) p = p.stem();
  const std::string ext = lower(p.extension().string());
  if (ext == ".csv") return TraceFormat::csv;
  if (ext == ".oraclegeneral" || ext == ".bin") return TraceFormat::oracle_general;
  return TraceFormat::text;
}

std::vector<std::int64_t> next_access_vtimes(std::span<const std::uint32_t> requests) {
  std::uint32_t max_id = 0;
  for (std::uint32_t id : requests) max_id = std::max(max_id, id);
  std::vector<std::int64_t> last(requests.empty() ? 0 : std::size_t{max_id} + 1, -1);
  std::vector<std::int64_t> next(requests.size());
  for (std::size_t i = requests.size(); i-- > 0;) {
    next[i] = last[requests[i]];
    last[requests[i]] = static_cast<std::int64_t>(i) + 1;
  }
  return next;
}

Status write_trace(const fs::path& path, TraceFormat format, std::span<const std::uint32_t> requests,
                   std::span<const std::uint32_t> size_of) {
  for (std::uint32_t id : requests) {
    if (id >= size_of.size()) {
      return fail(ErrorKind::invalid_argument, fmt::format("gen: request id {} has no size", id));
    }
  }
  if (format == TraceFormat::oracle_general && requests.size() > 0xFFFFFFFFull) {
    return fail(ErrorKind::invalid_argument, "gen: oracleGeneral timestamps are 32-bit: at most 2^32-1 requests");
  }
  Sink sink;
  if (auto ok = sink.open(path); !ok) return ok;
  std::string& b = sink.buffer();
  switch (format) {
    case TraceFormat::text:
    case TraceFormat::csv: {
      const char sep = format == TraceFormat::text ? ' ' : ',';
      if (format == TraceFormat::csv) b.append("id,size\n");
      for (std::uint32_t id : requests) {
        put_uint(b, id);
        b.push_back(sep);
        put_uint(b, size_of[id]);
        b.push_back('\n');
        if (auto ok = sink.maybe_flush(); !ok) return ok;
      }
      break;
    }
    case TraceFormat::oracle_general: {
      // next_access_vtime by a backward pass (as 32-bit vtimes, 0 = none, to halve the memory).
      std::vector<std::uint32_t> last(size_of.size(), 0);
      std::vector<std::uint32_t> next(requests.size());
      for (std::size_t i = requests.size(); i-- > 0;) {
        next[i] = last[requests[i]];
        last[requests[i]] = static_cast<std::uint32_t>(i + 1);
      }
      for (std::size_t i = 0; i < requests.size(); ++i) {
        const std::uint32_t id = requests[i];
        put_le(b, i + 1, 4);
        put_le(b, id, 8);
        put_le(b, size_of[id], 4);
        put_le(b, next[i] == 0 ? ~std::uint64_t{0} : std::uint64_t{next[i]}, 8);
        if (auto ok = sink.maybe_flush(); !ok) return ok;
      }
      break;
    }
  }
  return sink.close();
}

Status write_stats(const fs::path& path, std::span<const std::uint32_t> freq, std::span<const std::uint32_t> size) {
  if (freq.size() != size.size()) return fail(ErrorKind::invalid_argument, "gen: stats: freq/size lengths differ");
  Sink sink;
  if (auto ok = sink.open(path); !ok) return ok;
  std::string& b = sink.buffer();
  for (std::size_t d = 0; d < freq.size(); ++d) {
    put_uint(b, freq[d]);
    b.push_back(' ');
    put_uint(b, size[d]);
    b.push_back('\n');
    if (auto ok = sink.maybe_flush(); !ok) return ok;
  }
  return sink.close();
}

Result<std::vector<TraceRecord>> read_trace(const fs::path& path, TraceFormat format) {
  auto data = slurp(path);
  if (!data) return tl::unexpected(data.error());
  std::vector<TraceRecord> out;
  if (format == TraceFormat::oracle_general) {
    if (data->size() % 24 != 0) {
      return io_fail(path, fmt::format("oracleGeneral: {} bytes is not a multiple of 24", data->size()));
    }
    out.reserve(data->size() / 24);
    const auto* p = reinterpret_cast<const unsigned char*>(data->data());
    for (std::size_t off = 0; off < data->size(); off += 24) {
      TraceRecord r;
      r.timestamp = static_cast<std::uint32_t>(get_le(p + off, 4));
      r.id = get_le(p + off + 4, 8);
      r.size = static_cast<std::uint32_t>(get_le(p + off + 12, 4));
      r.next_access_vtime = static_cast<std::int64_t>(get_le(p + off + 16, 8));
      out.push_back(r);
    }
    return out;
  }
  const char sep = format == TraceFormat::csv ? ',' : ' ';
  bool first = true;
  auto ok = for_each_line(*data, [&](std::string_view line, std::uint64_t line_no) -> Status {
    std::uint64_t v[2];
    if (!parse_fields(line, sep, v)) {
      if (first && format == TraceFormat::csv) {  // header
        first = false;
        return {};
      }
      return io_fail(path, fmt::format("line {}: expected \"id{}size\", got \"{}\"", line_no,
                                       sep == ' ' ? " " : ",", line.substr(0, 80)));
    }
    first = false;
    if (v[1] > 0xFFFFFFFFull) return io_fail(path, fmt::format("line {}: size {} exceeds 32 bits", line_no, v[1]));
    TraceRecord r;
    r.timestamp = static_cast<std::uint32_t>(out.size() + 1);
    r.id = v[0];
    r.size = static_cast<std::uint32_t>(v[1]);
    out.push_back(r);
    return {};
  });
  if (!ok) return tl::unexpected(ok.error());
  return out;
}

Result<std::vector<ObjectStats>> read_stats(const fs::path& path) {
  auto data = slurp(path);
  if (!data) return tl::unexpected(data.error());
  std::vector<ObjectStats> out;
  auto ok = for_each_line(*data, [&](std::string_view line, std::uint64_t line_no) -> Status {
    std::uint64_t v[2];
    if (!parse_fields(line, ' ', v) || v[0] > 0xFFFFFFFFull || v[1] > 0xFFFFFFFFull) {
      return io_fail(path, fmt::format("line {}: expected \"frequency size\", got \"{}\"", line_no,
                                       line.substr(0, 80)));
    }
    out.push_back({static_cast<std::uint32_t>(v[0]), static_cast<std::uint32_t>(v[1])});
    return {};
  });
  if (!ok) return tl::unexpected(ok.error());
  return out;
}

}  // namespace wasmhop::gen
