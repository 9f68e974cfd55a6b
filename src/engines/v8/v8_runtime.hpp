// The process's one V8: platform, isolate and context, shared by the v8 engines and by the raw
// benchmark (bench/engines/raw_v8.cpp). V8's flags, and with them the compiler tier, are
// process-global, so the first tier to start V8 is the only one this process can run.
//
// Threading: V8 runs on the thread that started it (its isolate and context stay entered there).
// Calls from any other thread fail cleanly instead of corrupting the isolate; running V8 on
// several threads would need a v8::Locker around every call.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <v8.h>

#include "engines/factories.hpp"
#include "engines/v8/v8_introspection.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::v8engine {

[[nodiscard]] const char* tier_name(V8Tier tier) noexcept;    // "dynamic", "baseline", "optimizing"
[[nodiscard]] const char* engine_id(V8Tier tier) noexcept;    // "v8", "v8-liftoff", "v8-turbofan"
[[nodiscard]] const char* tier_flags(V8Tier tier) noexcept;   // V8 command-line flags of the tier

// A Local that refers to a Global's own slot: no handle is created (the same idea as Node's
// PersistentToLocal::Strong). Valid while the Global is set; needs no HandleScope.
template <class T>
[[nodiscard]] inline v8::Local<T> strong(const v8::Global<T>& g) noexcept {
  static_assert(sizeof(v8::Local<T>) == sizeof(v8::Global<T>));
  return *reinterpret_cast<const v8::Local<T>*>(&g);
}

// Stops a call at its deadline: a thread that sleeps until the deadline of the armed call and then
// calls Isolate::TerminateExecution, the one V8 call that is safe from another thread. V8's wasm
// code checks for that interrupt at function entries and loop back-edges, so a loop stops within
// microseconds. Only timed calls use it (InstanceOptions::call_timeout); the thread starts on the
// first one. Per timed call: a clock read and two uncontended mutex round trips; the thread is
// woken only when a deadline comes sooner than the one it sleeps towards (or it sleeps idle).
class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Watchdog(v8::Isolate* isolate);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Arms for one call on V8's thread (calls do not nest: no host functions call back).
  void arm(Clock::time_point deadline);
  // Ends the armed call. True when the watchdog terminated execution during it: the termination
  // is cancelled here (Isolate::CancelTerminateExecution), so the isolate runs scripts again. Once
  // this returns, the watchdog cannot fire for the call any more.
  [[nodiscard]] bool disarm();

 private:
  void run();

  v8::Isolate* isolate_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool armed_ = false;
  bool fired_ = false;
  bool stop_ = false;
  Clock::time_point deadline_{};
  Clock::time_point sleeping_until_ = Clock::time_point::max();
  std::thread thread_;
};

class Runtime {
 public:
  // Starts V8 with `tier`'s flags on first use (plus WASMHOP_V8_FLAGS from the environment, for
  // experiments). engine_unavailable when another tier already runs in this process, when V8
  // failed to start, or when called from a thread other than V8's.
  [[nodiscard]] static Result<Runtime*> acquire(V8Tier tier);

  // The active runtime of this thread (null on threads other than V8's, or before start).
  [[nodiscard]] static Runtime* current() noexcept { return t_current; }

  [[nodiscard]] V8Tier tier() const noexcept { return tier_; }
  [[nodiscard]] v8::Isolate* isolate() const noexcept { return isolate_; }
  [[nodiscard]] v8::Local<v8::Context> context() const noexcept { return strong(context_); }
  [[nodiscard]] v8::Local<v8::Function> instance_constructor() const noexcept { return strong(instance_ctor_); }
  [[nodiscard]] v8::Local<v8::String> exports_string() const noexcept { return strong(exports_str_); }
  [[nodiscard]] v8::Local<v8::String> buffer_string() const noexcept { return strong(buffer_str_); }

  // The text of the last exception that left a call made without a v8::TryCatch ("RuntimeError:
  // divide by zero"), captured by a message listener; taking it clears it. Hot calls use no
  // TryCatch (it costs ~14 ns per call here) and learn what went wrong from this instead. (A
  // host's own v8::TryCatch around a wasmhop call catches the exception first: the trap kind is
  // then `unknown`.)
  [[nodiscard]] std::string take_uncaught_message();

  // Runs pending foreground tasks of V8's platform (cheap; call at cold points).
  void pump_message_loop();

  // The watchdog of timed calls (started on first use).
  [[nodiscard]] Watchdog& watchdog();

 private:
  Runtime() = default;
  // Enters isolate_ and a new context on this thread for good, below a HandleScope that is never
  // closed, and keeps what instantiation uses (WebAssembly.Instance, "exports", "buffer"); false
  // when this V8 has no WebAssembly.Instance.
  [[nodiscard]] bool enter();
  static void on_message(v8::Local<v8::Message> message, v8::Local<v8::Value> error);

  static constinit thread_local Runtime* t_current __attribute__((tls_model("initial-exec")));

  V8Tier tier_ = V8Tier::dynamic;
  v8::Isolate* isolate_ = nullptr;
  v8::Global<v8::Context> context_;
  v8::Global<v8::Function> instance_ctor_;
  v8::Global<v8::String> exports_str_;
  v8::Global<v8::String> buffer_str_;
  std::string uncaught_;
  std::unique_ptr<Watchdog> watchdog_;
};

// The exception text ("RuntimeError: unreachable", "RangeError: Maximum call stack size
// exceeded") as a trap kind: host_error when it is not a WebAssembly trap.
[[nodiscard]] TrapKind classify_exception(std::string_view message) noexcept;

// The text of a caught exception (its message, or its string value), "Uncaught " removed.
[[nodiscard]] std::string exception_text(v8::Isolate* isolate, const v8::TryCatch& tc);

}  // namespace wasmhop::v8engine
