// Trace input speed: every format (text, CSV, oracleGeneral), plain, gzip and zstd, through every input
// method (a plain file mapped, or read through the 1 MiB buffer), side by side in one run. The files are
// written first with the generator's writers (gen/trace_output, through src/trace) from a synthetic request stream, read once
// to warm the page cache, then timed: best of --reps. Reading is the streaming path (open_trace + read
// into one reused chunk), so what is timed is parsing, not a growing vector.
//
//   taskset -c 1 build/release/bench/sim/wasmhop_read_bench [--requests 10000000] [--reps 3] [--dir /tmp]
//   ... --only oracle --keep     # write and time one format; keep the files (their paths are printed)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "gen/trace_output.hpp"
#include "trace/reader.hpp"

namespace {

using namespace wasmhop;
namespace fs = std::filesystem;

struct Args {
  std::uint64_t requests = 10'000'000;
  unsigned reps = 3;
  std::string dir = "/tmp";
  std::string only;  // a format name, or empty for all
  bool keep = false;
};

struct Measure {
  double seconds = 0;
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;  // decompressed
};

std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64: a cheap, repeatable pseudo-random stream
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Skewed ids over a million objects, sizes up to ~1 MB: numbers of realistic widths for the text parsers.
void synthetic(std::uint64_t n, std::vector<std::uint32_t>& requests, std::vector<std::uint32_t>& size_of) {
  constexpr std::uint32_t kObjects = 1'000'000;
  size_of.resize(kObjects);
  for (std::uint32_t i = 0; i < kObjects; ++i) size_of[i] = 1 + static_cast<std::uint32_t>(mix(i) % 1'000'000);
  requests.resize(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t r = mix(i + kObjects);
    requests[i] = static_cast<std::uint32_t>((r % kObjects) * ((r >> 40) % 1024) / 1024);
  }
}

Measure time_read(const std::string& path, trace::InputMethod method, std::string& error) {
  trace::TraceOptions o;
  o.path = path;
  o.input = method;
  o.csv.has_header = true;  // the generator's CSV starts with "id,size"
  auto start = std::chrono::steady_clock::now();
  auto reader = trace::open_trace(o);
  if (!reader) {
    error = reader.error().message;
    return {};
  }
  std::vector<cache::Request> chunk;
  chunk.reserve(std::size_t{1} << 20);
  std::uint64_t sum = 0;
  for (;;) {
    chunk.clear();
    auto got = (*reader)->read(chunk, std::size_t{1} << 20);
    if (!got) {
      error = got.error().message;
      return {};
    }
    if (*got == 0) break;
    sum += chunk.back().id;  // keeps the reads observable
  }
  Measure m;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.records = (*reader)->stats().records;
  m.bytes = (*reader)->stats().bytes;
  static volatile std::uint64_t sink;
  sink = sink + sum;
  return m;
}

bool parse_args(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (s == "--keep") {
      a.keep = true;
    } else if (s == "--requests" && (v = value())) {
      a.requests = static_cast<std::uint64_t>(std::strtod(v, nullptr));
    } else if (s == "--reps" && (v = value())) {
      a.reps = static_cast<unsigned>(std::strtoul(v, nullptr, 10));
    } else if (s == "--dir" && (v = value())) {
      a.dir = v;
    } else if (s == "--only" && (v = value())) {
      a.only = v;
    } else {
      std::fprintf(stderr, "usage: %s [--requests N] [--reps R] [--dir DIR] [--only text|csv|oracle] [--keep]\n",
                   argv[0]);
      return false;
    }
  }
  return a.requests > 0 && a.reps > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse_args(argc, argv, args)) return 2;
  std::vector<std::uint32_t> requests, size_of;
  synthetic(args.requests, requests, size_of);
  fs::path dir = fs::path(args.dir) / fmt::format("wasmhop_read_bench_{}", static_cast<long>(getpid()));
  fs::create_directories(dir);
  struct Format {
    const char* name;
    trace::TraceFormat format;
    const char* file;
  };
  const Format formats[] = {{"text", trace::TraceFormat::text, "t.txt"},
                            {"csv", trace::TraceFormat::csv, "t.csv"},
                            {"oracle", trace::TraceFormat::oracle, "t.oracleGeneral"}};
  fmt::print("{} requests; best of {} after a warm-up read; MB = 10^6 bytes of decompressed input\n", args.requests,
             args.reps);
  fmt::print("{:<8} {:<6} {:<6} {:>10} {:>9} {:>10} {:>10}\n", "format", "comp", "input", "MB", "seconds", "MB/s",
             "Mrec/s");
  int status = 0;
  for (const Format& f : formats) {
    if (!args.only.empty() && args.only != f.name) continue;
    for (const char* suffix : {"", ".gz", ".zst"}) {
      std::string path = (dir / (std::string(f.file) + suffix)).string();
      if (auto st = gen::write_trace(path, f.format, requests, size_of); !st) {
        std::fprintf(stderr, "read bench: %s\n", st.error().message.c_str());
        return 1;
      }
      bool plain = *suffix == '\0';
      for (trace::InputMethod method : {trace::InputMethod::read, trace::InputMethod::mmap}) {
        if (!plain && method == trace::InputMethod::mmap) continue;  // compressed input is always streamed
        std::string error;
        Measure best;
        for (unsigned rep = 0; rep <= args.reps && error.empty(); ++rep) {
          Measure m = time_read(path, method, error);
          if (rep == 0) continue;  // warm-up: page cache, allocator
          if (best.seconds == 0 || m.seconds < best.seconds) best = m;
        }
        if (!error.empty()) {
          std::fprintf(stderr, "read bench: %s\n", error.c_str());
          status = 1;
          continue;
        }
        fmt::print("{:<8} {:<6} {:<6} {:>10.1f} {:>9.4f} {:>10.0f} {:>10.1f}\n", f.name, plain ? "none" : suffix + 1,
                   plain ? std::string(trace::to_string(method)) : "stream", best.bytes / 1e6, best.seconds,
                   best.bytes / 1e6 / best.seconds, best.records / 1e6 / best.seconds);
      }
      if (args.keep) fmt::print("  kept {}\n", path);
      else fs::remove(path);
    }
  }
  if (!args.keep) fs::remove_all(dir);
  return status;
}
