// wabt-interp's call into the interpreter, without libwabt 1.0.32's swallowed "call stack
// exhausted" after call_indirect, and with time limits checked between instruction slices.
// Header-only and in an unnamed namespace: it is the hot path of every call (inlined into the
// packed call), and the explicit instantiations below then exist once per including file.
//
// libwabt 1.0.32 bug (src/interp/interp.cc, Thread::DoCall, its DefinedFunc branch; fixed upstream
// after 1.0.32 by WebAssembly/wabt PR #2464, 2024): when call_indirect to a wasm function finds
// the frame vector full, Thread::PushCall stores the "call stack exhausted" trap in *out_trap and
// returns RunResult::Trap, and DoCall returns RunResult::Ok anyway (the direct `call` opcode
// checks the same PushCall result correctly). So the interpreter goes on after a call_indirect
// that never happened: the callee's arguments stay on the value stack in place of its results
// and the caller computes with them (a C++ guest recursing through a function pointer 1700 deep
// returned 1443959 for sum(1..1700) = 1445850; a void one ran the code after the call in every
// frame and returned normally), and with a callee whose results outnumber its parameters the
// value stack underflows (Debian's libwabt.a keeps its assertions: Thread::PopValues aborts the
// process). Func::Call reports success with a trap set beside it, which is why wabt's
// spectest-interp, which looks at the trap pointer, passes assert_exhaustion. In Debian's
// libwabt.a (interp.cc.o, Thread::DoCall at 0x6180) the DefinedFunc branch calls PushCall at
// 0x632c and jumps to the `return Ok` at 0x62fb whatever it returned.
//
// The workaround (guarded_call): a Thread::Run(n) slice of n instructions pushes at most n frames
// (only call and call_indirect push one; return_call_indirect pops first), so a slice of
// (capacity - depth) instructions cannot reach a full frame vector before its last instruction
// has run. Only at a full vector does the loop run single instructions, and a trap set after one
// that returned Ok is the swallowed one: the call fails there, before any instruction after the
// call_indirect has run, and the Thread is replaced as after any trap. Starting a call this way
// needs Thread::PushValues, PushCall and PopValues and the frame vector, all private in 1.0.32;
// they are reached through explicit template instantiation (which skips access checking), typed
// exactly, so a libwabt with other members or signatures fails to compile rather than misbehave.
//
// Time limits (InstanceOptions::call_timeout): checked in the same slice loop, between slices
// (Thread::Run(n) returns between instructions). The deadline is computed when a call outlasts its
// first slice, so calls that end within it (nearly all: a Pair call is a few dozen instructions)
// pay only for passing the limit along; a long call with a limit reads the clock once per slice
// (up to 1637 instructions). A call past its deadline returns TrapKind::timeout and the Thread is
// replaced, as after a trap. Start functions run under the instance's limit too. (callgrind, Pair
// call without a limit: 1175 -> 1162 instructions per call, i.e. no cost.)
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include <wabt/interp/interp.h>

