#include "trace/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

#include "trace/mapped_source.hpp"

namespace wasmhop::trace {
namespace {

constexpr std::size_t kInputChunk = std::size_t{1} << 18;

class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  ~FileSource() override { std::fclose(file_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<std::size_t> read(char* dst, std::size_t n) override {
    std::size_t got = std::fread(dst, 1, n, file_);
    if (got < n && std::ferror(file_))
      return fail(ErrorKind::io_error, fmt::format("{}: read failed: {}", path_, std::strerror(errno)));
    return got;
  }
  std::string_view compression() const noexcept override { return "none"; }
  const std::string& path() const noexcept { return path_; }

 private:
  std::FILE* file_;
  std::string path_;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<FileSource> file) : file_(std::move(file)), in_(kInputChunk) {}
  ~GzipSource() override {
    if (started_) inflateEnd(&z_);
  }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  Result<std::size_t> read(char* dst, std::size_t n) override {
    if (!started_) {
      z_ = z_stream{};
      if (inflateInit2(&z_, 15 + 32) != Z_OK)  // +32: gzip or zlib header
        return fail(ErrorKind::internal, fmt::format("{}: cannot start zlib", file_->path()));
      started_ = true;
    }
    std::size_t produced = 0;
    while (produced < n && !done_) {
      if (z_.avail_in == 0) {
        auto got = file_->read(in_.data(), in_.size());
        if (!got) return tl::unexpected(got.error());
        if (*got == 0) {
          if (member_ended_) { done_ = true; break; }
          return fail(ErrorKind::io_error,
                      fmt::format("{}: truncated gzip data (the stream ends inside a member)", file_->path()));
        }
        z_.next_in = reinterpret_cast<Bytef*>(in_.data());
        z_.avail_in = static_cast<uInt>(*got);
      }
      if (member_ended_) {  // more input after a member's end: a concatenated member follows
        if (inflateReset(&z_) != Z_OK)
          return fail(ErrorKind::internal, fmt::format("{}: zlib reset failed", file_->path()));
        member_ended_ = false;
      }
      z_.next_out = reinterpret_cast<Bytef*>(dst + produced);
      z_.avail_out = static_cast<uInt>(n - produced);
      int rc = inflate(&z_, Z_NO_FLUSH);
      produced = n - z_.avail_out;
      if (rc == Z_STREAM_END) {
        member_ended_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return fail(ErrorKind::io_error, fmt::format("{}: corrupt gzip data: {}", file_->path(),
                                                     z_.msg != nullptr ? z_.msg : zError(rc)));
      }
    }
    return produced;
  }
  std::string_view compression() const noexcept override { return "gzip"; }

 private:
  std::unique_ptr<FileSource> file_;
  std::vector<char> in_;
  z_stream z_{};
  bool started_ = false;
  bool member_ended_ = false;
  bool done_ = false;
};

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<FileSource> file)
      : file_(std::move(file)), in_(ZSTD_DStreamInSize()), stream_(ZSTD_createDStream()) {}
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  Result<std::size_t> read(char* dst, std::size_t n) override {
    if (stream_ == nullptr) return fail(ErrorKind::internal, fmt::format("{}: cannot start zstd", file_->path()));
    ZSTD_outBuffer out{dst, n, 0};
    while (out.pos < out.size && !done_) {
      if (input_.pos == input_.size) {
        auto got = file_->read(in_.data(), in_.size());
        if (!got) return tl::unexpected(got.error());
        if (*got == 0) {
          if (frame_open_)
            return fail(ErrorKind::io_error,
                        fmt::format("{}: truncated zstd data (the stream ends inside a frame)", file_->path()));
          done_ = true;
          break;
        }
        input_ = ZSTD_inBuffer{in_.data(), *got, 0};
      }
      std::size_t rc = ZSTD_decompressStream(stream_, &out, &input_);
      if (ZSTD_isError(rc))
        return fail(ErrorKind::io_error,
                    fmt::format("{}: corrupt zstd data: {}", file_->path(), ZSTD_getErrorName(rc)));
      frame_open_ = rc != 0;  // 0: a frame is complete and fully flushed
    }
    return out.pos;
  }
  std::string_view compression() const noexcept override { return "zstd"; }

 private:
  std::unique_ptr<FileSource> file_;
  std::vector<char> in_;
  ZSTD_DStream* stream_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  bool frame_open_ = false;
  bool done_ = false;
};

