// How `wasmhop sim` feeds a trace to its runs: loaded into memory once, or streamed in chunks.
//
// In memory (16 bytes a request) every (policy, size) job runs over the whole trace on its own,
// spread over the worker threads, one runner alive per thread; a timed job runs alone with its
// cache state in the CPU's caches. Streaming keeps every runner of a sweep alive and feeds each
// chunk to all of them, so memory holds one chunk instead of the trace, and each runner factory
// (engine x ABI) reads the trace once more. The choice, in this order:
//   1. --stream / --no-stream;
//   2. one run in all (one job, one runner): stream, since the trace is read once either way and a
//      copy in memory is pure cost (page faults on 16 bytes a request);
//   3. a trace that would not fit the memory budget (--trace-memory; default half of the memory
//      available): stream;
//   4. otherwise in memory, shared by every run.
// The size in memory is estimated before reading: records from the file's size (24 bytes a record
// for oracleGeneral, at least 6 bytes a line for text and CSV), compressed files taken as 8 times
// their size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "trace/reader.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

enum class StreamMode : std::uint8_t { automatic, memory, stream };

struct InputFacts {
  std::uint64_t file_bytes = 0;  // on disk (0 for a pipe)
  bool compressed = false;       // gzip or zstd: the length in memory is a guess
  bool regular_file = true;      // false: a pipe or device, whose size is unknown
  trace::TraceFormat format = trace::TraceFormat::text;
  std::uint64_t runs = 0;           // (policy, size) jobs times runner factories
  std::uint64_t memory_budget = 0;  // bytes the trace may take in memory
};

struct InputChoice {
  bool stream = false;
  std::string reason;  // one line for the progress output and --json
};

// The file's facts (size, compression from its magic bytes); runs and budget are left to the caller.
[[nodiscard]] Result<InputFacts> probe_input(const std::string& path, trace::TraceFormat format);

// Half of the memory available now (MemAvailable), or of the physical memory when that is unknown.
[[nodiscard]] std::uint64_t default_memory_budget();

// The bytes the trace would take in memory (an estimate, on the high side).
[[nodiscard]] std::uint64_t estimated_memory_bytes(const InputFacts& facts) noexcept;

[[nodiscard]] InputChoice choose_input(StreamMode mode, const InputFacts& facts);

}  // namespace wasmhop::sim
