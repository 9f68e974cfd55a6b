// Trap-safe calls into machine code (wasm2c's output, native scripts, and V8's trap handler).
//
// A guarded call saves a jump target with _setjmp — registers only, no signal mask, so no system
// call (sigsetjmp(buf, 1), wabt's default, costs a sigprocmask per call). Traps reach it two ways:
//  - explicit traps (wasm2c's wasm_rt_trap: unreachable, divide by zero, ...) call raise_trap();
//  - hardware faults (guard-page hits, native ud2 / idiv) arrive in one process-wide signal
//    handler, installed with SA_NODEFER so that jumping out of it leaves the mask as it was.
// Faults that are not ours (no guarded call active, or an address outside any registered linear
// memory and not a stack overflow) go to the previously installed handler, so host crashes
// still crash.
#pragma once

#include <csetjmp>
#include <csignal>
#include <cstddef>

#include "wasmhop/result.hpp"

namespace wasmhop::detail {

struct TrapFrame {
  jmp_buf buf;
  TrapFrame* prev;
};

extern thread_local TrapFrame* t_trap_frame __attribute__((tls_model("initial-exec")));

// Unwinds to the innermost guarded call on this thread, which returns `kind`.
[[noreturn]] void raise_trap(TrapKind kind) noexcept;

// Installs the signal handler (once per process) and an alternate signal stack for this thread
// (once per thread; a stack overflow needs one to run the handler). Call before guarded calls.
void prepare_thread_for_guarded_calls();

// Ranges (reservation including guard pages) where a fault is an out-of-bounds memory access.
[[nodiscard]] bool register_memory_region(const void* base, std::size_t length) noexcept;
void unregister_memory_region(const void* base) noexcept;

// A handler for faults another engine can recover by itself (V8's wasm trap handler). Consulted
// first for SIGSEGV/SIGBUS; returning true means handled.
using ForeignTrapHandler = bool (*)(int sig, siginfo_t* info, void* ucontext);
void set_foreign_trap_handler(ForeignTrapHandler handler) noexcept;

// Runs fn(); a trap inside it returns its kind instead of crashing. The instance that trapped
// stays usable: wasm semantics leave memory and globals as the trapped call left them.
template <class F>
[[nodiscard]] inline TrapKind guarded_call(F&& fn) noexcept {
  TrapFrame frame;
  frame.prev = t_trap_frame;
  if (const int code = _setjmp(frame.buf); code != 0) [[unlikely]] {
    t_trap_frame = frame.prev;
    return static_cast<TrapKind>(code);
  }
  t_trap_frame = &frame;
  fn();
  t_trap_frame = frame.prev;
  return TrapKind::none;
}

}  // namespace wasmhop::detail
