// The trace readers on arbitrary bytes: text, CSV, oracleGeneral, and the gzip/zstd byte sources.
// One source file, four harnesses (WASMHOP_FUZZ_READER picks which). Every outcome must be a
// value: records, or an error naming the file and the line or record; no crash, no leak, no UB.
// Invariants: skip mode never fails on a record error (only on corruption or I/O); records are
// never invented (fewer records than input bytes allow); errors are one line.
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "trace/reader.hpp"

namespace {

using namespace wasmhop;

// What the reader is asked to read the bytes as.
trace::TraceOptions options_for(const std::uint8_t*& data, std::size_t& size) {
  trace::TraceOptions o;
  std::uint8_t flags = 0;
  if (size > 0) {
    flags = data[0];
    ++data;
    --size;
  }
  o.skip_bad_records = (flags & 1) != 0;
  o.allow_zero_size = (flags & 2) != 0;
#if WASMHOP_FUZZ_READER == 1
  o.format = trace::TraceFormat::text;
#elif WASMHOP_FUZZ_READER == 2
  o.format = trace::TraceFormat::csv;
  // Columns 0..3, a delimiter from a small set, header, hashed ids: from the flag bits.
  o.csv.id_column = 1 + ((flags >> 2) & 1);
  o.csv.size_column = (flags >> 3) & 3;
  o.csv.time_column = (flags >> 5) & 1 ? 3 : 0;
  o.csv.delimiter = (flags >> 6) & 1 ? ';' : ',';
  o.csv.has_header = (flags >> 7) & 1;
  o.csv.hash_ids = (flags & 0x0C) == 0x0C;
  if (o.csv.size_column == o.csv.id_column) o.csv.size_column = 0;
  if (o.csv.time_column == o.csv.id_column || o.csv.time_column == o.csv.size_column) o.csv.time_column = 0;
#elif WASMHOP_FUZZ_READER == 3
  o.format = trace::TraceFormat::oracle;
#else
  o.format = (flags >> 2) & 1 ? trace::TraceFormat::oracle : trace::TraceFormat::text;
#endif
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  trace::TraceOptions o = options_for(data, size);
  std::vector<std::uint8_t> bytes(data, data + size);
#if WASMHOP_FUZZ_READER == 4
  // Compressed: the input is a gzip or zstd stream (the magic is put in front when missing, so
  // every input reaches a decompressor).
  static const std::uint8_t kGzip[] = {0x1f, 0x8b};
  static const std::uint8_t kZstd[] = {0x28, 0xb5, 0x2f, 0xfd};
  const bool is_gzip = bytes.size() >= 2 && std::memcmp(bytes.data(), kGzip, 2) == 0;
  const bool is_zstd = bytes.size() >= 4 && std::memcmp(bytes.data(), kZstd, 4) == 0;
  if (!is_gzip && !is_zstd) {
    const bool zstd = !bytes.empty() && (bytes[0] & 1);
    if (zstd) bytes.insert(bytes.begin(), kZstd, kZstd + 4);
    else bytes.insert(bytes.begin(), kGzip, kGzip + 2);
  }
#endif
  o.path = wasmhop::fuzz::scratch_path(".trace");
  wasmhop::fuzz::write_file(o.path, bytes.data(), bytes.size());

  auto reader = trace::open_trace(o);
  if (!reader) return 0;
  std::vector<sim::Request> out;
  std::size_t total = 0;
  for (int chunk = 0; chunk < 1'000'000; ++chunk) {
    auto n = (*reader)->read(out, 7);  // small chunks: records straddle read calls
    if (!n) {
      const std::string& m = n.error().message;
      WASMHOP_FUZZ_CHECK(m.find('\n') == std::string::npos, "multi-line error: %s", m.c_str());
      WASMHOP_FUZZ_CHECK(m.find(o.path) != std::string::npos, "error without the file name: %s", m.c_str());
      WASMHOP_FUZZ_CHECK(m.size() < 4096, "error of %zu bytes", m.size());
      break;
    }
    if (*n == 0) break;
    WASMHOP_FUZZ_CHECK(*n <= 7, "read %zu records when asked for 7", *n);
    total += *n;
    out.clear();
  }
  const auto& stats = (*reader)->stats();
  WASMHOP_FUZZ_CHECK(stats.records == total, "stats say %llu records, %zu were read",
                     static_cast<unsigned long long>(stats.records), total);
  WASMHOP_FUZZ_CHECK(stats.first_errors.size() <= trace::ReadStats::kMaxKeptErrors, "kept %zu errors",
                     stats.first_errors.size());
  WASMHOP_FUZZ_CHECK(stats.skipped == 0 || o.skip_bad_records, "skipped records without skip mode");
#if WASMHOP_FUZZ_READER != 4
  // Uncompressed, a record needs at least 2 bytes of text ("1\n" with the CSV size column off) or
  // 24 bytes of oracleGeneral.
  WASMHOP_FUZZ_CHECK(total <= size / (o.format == trace::TraceFormat::oracle ? 24 : 1) + 1, "%zu records from %zu bytes",
                     total, size);
#endif
  return 0;
}
