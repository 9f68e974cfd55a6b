// Trace bytes for tests and fuzz seeds: gzip and zstd compression of a whole buffer, and one
// oracleGeneral record (24 bytes, little-endian). An empty result means the compressor failed.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include <zlib.h>
#include <zstd.h>

namespace wasmhop::test {

inline std::string gzip_bytes(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const bool ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
  out.resize(ok ? z.total_out : 0);
  deflateEnd(&z);
  return out;
}

inline std::string zstd_bytes(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

inline std::string oracle_record(std::uint32_t t, std::uint64_t id, std::uint32_t size, std::int64_t next) {
  char buf[24];
  std::memcpy(buf, &t, 4);
  std::memcpy(buf + 4, &id, 8);
  std::memcpy(buf + 12, &size, 4);
  std::memcpy(buf + 16, &next, 8);
  return std::string(buf, 24);
}

}  // namespace wasmhop::test