// Gives back the peeked magic bytes before the rest of the file.
class PrefixedFile final : public ByteSource {
 public:
  PrefixedFile(std::unique_ptr<FileSource> file, std::string prefix)
      : file_(std::move(file)), prefix_(std::move(prefix)) {}
  Result<std::size_t> read(char* dst, std::size_t n) override {
    if (pos_ < prefix_.size()) {
      std::size_t k = std::min(n, prefix_.size() - pos_);
      std::memcpy(dst, prefix_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    return file_->read(dst, n);
  }
  std::string_view compression() const noexcept override { return "none"; }

 private:
  std::unique_ptr<FileSource> file_;
  std::string prefix_;
  std::size_t pos_ = 0;
};

bool gzip_magic(const unsigned char* m, std::size_t n) noexcept { return n >= 2 && m[0] == 0x1f && m[1] == 0x8b; }
bool zstd_magic(const unsigned char* m, std::size_t n) noexcept {
  return n == 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd;
}

// The mapped source for a plain regular file; nullptr when the file should be read instead (compressed,
// or not mappable and the method allows reading).
Result<std::unique_ptr<ByteSource>> try_map(const std::string& path, InputMethod method) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorKind::io_error, fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (method == InputMethod::mmap)
      return fail(ErrorKind::io_error, fmt::format("{}: cannot map: not a regular file", path));
    return std::unique_ptr<ByteSource>{};
  }
  unsigned char magic[4] = {0, 0, 0, 0};
  ssize_t got = pread(fd, magic, sizeof magic, 0);
  std::size_t n = got > 0 ? static_cast<std::size_t>(got) : 0;
  if (gzip_magic(magic, n) || zstd_magic(magic, n)) return std::unique_ptr<ByteSource>{};  // streamed
  auto mapped = detail::map_plain_file(fd, static_cast<std::uint64_t>(st.st_size), path);
  if (!mapped && method == InputMethod::automatic) return std::unique_ptr<ByteSource>{};
  return mapped;
}

}  // namespace

std::string_view to_string(InputMethod method) noexcept {
  switch (method) {
    case InputMethod::automatic: return "auto";
    case InputMethod::mmap: return "mmap";
    case InputMethod::read: return "read";
  }
  return "?";
}

std::string_view compression_from_magic(const unsigned char* magic, std::size_t n) noexcept {
  if (gzip_magic(magic, n)) return "gzip";
  if (zstd_magic(magic, n)) return "zstd";
  return "none";
}

Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path, InputMethod method) {
  if (method != InputMethod::read) {
    auto mapped = try_map(path, method);
    if (!mapped || *mapped) return mapped;
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return fail(ErrorKind::io_error, fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  auto file = std::make_unique<FileSource>(f, path);
  unsigned char magic[4] = {0, 0, 0, 0};
  std::size_t got = std::fread(magic, 1, sizeof magic, f);
  if (got < sizeof magic && std::ferror(f))
    return fail(ErrorKind::io_error, fmt::format("{}: read failed: {}", path, std::strerror(errno)));
  if (gzip_magic(magic, got)) {
    std::rewind(f);
    return std::make_unique<GzipSource>(std::move(file));
  }
  if (zstd_magic(magic, got)) {
    std::rewind(f);
    return std::make_unique<ZstdSource>(std::move(file));
  }
  // Plain data; pipes cannot rewind, so hand the peeked bytes back first.
  return std::make_unique<PrefixedFile>(std::move(file), std::string(reinterpret_cast<char*>(magic), got));
}

ByteBuffer::ByteBuffer(std::unique_ptr<ByteSource> source, std::size_t capacity) : source_(std::move(source)) {
  if (auto whole = source_->mapped()) {
    base_ = whole->data();
    end_ = whole->size();
    eof_ = true;
    mapped_ = true;
    if (std::size_t step = source_->release_step(); step != 0) release_at_ = step;
    return;
  }
  data_ = std::make_unique_for_overwrite<char[]>(capacity);
  capacity_ = capacity;
  base_ = data_.get();
}

void ByteBuffer::release() noexcept {
  source_->release(begin_);
  release_at_ = begin_ + source_->release_step();
}

Status ByteBuffer::fill(std::size_t want) {
  while (!eof_ && end_ - begin_ < want) {
    if (begin_ > 0) {  // compact
      std::memmove(data_.get(), base_ + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == capacity_) {
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity_ * 2);
      std::memcpy(bigger.get(), data_.get(), end_);
      data_ = std::move(bigger);
      capacity_ *= 2;
      base_ = data_.get();
    }
    auto got = source_->read(data_.get() + end_, capacity_ - end_);
    if (!got) return tl::unexpected(got.error());
    if (*got == 0) eof_ = true;
    end_ += *got;
  }
  return {};
}

}  // namespace wasmhop::trace
