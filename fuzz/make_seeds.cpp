// Writes the seed corpora of the fuzzers (one directory per harness) from the project's own
// encoders and the guest modules the build made: nothing is committed. Usage:
//   wasmhop_fuzz_seeds OUT_DIR GUEST_DIR

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <wasmhop/abi/bincode.hpp>
#include <wasmhop/abi/flatbuffers.hpp>

#include "micro/payload.hpp"
#include "wasmhop/cache/types.hpp"
#include "trace_bytes.hpp"  // tests/: gzip, zstd, oracleGeneral records

namespace fs = std::filesystem;
namespace bc = wasmhop::bincode;

namespace {

int g_count = 0;

void put(const fs::path& dir, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / ("seed-" + std::to_string(g_count++)), std::ios::binary) << bytes;
}

using wasmhop::test::oracle_record;
std::string gzip(const std::string& data) { return wasmhop::test::gzip_bytes(data); }
std::string zstd(const std::string& data) { return wasmhop::test::zstd_bytes(data); }

template <class T>
std::string bincode(std::uint8_t tag, const T& v) {
  std::vector<std::uint8_t> out{tag};
  if (bc::encode_append(out, v) != bc::Error::none) std::abort();
  return std::string(out.begin(), out.end());
}

using Pair = wasmhop::micro::PairPod;                // the fuzzed types (fuzz/fuzz_bincode.cpp)
using Request = wasmhop::cache::Request;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s OUT_DIR GUEST_DIR\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  const fs::path guests = argv[2];

  const std::string text = "0 3038\n1 949\n  2\t2240  \r\n\n# comment\n3 2051\n18446744073709551615 1\n5 0\nabc 3\n";
  for (char flags : {'\0', '\1', '\3'}) {
    put(out / "trace_text", std::string(1, flags) + text);
    put(out / "trace_text", std::string(1, flags) + "1 10\n2 20\n1 10\n");
  }
  const std::string csv = "time,id,size\n100,7,512\n101,\"8\",1024\n\n102,7,512\n103,x,1\n";
  for (unsigned flags : {0x00u, 0x80u | 0x08u | 0x04u, 0x08u, 0x40u, 0x0Cu, 0x81u}) {
    std::string body = csv;
    if (flags & 0x40) for (char& c : body) c = c == ',' ? ';' : c;
    put(out / "trace_csv", std::string(1, static_cast<char>(flags)) + body);
  }
  const std::string oracle = oracle_record(1, 42, 4096, 3) + oracle_record(2, 1ull << 40, 100, -1) +
                             oracle_record(3, 42, 0, -1) + oracle_record(4, 7, 7, 0).substr(0, 11);
  put(out / "trace_oracle", std::string(1, '\0') + oracle);
  put(out / "trace_oracle", std::string(1, '\3') + oracle);
  put(out / "trace_compressed", std::string(1, '\0') + gzip(text));
  put(out / "trace_compressed", std::string(1, '\0') + gzip("1 10\n") + gzip("2 20\n"));
  put(out / "trace_compressed", std::string(1, '\0') + zstd(text));
  put(out / "trace_compressed", std::string(1, '\4') + zstd(oracle));
  put(out / "trace_compressed", std::string(1, '\4') + gzip(oracle));

  for (const char* s : {"4194304", "4MiB", "1.5GiB", "64MB", "4MiB:8GiB", "4MiB,8MiB,4MiB", "1TiB", "0", "-1",
                        "1KB:1TB", "512B", "3.25KiB"}) {
    put(out / "size_parse", s);
  }

  put(out / "bincode", bincode(0, Pair{1, -2}));
  put(out / "bincode", bincode(1, std::vector<Request>{{1, 10}, {2, 20}, {~0ull, 0}}));
  put(out / "bincode", bincode(2, std::string("h\xc3\xa9llo \xf0\x9f\x98\x80")));
  put(out / "bincode", bincode(4, std::vector<std::vector<std::uint8_t>>{{1, 2, 3}, {}, {255}}));
  put(out / "bincode", bincode(3, std::make_tuple(true, char32_t{0x1F600}, std::string("x"),
                                                  std::optional<std::vector<Request>>{{{3, 4}}},
                                                  std::variant<std::monostate, std::uint8_t, std::string, Pair>{Pair{5, 6}},
                                                  std::vector<std::pair<std::uint32_t, std::vector<std::string>>>{{1, {"a", "b"}}},
                                                  std::array<std::int16_t, 3>{1, -1, 2},
                                                  std::make_tuple(std::uint64_t{9}, std::optional<bool>{false}))));
  put(out / "bincode", bincode(5, std::make_tuple(std::string("view"), std::vector<std::uint8_t>{1, 2}, std::u32string(U"ab"))));

  wasmhop::flatbuf::Builder b;
  auto as_string = [](std::span<const std::uint8_t> s) { return std::string(s.begin(), s.end()); };
  put(out / "flatbuffers", as_string(wasmhop::flatbuf::build_pair(b, 6, 7)));
  const std::uint8_t payload[] = {1, 2, 3, 4, 5};
  put(out / "flatbuffers", as_string(wasmhop::flatbuf::build_bytes(b, payload)));
  const wasmhop::fbs::PairValue pairs[] = {{1, 2}, {3, 4}};
  put(out / "flatbuffers", as_string(wasmhop::flatbuf::build_pair_batch(b, pairs)));

  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(guests, ec)) {
    if (entry.path().extension() != ".wasm" || entry.file_size() > (1 << 20)) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string wasm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* dir : {"module_wabt", "module_wasm2c", "module_v8"}) put(out / dir, wasm);
    put(out / "memory_limit", std::string(1, '\x10') + wasm);
    put(out / "memory_limit", std::string(1, '\xff') + wasm);
  }
  std::printf("%d seeds in %s\n", g_count, out.c_str());
  return 0;
}
