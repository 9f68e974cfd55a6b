// A hostile script for tests/hostile: code that never ends, traps at the bottom of deep call
// chains, grabs all the memory it can, and exports that pose as other scripts with the wrong
// types. Built for every engine (wasm32 and native) from this one source. Hostile start-up code
// (_initialize, start functions) and unprovided imports are in guest/test/hostile_*.wat: a
// static constructor here would hit every instance of this module.
#include <cstdint>

#include <wasmhop/guest.hpp>

namespace {

volatile std::int32_t g_sink = 0;
volatile std::int32_t g_zero = 0;
volatile std::int32_t g_one = 1;  // 1 / x with a constant 1 would be folded into a select

// What happens at the bottom of a call chain.
enum Action : std::int32_t {
  spin = 0,         // loops forever (with a side effect each round: no UB, no "forward progress")
  unreachable = 1,  // unreachable instruction (ud2 natively)
  divide = 2,       // integer division by zero
  oob_load = 3,     // a load near the top of the 4 GiB address space
  overflow = 4,     // recurses without end (call stack exhausted)
};

[[noreturn]] void loop_forever() {
  for (;;) g_sink = g_sink + 1;
}

std::int32_t act(std::int32_t what);

// Each level does work after the call (the result feeds ^ and +), so the chain really is
// `depth` frames deep: no tail call, no accumulator loop.
__attribute__((noinline)) std::int32_t chain(std::int32_t depth, std::int32_t what) {
  if (depth <= 0) return act(what);
  return (chain(depth - 1, what) ^ depth) + 1;
}

std::int32_t act(std::int32_t what) {
  switch (what) {
    case spin: loop_forever();
    case unreachable: __builtin_trap();
    case divide: return g_one / g_zero;
    case oob_load: return *wasmhop::guest::at<volatile std::int32_t>(0xFFFFFFF0u);
    case overflow: return chain(1 << 30, overflow) + 1;
    default: return what;
  }
}

}  // namespace

// An infinite loop in the export itself ...
WASMHOP_EXPORT(std::int32_t, spin, ()) { loop_forever(); }
// ... and at the bottom of `depth` frames; other actions trap there instead.
WASMHOP_EXPORT(std::int32_t, deep, (std::int32_t depth, std::int32_t what)) { return chain(depth, what); }

// Proof of life: the instance still answers after a trap or a timeout, and keeps its globals.
namespace {
std::int32_t g_calls = 0;
}
WASMHOP_EXPORT(std::int32_t, ping, (std::int32_t x)) {
  ++g_calls;
  return x + 1;
}
WASMHOP_EXPORT(std::int32_t, calls, ()) { return g_calls; }

// Grows linear memory `step` pages at a time until the engine refuses, then in smaller steps to the
// last page; returns the page count reached (memory.grow answers -1 at the maximum: the module's,
// the engine's or the host's limit).
WASMHOP_EXPORT(std::int32_t, grow_to_max, (std::int32_t step)) {
  std::uint32_t n = step <= 0 ? 1u : static_cast<std::uint32_t>(step);
  // Halving the step at each refusal reaches the very last page in a few dozen grows.
  while (n > 0) {
    if (wasmhop::guest::memory_grow(n) < 0) n /= 2;
  }
  return static_cast<std::int32_t>(wasmhop::guest::memory_pages());
}
WASMHOP_EXPORT(std::int32_t, pages, ()) { return static_cast<std::int32_t>(wasmhop::guest::memory_pages()); }

// Touches one byte in every page of [from_page, memory end): the pages become real memory.
WASMHOP_EXPORT(std::int32_t, touch_pages, (std::int32_t from_page)) {
  const std::uint32_t end = wasmhop::guest::memory_pages();
  std::int32_t n = 0;
  for (std::uint32_t p = static_cast<std::uint32_t>(from_page); p < end; ++p, ++n) {
    *wasmhop::guest::at<volatile std::uint8_t>(p * 65536u) = 1;
  }
  return n;
}

// The host asks for a buffer of `size` bytes (the ABIs' alloc): null when the guest's allocator
// cannot get that much linear memory.
WASMHOP_EXPORT(std::int64_t, alloc, (std::int32_t size)) {
  void* p = wasmhop::guest::buffer_alloc(static_cast<std::uint32_t>(size));
  return p == nullptr ? 0 : wasmhop::guest::pack_ptr_len(wasmhop::guest::offset_of(p), static_cast<std::uint32_t>(size));
}

// Poses as the micro script / a policy script with the wrong types: the host must refuse these
// at lookup, before any call.
WASMHOP_EXPORT(double, mul_pair, (double a, double b)) { return a * b; }                // micro: (i32, i32) -> i32
WASMHOP_EXPORT(std::int32_t, init, (std::int32_t capacity)) { return capacity; }        // policy: (i64, i32, i32) -> i32
WASMHOP_EXPORT(std::int32_t, access_pair, (std::int64_t id)) { return static_cast<std::int32_t>(id); }  // (i64, i64) -> i32
WASMHOP_EXPORT(std::int64_t, static_buffer, (std::int32_t x)) { return x; }             // () -> i64
