#include "sim/input_plan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "trace/byte_source.hpp"

namespace wasmhop::sim {
namespace {

constexpr std::uint64_t kCompressionGuess = 8;  // decompressed bytes per compressed byte, on the high side
constexpr std::uint64_t kOracleRecord = 24;
constexpr std::uint64_t kShortestLine = 6;  // "1 100\n": shorter lines are rare in real traces

std::uint64_t mem_available() {
  std::FILE* f = std::fopen("/proc/meminfo", "r");
  if (f == nullptr) return 0;
  char line[256];
  unsigned long long kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr)
    if (std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1) break;
  std::fclose(f);
  return static_cast<std::uint64_t>(kib) * 1024;
}

std::string mib(std::uint64_t bytes) { return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20)); }

std::string runs_text(std::uint64_t runs) { return runs == 1 ? "1 run" : fmt::format("{} runs", runs); }

}  // namespace

Result<InputFacts> probe_input(const std::string& path, trace::TraceFormat format) {
  InputFacts facts;
  facts.format = format == trace::TraceFormat::automatic ? trace::detect_trace_format(path) : format;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorKind::io_error, fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct stat st{};
  facts.regular_file = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (facts.regular_file) {
    facts.file_bytes = static_cast<std::uint64_t>(st.st_size);
    unsigned char magic[4] = {0, 0, 0, 0};
    ssize_t got = pread(fd, magic, sizeof magic, 0);
    facts.compressed = trace::compression_from_magic(magic, got > 0 ? static_cast<std::size_t>(got) : 0) != "none";
  }
  ::close(fd);
  return facts;
}

std::uint64_t default_memory_budget() {
  std::uint64_t available = mem_available();
  if (available == 0) {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) available = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
  }
  return available / 2;
}

std::uint64_t estimated_memory_bytes(const InputFacts& facts) noexcept {
  std::uint64_t bytes = facts.file_bytes * (facts.compressed ? kCompressionGuess : 1);
  std::uint64_t records = bytes / (facts.format == trace::TraceFormat::oracle ? kOracleRecord : kShortestLine);
  return records * sizeof(cache::Request);
}

InputChoice choose_input(StreamMode mode, const InputFacts& facts) {
  if (mode == StreamMode::stream) return {true, "streamed: asked for (--stream)"};
  if (mode == StreamMode::memory) return {false, "in memory: asked for (--no-stream)"};
  if (facts.runs <= 1)
    return {true, "streamed: one run, which reads the trace once either way (no copy in memory)"};
  if (!facts.regular_file)
    return {false, fmt::format("in memory: {} share one copy (the input is not a regular file: its size is "
                               "unknown; --stream if it is larger than memory)", runs_text(facts.runs))};
  const std::uint64_t need = estimated_memory_bytes(facts);
  if (need > facts.memory_budget)
    return {true, fmt::format("streamed: in memory the trace would take up to {} ({}), more than the "
                              "budget ({}; --trace-memory)", mib(need), facts.compressed ? "compressed: a guess" : "estimated",
                              mib(facts.memory_budget))};
  return {false, fmt::format("in memory: {} share one copy (up to {})", runs_text(facts.runs), mib(need))};
}

}  // namespace wasmhop::sim
