// Trap-safe calls into machine code (wasm2c's output, native scripts, and V8's trap handler).
//
// A guarded call saves a jump target: on x86-64 with wasmhop_setjmp (fast_jump_x86_64.S: eight
// register stores), elsewhere with _setjmp. Neither saves the signal mask, so neither makes a
// system call (sigsetjmp(buf, 1), wabt's default, costs a sigprocmask per call); glibc's _setjmp
// still costs several ns per call here, hence the assembly. Traps reach it two ways:
//  - explicit traps (wasm2c's wasm_rt_trap: unreachable, divide by zero, ...) call raise_trap();
//  - hardware faults (guard-page hits, native ud2 / idiv) arrive in one process-wide signal
//    handler, installed with SA_NODEFER so that jumping out of it leaves the mask as it was.
// Faults that are not ours (no guarded call active, or an address outside any registered linear
// memory and not a stack overflow) go to the previously installed handler, so host crashes
// still crash.
//
// A TrapScope (wasmhop/trap_scope.hpp) is a guard without a jump buffer: while it is the innermost
// one, the engines' direct entries (Func::scoped_direct) call the guest with no guard, inside the
// caller's try block, and a trap throws TrapUnwind instead of jumping; the unwinder restores the
// callee-saved registers from the guest's unwind tables (generated C and native scripts keep
// them: -fasynchronous-unwind-tables), so a call saves nothing. Under a scope, a fault counts as a
// trap only when the faulting instruction lies in registered guest code (register_code_range), or
// for SIGSEGV/SIGBUS at an address inside a registered linear memory: the host's own loop runs
// under the scope too, and its faults stay crashes.
#pragma once

#include <csetjmp>
#include <csignal>
#include <cstddef>
#include <cstdint>

#include "wasmhop/result.hpp"
#include "wasmhop/trap_scope.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop::detail {

#if defined(__x86_64__)
extern "C" int wasmhop_setjmp(void* buf) __attribute__((returns_twice, nothrow));
extern "C" [[noreturn]] void wasmhop_longjmp(void* buf, int value) __attribute__((nothrow));
struct TrapFrame {
  void* buf[8];  // rbx rbp r12-r15 rsp rip
  TrapFrame* prev;
};
#define WASMHOP_TRAP_SETJMP(frame) ::wasmhop::detail::wasmhop_setjmp((frame).buf)
#define WASMHOP_TRAP_LONGJMP(frame, value) ::wasmhop::detail::wasmhop_longjmp((frame)->buf, value)
#else
struct TrapFrame {
  jmp_buf buf;
  TrapFrame* prev;
};
#define WASMHOP_TRAP_SETJMP(frame) _setjmp((frame).buf)
#define WASMHOP_TRAP_LONGJMP(frame, value) _longjmp((frame)->buf, value)
#endif

// t_trap_frame (declared in wasmhop/trap_scope.hpp) holds a TrapScope as its address | 1.
[[nodiscard]] inline bool is_scope(const TrapFrame* frame) noexcept {
  return (reinterpret_cast<std::uintptr_t>(frame) & 1u) != 0;
}

// Unwinds to the innermost guarded call on this thread, which returns `kind`: a jump to a per-call
// guard, or TrapUnwind thrown to the scoped call under a TrapScope. Never returns.
[[noreturn]] void raise_trap(TrapKind kind);

// Where t_trap_frame lives relative to the thread pointer (%fs:0 on x86-64): initial-exec TLS, so
// one offset for every thread. Machine code of ours outside libwasmhop (wasm2c objects, native
// scripts) links its own trap frames through it. 0 off x86-64: such code must not.
[[nodiscard]] std::intptr_t trap_frame_tls_offset() noexcept;

// Installs the signal handler (once per process) and an alternate signal stack for this thread
// (once per thread; a stack overflow needs one to run the handler). Call before guarded calls.
void prepare_thread_for_guarded_calls();

// Ranges (reservation including guard pages) where a fault is an out-of-bounds memory access.
[[nodiscard]] bool register_memory_region(const void* base, std::size_t length) noexcept;
void unregister_memory_region(const void* base) noexcept;

// Guest machine code: [begin, end), an executable segment of a loaded object (a wasm2c object, a
// native script: guest_object.hpp) whose faults (and explicit traps) count as traps under a
// TrapScope. `owner` names the object's ranges for unregister_code_ranges, called before the code
// is unmapped. False when the table is full (that code's faults then crash under a scope;
// per-call guarded calls are unaffected).
[[nodiscard]] bool register_code_range(const void* owner, std::uintptr_t begin, std::uintptr_t end) noexcept;
void unregister_code_ranges(const void* owner) noexcept;

// A handler for faults another engine can recover by itself (V8's wasm trap handler). Consulted
// first for SIGSEGV/SIGBUS; returning true means handled.
using ForeignTrapHandler = bool (*)(int sig, siginfo_t* info, void* ucontext);
void set_foreign_trap_handler(ForeignTrapHandler handler) noexcept;

// The common case as one flat function: machine code reached through a C function pointer.
// Engines store a GuardedTarget per export and use guarded_target_call as the export's
// PackedCallFn (ctx = the GuardedTarget): one indirect call, one jump-buffer save, one call.
struct GuardedTarget {
  void (*fn)(void* arg, void* io);  // e.g. a packed wrapper: unpacks io, calls, stores results
  void* arg;                        // e.g. the module instance
};
TrapKind guarded_target_call(void* target, RawVal* io) noexcept;

// Runs fn(); a trap inside it returns its kind instead of crashing. The instance that trapped
// stays usable: wasm semantics leave memory and globals as the trapped call left them.
template <class F>
[[nodiscard]] inline TrapKind guarded_call(F&& fn) noexcept {
  TrapFrame frame;
  frame.prev = t_trap_frame;
  if (const int code = WASMHOP_TRAP_SETJMP(frame); code != 0) [[unlikely]] {
    t_trap_frame = frame.prev;
    return static_cast<TrapKind>(code);
  }
  t_trap_frame = &frame;
  fn();
  t_trap_frame = frame.prev;
  return TrapKind::none;
}

}  // namespace wasmhop::detail
