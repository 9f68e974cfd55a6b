// ReadAhead: a streamed trace's chunks, read one chunk ahead of the simulation on a thread of its
// own when a processor is free for it (the jobs use fewer than the process may run on). Reading and
// parsing then overlap the simulation instead of adding to it (on the paper's 1M-request trace,
// reading is about a quarter of a one-policy run). Without a free processor a second thread would only
// take turns with the jobs (and blur their timings), so chunks are then read on the caller's thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "trace/reader.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::sim {

using cache::Request;
using trace::TraceReader;

class ReadAhead {
 public:
  // `threaded`: read on a thread of its own (see above); `chunk_records`: at most this many a chunk.
  ReadAhead(TraceReader& reader, std::size_t chunk_records, bool threaded);
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next chunk, empty at the end of the trace. Valid until the next call. After an error, every
  // call returns it again.
  [[nodiscard]] Result<std::span<const Request>> next();

  [[nodiscard]] bool threaded() const noexcept { return thread_.joinable(); }
  // Seconds spent in the reader (on whichever thread); with a thread, they overlap the simulation.
  [[nodiscard]] double read_seconds() const;

 private:
  // One buffer: filled by the reader, then handed to the caller, then free again.
  struct Buffer {
    std::vector<Request> records;
    std::optional<Result<std::size_t>> got;  // set when filled
  };

  Result<std::size_t> read_into(Buffer& b);
  void run();  // the reading thread

  TraceReader& reader_;
  const std::size_t chunk_;
  Buffer buffers_[2];
  std::size_t next_ = 0;       // the buffer the caller takes next
  bool holding_ = false;       // the caller holds the other buffer (its last chunk)
  bool stop_ = false;          // set by the destructor
  bool ended_ = false;         // the caller saw the end of the trace
  std::optional<Error> error_; // the caller saw this error
  double read_seconds_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
};

}  // namespace wasmhop::sim
