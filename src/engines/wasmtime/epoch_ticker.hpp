// The watchdog behind call time limits: one thread per engine that advances Wasmtime's epoch every
// tick while at least one instance has a limit, and sleeps otherwise (no thread at all until the
// first limit). A call with a limit sets its store's deadline to `ticks_for(limit)` epochs ahead;
// Wasmtime's generated code checks the epoch at function entries and loop headers and traps with
// WASMTIME_TRAP_CODE_INTERRUPT once it passes the deadline.
#pragma once

#include <wasmtime.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace wasmhop::wasmtime_plugin {

class EpochTicker {
 public:
  static constexpr std::chrono::nanoseconds kTick = std::chrono::milliseconds(1);

  explicit EpochTicker(const wasm_engine_t* engine) : engine_(engine) {}
  EpochTicker(const EpochTicker&) = delete;
  EpochTicker& operator=(const EpochTicker&) = delete;
  ~EpochTicker() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Epochs that must pass before a deadline this far away: the first tick may come at once, so
  // one more than the limit holds (a call is stopped at the limit or up to a tick later).
  static std::uint64_t ticks_for(std::chrono::nanoseconds limit) {
    const auto n = (limit.count() + kTick.count() - 1) / kTick.count();
    return static_cast<std::uint64_t>(n) + 1;
  }

  // An instance starts / stops needing the epoch to advance.
  void acquire() {
    std::lock_guard lock(mutex_);
    if (users_++ == 0) {
      if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
      wake_.notify_all();
    }
  }
  void release() {
    std::lock_guard lock(mutex_);
    if (users_ > 0) --users_;
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      if (users_ == 0) {
        wake_.wait(lock, [&] { return stop_ || users_ > 0; });
        continue;
      }
      if (wake_.wait_for(lock, kTick, [&] { return stop_; })) break;
      wasmtime_engine_increment_epoch(engine_);
    }
  }

  const wasm_engine_t* engine_;
  std::mutex mutex_;
  std::condition_variable wake_;
  int users_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace wasmhop::wasmtime_plugin
