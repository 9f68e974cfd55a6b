// The files of the wasm2c object cache: sealed objects (a checksum the host verifies before
// dlopen) and the private build directory each object is compiled in.
#pragma once

#include <filesystem>
#include <string_view>
#include <utility>

#include "wasmhop/result.hpp"

namespace wasmhop::wasm2c {

[[nodiscard]] Status write_text(const std::filesystem::path& path, std::string_view text);

// A cached object ends with a seal: the SHA-256 of everything before it, that length, and a
// magic. The dynamic loader ignores trailing bytes; we refuse to dlopen an object whose seal does
// not verify (a truncated ELF file makes the loader fault while mapping it, so it must never get
// there).
[[nodiscard]] Status seal_object(const std::filesystem::path& path);
[[nodiscard]] Status verify_seal(const std::filesystem::path& path);

// A private build directory inside the cache directory (same file system: rename is atomic).
class BuildDir {
 public:
  [[nodiscard]] static Result<BuildDir> create(const std::filesystem::path& cache);
  BuildDir(BuildDir&& o) noexcept : path_(std::exchange(o.path_, {})) {}
  BuildDir& operator=(BuildDir&&) = delete;
  ~BuildDir();
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  explicit BuildDir(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
};

}  // namespace wasmhop::wasm2c
