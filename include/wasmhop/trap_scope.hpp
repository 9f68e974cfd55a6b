// Trap scopes: arm the trap guard once for many guest calls.
//
//   const wasmhop::TrapScope scope(*instance);
//   for (...) {
//     auto r = f(a, b);        // every call still returns its own Result
//     if (!r) ...              // a trap: ErrorKind::trap, this call's export named, as outside
//   }
//
// Engines whose machine code the host itself guards against traps (Capabilities::trap_scope:
// wasm2c, native) save a jump target before every call made outside a scope. Inside a scope,
// typed calls on this thread (TypedFunc, call_by_name, Instance::call with at most
// kDirectMaxParams arguments and one result) enter the guest directly: a trap unwinds the guest's
// frames to the very call that entered the guest, which returns the trap Error. What a trap
// leaves behind is what it leaves outside a scope: the instance stays usable (its stack pointer
// is reset, memory and globals stay as the trapped call left them), the scope stays armed and
// the next call runs normally. On other engines (they turn traps into return codes themselves)
// a scope arms nothing and costs nothing.
//
// Rules: a scope belongs to the thread that made it and covers the calls that thread makes while
// it lives (calls into any instance of a trap_scope engine); scopes nest (the innermost guard
// wins: a call made by a host function inside a per-call guarded call is per-call guarded again);
// make it a local variable, so that scopes end in reverse order. Inside a scope, a fault in the
// host's own code that the guard would take for a trap (a write into a guest's linear memory
// region past its end) is not a trap of any call: the process ends, as it would without a scope.
#pragma once

#include <cstdint>

#include "wasmhop/result.hpp"

namespace wasmhop {

class Instance;

namespace detail {

struct TrapFrame;  // a per-call guard's jump buffer (src/engines/common/trap_guard.hpp)

// The calling thread's innermost trap guard: a per-call TrapFrame, a TrapScope (its address with
// the low bit set), or null. constinit: no dynamic initialisation, so no TLS wrapper call.
extern constinit thread_local TrapFrame* t_trap_frame __attribute__((tls_model("initial-exec")));

[[nodiscard, gnu::always_inline]] inline bool in_trap_scope() noexcept {
  return (reinterpret_cast<std::uintptr_t>(t_trap_frame) & 1u) != 0;
}

// What a trap inside a scope unwinds the guest's frames with. Caught by the typed call that
// entered the guest; never leaves wasmhop.
struct TrapUnwind {
  TrapKind kind;
};

// Unguarded calls under a scope need C++ exceptions in the caller's code (a trap unwinds to its catch);
// code built without them takes the per-call guarded path (TypedFunc: packed).
#if defined(__cpp_exceptions)
inline constexpr bool kScopedCalls = true;
#else
inline constexpr bool kScopedCalls = false;
#endif

}  // namespace detail

class TrapScope {
 public:
  // Arms the guard for this thread when `instance`'s engine has Capabilities::trap_scope;
  // otherwise does nothing.
  explicit TrapScope(const Instance& instance) noexcept;
  ~TrapScope();
  TrapScope(const TrapScope&) = delete;
  TrapScope& operator=(const TrapScope&) = delete;

  // Whether this scope armed the guard (false on engines that do not need one).
  [[nodiscard]] bool armed() const noexcept { return armed_; }

 private:
  detail::TrapFrame* prev_ = nullptr;  // the guard that was innermost before this scope
  bool armed_ = false;
};

}  // namespace wasmhop