namespace wasmhop::wabt_interp {
namespace {

namespace wi = ::wabt::interp;

// ---- Private members of interp::Thread (see the header comment) ----
// Explicit instantiation definitions are exempt from access checking ([temp.spec.general]); the
// friend defined in the instantiated class hands the member pointer out. Each tag names the exact
// member type, so overloads are chosen and changes in libwabt are compile errors.
template <typename Tag, typename Tag::type Member>
struct ExposeMember {
  friend typename Tag::type member(Tag) { return Member; }
};
struct ThreadFrames {
  using type = std::vector<wi::Frame> wi::Thread::*;
  friend type member(ThreadFrames);
};
struct ThreadPushValues {
  using type = void (wi::Thread::*)(const wi::ValueTypes&, const wi::Values&);
  friend type member(ThreadPushValues);
};
struct ThreadPushCall {
  using type = wi::RunResult (wi::Thread::*)(const wi::DefinedFunc&, wi::Trap::Ptr*);
  friend type member(ThreadPushCall);
};
struct ThreadPopValues {
  using type = void (wi::Thread::*)(const wi::ValueTypes&, wi::Values*);
  friend type member(ThreadPopValues);
};
template struct ExposeMember<ThreadFrames, &wi::Thread::frames_>;
template struct ExposeMember<ThreadPushValues, &wi::Thread::PushValues>;
template struct ExposeMember<ThreadPushCall, &wi::Thread::PushCall>;
template struct ExposeMember<ThreadPopValues, &wi::Thread::PopValues>;

// The frame limit of a Thread: PushCall traps at size() == capacity() and nothing else grows the
// vector, so it is the capacity the constructor reserved (Thread::Options::kDefaultCallStackSize).
std::size_t call_stack_limit(wi::Thread& thread) noexcept {
  return (thread.*member(ThreadFrames{})).capacity();
}

// The rest of a call that outlasted its first slice: slices that cannot fill the frame vector
// before their last instruction (after j instructions the depth is at most depth + j, so the
// (limit - depth)th still finds room for a frame), single instructions while it is full. A trap
// set beside an Ok result is libwabt's swallowed one, caught before the next instruction.
// With a time limit (timeout > 0), the clock is read between slices; past the deadline the call
// stops with *timed_out set.
[[gnu::noinline]] wi::RunResult run_guarded_slices(wi::Thread& thread, std::size_t limit,
                                                   wi::Trap::Ptr* out_trap, std::chrono::nanoseconds timeout,
                                                   bool* timed_out) {
  using Clock = std::chrono::steady_clock;
  const std::vector<wi::Frame>& frames = thread.*member(ThreadFrames{});
  const bool timed = timeout.count() > 0;
  const Clock::time_point deadline = timed ? Clock::now() + timeout : Clock::time_point::max();
  for (;;) {
    if (*out_trap) return wi::RunResult::Trap;
    if (timed && Clock::now() >= deadline) [[unlikely]] {
      *timed_out = true;
      return wi::RunResult::Trap;
    }
    const std::size_t depth = frames.size();  // >= 1 while the call runs
    const int slice = depth < limit ? static_cast<int>(limit - depth) : 1;
    const wi::RunResult r = thread.Run(slice, out_trap);
    if (r != wi::RunResult::Ok) return r;
  }
}

// DefinedFunc::DoCall(thread, params, results, out_trap) without libwabt's swallowed
// "call stack exhausted" (header comment). The Thread must be idle (no frames: between calls, or
// fresh after a trap), `limit` its call_stack_limit, *out_trap null. On failure the Thread holds
// the trapped frames and must be replaced.
// `timeout` > 0: stop past it (*timed_out set, the Thread must be replaced as after a trap).
wabt::Result guarded_call(wi::Thread& thread, std::size_t limit, const wi::DefinedFunc& func,
                          const wi::Values& params, wi::Values& results, wi::Trap::Ptr* out_trap,
                          std::chrono::nanoseconds timeout, bool* timed_out) {
  const wi::FuncType& type = func.type();
  (thread.*member(ThreadPushValues{}))(type.params, params);
  if ((thread.*member(ThreadPushCall{}))(func, out_trap) == wi::RunResult::Trap) [[unlikely]] {
    return wabt::Result::Error;
  }
  // This frame is the only one (depth 1): limit - 1 instructions cannot fill the vector.
  wi::RunResult r = thread.Run(static_cast<int>(limit - 1), out_trap);
  if (r == wi::RunResult::Ok) [[unlikely]] r = run_guarded_slices(thread, limit, out_trap, timeout, timed_out);
  if (r != wi::RunResult::Return) [[unlikely]] {
    if (r == wi::RunResult::Exception) {
      // As DefinedFunc::DoCall reports it.
      *out_trap = wi::Trap::New(thread.store(), "uncaught exception");
    }
    return wabt::Result::Error;
  }
  (thread.*member(ThreadPopValues{}))(type.results, &results);
  return wabt::Result::Ok;
}

}  // namespace
}  // namespace wasmhop::wabt_interp
