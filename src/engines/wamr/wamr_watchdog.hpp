// Call time limits on WAMR: one watchdog thread (started by the first limit) sets the exec env's
// terminate flag once a limited call passes its deadline; calls without a limit only read one word.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "engines/wamr/wamr_instance.hpp"

namespace wasmhop::wamr {

std::int64_t now_ns();

// One thread for every instance that has a limit; polls every millisecond while any does.
class Watchdog {
 public:
  static Watchdog& get();
  void watch(WamrInstance* i);
  void unwatch(WamrInstance* i);
  // After the watchdog claimed a call: wait until it has set the flag (it does so under mu_).
  void settle() { const std::lock_guard lock(mu_); }

 private:
  void run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<WamrInstance*> watched_;
  bool started_ = false;
};

}  // namespace wasmhop::wamr
