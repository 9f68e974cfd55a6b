// ByteSource: the bytes of a trace file, decompressed on the fly. Plain, gzip (zlib) or zstd
// (streaming), chosen by the file's magic bytes. Corrupt or truncated compressed data is an error.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "wasmhop/result.hpp"

namespace wasmhop::sim {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes into dst; 0 means the end of the data.
  [[nodiscard]] virtual Result<std::size_t> read(char* dst, std::size_t n) = 0;
  [[nodiscard]] virtual std::string_view compression() const noexcept = 0;
};

[[nodiscard]] Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path);

// Buffered access on top of a ByteSource, for the record parsers.
class ByteBuffer {
 public:
  explicit ByteBuffer(std::unique_ptr<ByteSource> source, std::size_t capacity = std::size_t{1} << 20);

  // Makes at least `want` unread bytes available unless the data ends first; keeps unread bytes.
  [[nodiscard]] Status fill(std::size_t want);
  [[nodiscard]] std::string_view unread() const noexcept {
    return {data_.data() + begin_, end_ - begin_};
  }
  void consume(std::size_t n) noexcept { begin_ += n; consumed_ += n; }
  [[nodiscard]] bool at_end() const noexcept { return eof_ && begin_ == end_; }
  [[nodiscard]] bool source_done() const noexcept { return eof_; }
  [[nodiscard]] std::size_t consumed() const noexcept { return consumed_; }
  [[nodiscard]] std::string_view compression() const noexcept { return source_->compression(); }

 private:
  std::unique_ptr<ByteSource> source_;
  std::string data_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t consumed_ = 0;
  bool eof_ = false;
};

}  // namespace wasmhop::sim
