#include "engines/wasm2c/object_files.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "engines/wasm2c/sha256.hpp"
#include "wasmhop/engine.hpp"

namespace wasmhop::wasm2c {

namespace fs = std::filesystem;

Status write_text(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", path.string()));
  return {};
}

namespace {
constexpr char kSealMagic[8] = {'W', 'H', 'W', '2', 'C', 'S', 'E', 'L'};
constexpr std::size_t kSealSize = 32 + 8 + sizeof kSealMagic;
}  // namespace

Status seal_object(const fs::path& path) {
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  const auto digest = Sha256().update(*bytes).digest();
  std::uint8_t length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<std::uint8_t>(std::uint64_t{bytes->size()} >> (8 * i));
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out.write(reinterpret_cast<const char*>(digest.data()), digest.size());
  out.write(reinterpret_cast<const char*>(length), sizeof length);
  out.write(kSealMagic, sizeof kSealMagic);
  out.close();
  if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", path.string()));
  return {};
}

Status verify_seal(const fs::path& path) {
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  const std::size_t n = bytes->size();
  if (n < kSealSize || std::memcmp(bytes->data() + n - sizeof kSealMagic, kSealMagic, sizeof kSealMagic) != 0) {
    return fail(ErrorKind::internal, "no wasmhop seal (not an object we wrote, or truncated)");
  }
  const std::size_t body = n - kSealSize;
  std::uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= std::uint64_t{(*bytes)[body + 32 + i]} << (8 * i);
  if (length != body) return fail(ErrorKind::internal, "seal length mismatch (truncated or extended)");
  const auto digest = Sha256().update(std::span(bytes->data(), body)).digest();
  if (std::memcmp(digest.data(), bytes->data() + body, 32) != 0) {
    return fail(ErrorKind::internal, "seal checksum mismatch (corrupted)");
  }
  return {};
}

Result<BuildDir> BuildDir::create(const fs::path& cache) {
  std::string templ = (cache / ".build-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) {
    return fail(ErrorKind::io_error,
                fmt::format("cannot create a build directory in '{}': {}", cache.string(), std::strerror(errno)));
  }
  return BuildDir(templ);
}

BuildDir::~BuildDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace wasmhop::wasm2c
