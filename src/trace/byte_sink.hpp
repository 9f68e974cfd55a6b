// ByteSink: buffered output to a plain, gzip or zstd file (compression from the file name: .gz, .zst),
// or to standard output ("-", uncompressed). The writers of every format append to its buffer.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <zlib.h>
#include <zstd.h>

#include "trace/format.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::trace {

class ByteSink {
 public:
  // A writer appends at most this many bytes past kBuffer before calling maybe_flush().
  static constexpr std::size_t kSlack = 64;

  ByteSink() = default;
  ByteSink(const ByteSink&) = delete;
  ByteSink& operator=(const ByteSink&) = delete;
  ~ByteSink() { abandon(); }

  [[nodiscard]] Status open(const std::filesystem::path& path);
  [[nodiscard]] std::string& buffer() noexcept { return buf_; }
  [[nodiscard]] Status maybe_flush() { return buf_.size() >= kBuffer ? flush() : Status{}; }
  // Flushes, ends the compressed stream and closes the file; errors name it.
  [[nodiscard]] Status close();
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  static constexpr std::size_t kBuffer = std::size_t{1} << 20;

  [[nodiscard]] Status raw_write(const char* p, std::size_t n);
  [[nodiscard]] Status flush();
  void abandon() noexcept;

  std::filesystem::path path_;
  std::string buf_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  gzFile gz_ = nullptr;
  ZSTD_CCtx* zc_ = nullptr;
  std::vector<char> zout_;
};

}  // namespace wasmhop::trace
