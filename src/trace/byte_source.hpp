// ByteSource: the bytes of a trace file, decompressed on the fly. Plain, gzip (zlib) or zstd
// (streaming), chosen by the file's magic bytes. Corrupt or truncated compressed data is an error.
// A plain regular file is mapped (mapped_source.cpp) unless InputMethod::read is asked for; pipes
// and compressed files are read in large chunks, so memory never depends on the trace's length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wasmhop/result.hpp"

namespace wasmhop::trace {

// How a plain (uncompressed) file is read.
enum class InputMethod : std::uint8_t {
  automatic,  // mapped when it is a regular file that can be mapped, otherwise read
  mmap,       // mapped; an error when it cannot be (a pipe, say)
  read,       // buffered reads into a 1 MiB buffer (the path before mapping; kept to compare)
};

[[nodiscard]] std::string_view to_string(InputMethod method) noexcept;

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into dst; 0 means the end of the data.
  [[nodiscard]] virtual Result<std::size_t> read(char* dst, std::size_t n) = 0;
  [[nodiscard]] virtual std::string_view compression() const noexcept = 0;
  // All the data at once when it is already in memory (a mapped file); then read() is not needed.
  [[nodiscard]] virtual std::optional<std::string_view> mapped() const noexcept { return std::nullopt; }
  // Mapped data: the bytes before `offset` will not be looked at again (their pages may be dropped),
  // worth telling every release_step() bytes.
  virtual void release(std::size_t /*offset*/) noexcept {}
  [[nodiscard]] virtual std::size_t release_step() const noexcept { return 0; }
  // The size of the data when known in advance (a plain file), else 0.
  [[nodiscard]] virtual std::uint64_t size_hint() const noexcept { return 0; }
};

// "gzip", "zstd" or "none", from the first bytes of a file (up to 4).
[[nodiscard]] std::string_view compression_from_magic(const unsigned char* magic, std::size_t n) noexcept;

[[nodiscard]] Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path,
                                                                   InputMethod method = InputMethod::automatic);

// Buffered access on top of a ByteSource, for the record parsers. Over mapped data the "buffer" is
// the mapping itself: fill() has nothing to do and nothing is copied.
class ByteBuffer {
 public:
  explicit ByteBuffer(std::unique_ptr<ByteSource> source, std::size_t capacity = std::size_t{1} << 20);

  // Makes at least `want` unread bytes available unless the data ends first; keeps unread bytes.
  [[nodiscard]] Status fill(std::size_t want);
  [[nodiscard]] std::string_view unread() const noexcept { return {base_ + begin_, end_ - begin_}; }
  void consume(std::size_t n) noexcept {
    begin_ += n;
    consumed_ += n;
    if (begin_ >= release_at_) release();
  }
  [[nodiscard]] bool at_end() const noexcept { return eof_ && begin_ == end_; }
  [[nodiscard]] bool source_done() const noexcept { return eof_; }
  [[nodiscard]] std::size_t consumed() const noexcept { return consumed_; }
  [[nodiscard]] std::string_view compression() const noexcept { return source_->compression(); }
  [[nodiscard]] std::uint64_t size_hint() const noexcept { return source_->size_hint(); }
  [[nodiscard]] bool is_mapped() const noexcept { return mapped_; }

 private:
  void release() noexcept;

  std::unique_ptr<ByteSource> source_;
  // Not zero-filled: a 1 MiB memset and its page faults were a visible part of a short run's start.
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  const char* base_ = nullptr;  // data_.get(), or the mapping
  bool mapped_ = false;
  std::size_t release_at_ = SIZE_MAX;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t consumed_ = 0;
  bool eof_ = false;
};

}  // namespace wasmhop::trace
