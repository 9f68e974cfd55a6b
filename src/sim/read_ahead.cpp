#include "sim/read_ahead.hpp"

#include <chrono>
#include <new>
#include <system_error>

namespace wasmhop::sim {

ReadAhead::ReadAhead(TraceReader& reader, std::size_t chunk_records, bool threaded)
    : reader_(reader), chunk_(chunk_records == 0 ? 1 : chunk_records) {
  if (!threaded) return;
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error&) {
    // No thread to be had: the caller's thread reads, as without a free processor.
  }
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<std::size_t> ReadAhead::read_into(Buffer& b) {
  b.records.clear();
  const auto start = std::chrono::steady_clock::now();
  Result<std::size_t> got = 0;
  try {  // on the reading thread an escaping exception would end the process
    got = reader_.read(b.records, chunk_);
  } catch (const std::bad_alloc&) {
    got = fail(ErrorKind::resource_limit, "out of memory while reading the trace");
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::lock_guard lock(mutex_);
  read_seconds_ += s;
  return got;
}

// Fills the buffers in turn, each once the caller has given it back, until the end, an error or stop.
void ReadAhead::run() {
  for (std::size_t i = 0;; i ^= 1) {
    Buffer& b = buffers_[i];
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || !b.got.has_value(); });
      if (stop_) return;
    }
    auto got = read_into(b);
    const bool last = !got || *got == 0;
    {
      std::lock_guard lock(mutex_);
      b.got = std::move(got);
    }
    changed_.notify_all();
    if (last) return;
  }
}

Result<std::span<const Request>> ReadAhead::next() {
  if (error_) return tl::unexpected(*error_);
  if (ended_) return std::span<const Request>{};
  Buffer* b = &buffers_[0];
  Result<std::size_t> got = 0;
  if (!thread_.joinable()) {
    got = read_into(*b);
  } else {
    b = &buffers_[next_];
    std::unique_lock lock(mutex_);
    if (holding_) {  // the caller is done with its last chunk: the reader may fill it again
      buffers_[next_ ^ 1].got.reset();
      holding_ = false;
      changed_.notify_all();
    }
    changed_.wait(lock, [&] { return b->got.has_value(); });
    got = std::move(*b->got);
    holding_ = true;
    next_ ^= 1;
  }
  if (!got) {
    error_ = got.error();
    return tl::unexpected(*error_);
  }
  if (*got == 0) {
    ended_ = true;
    return std::span<const Request>{};
  }
  return std::span<const Request>(b->records.data(), *got);
}

double ReadAhead::read_seconds() const {
  std::lock_guard lock(mutex_);
  return read_seconds_;
}

}  // namespace wasmhop::sim
