// See wamr_watchdog.hpp.
#include "engines/wamr/wamr_watchdog.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace wasmhop::wamr {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Watchdog& Watchdog::get() {
  static Watchdog* w = new Watchdog;  // never destroyed: its detached thread may still wait
  return *w;
}

void Watchdog::watch(WamrInstance* i) {
  const std::lock_guard lock(mu_);
  if (i->watched) return;
  i->watched = true;
  watched_.push_back(i);
  if (!started_) {
    started_ = true;
    std::thread([this] { run(); }).detach();
  }
  cv_.notify_one();
}

void Watchdog::unwatch(WamrInstance* i) {
  const std::lock_guard lock(mu_);
  if (!i->watched) return;
  i->watched = false;
  watched_.erase(std::remove(watched_.begin(), watched_.end(), i), watched_.end());
}

void Watchdog::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (watched_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const std::int64_t now = now_ns();
    for (WamrInstance* i : watched_) {
      std::int64_t d = i->deadline_ns.load(std::memory_order_acquire);
      if (d != 0 && now >= d && i->deadline_ns.compare_exchange_strong(d, 0)) wasmhop_wamr_interrupt(i->env);
    }
    cv_.wait_for(lock, std::chrono::milliseconds(1));
  }
}

}  // namespace wasmhop::wamr
