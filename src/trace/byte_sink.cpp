#include "trace/byte_sink.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace wasmhop::trace {
namespace {

tl::unexpected<Error> io_fail(const std::filesystem::path& path, std::string_view what) {
  return fail(ErrorKind::io_error, fmt::format("{}: {}", path.string(), what));
}

}  // namespace

Status ByteSink::open(const std::filesystem::path& path) {
  path_ = path;
  buf_.reserve(kBuffer + kSlack);
  if (path == "-") {
    file_ = stdout;
    return {};
  }
  const Compression comp = compression_for_path(path);
  if (comp == Compression::gzip) {
    gz_ = gzopen(path.c_str(), "wb6");
    if (gz_ == nullptr) return io_fail(path, fmt::format("cannot open for writing: {}", std::strerror(errno)));
    gzbuffer(gz_, 1 << 20);
    return {};
  }
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) return io_fail(path, fmt::format("cannot open for writing: {}", std::strerror(errno)));
  owns_file_ = true;
  if (comp == Compression::zstd) {
    zc_ = ZSTD_createCCtx();
    if (zc_ == nullptr) return io_fail(path, "zstd: cannot create a compression context");
    ZSTD_CCtx_setParameter(zc_, ZSTD_c_compressionLevel, 3);
    zout_.resize(ZSTD_CStreamOutSize());
  }
  return {};
}

Status ByteSink::close() {
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
    std::FILE* f = file_;
    file_ = nullptr;
    if (owns_file_ && std::fclose(f) != 0) return io_fail(path_, fmt::format("error closing: {}", std::strerror(errno)));
    if (bad) return io_fail(path_, "write error");
  }
  return {};
}

Status ByteSink::raw_write(const char* p, std::size_t n) {
  if (n != 0 && std::fwrite(p, 1, n, file_) != n)
    return io_fail(path_, fmt::format("write error: {}", std::strerror(errno)));
  return {};
}

Status ByteSink::flush() {
  if (buf_.empty()) return {};
  if (gz_ != nullptr) {
    if (gzwrite(gz_, buf_.data(), static_cast<unsigned>(buf_.size())) != static_cast<int>(buf_.size()))
      return io_fail(path_, "gzip: write error");
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

void ByteSink::abandon() noexcept {
  if (gz_ != nullptr) gzclose(gz_);
  if (zc_ != nullptr) ZSTD_freeCCtx(zc_);
  if (file_ != nullptr && owns_file_) std::fclose(file_);
  gz_ = nullptr;
  zc_ = nullptr;
  file_ = nullptr;
}

}  // namespace wasmhop::trace
