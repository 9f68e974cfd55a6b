// Function handles: resolved and type-checked once, then called through one indirect call.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "wasmhop/result.hpp"
#include "wasmhop/trap_scope.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop {

class Instance;

// Every engine exposes each export through this convention: arguments in io[0..params),
// results written to io[0..results). Returns TrapKind::none, or the trap that ended the call
// (the engine has already unwound; the host carries on).
using PackedCallFn = TrapKind (*)(void* ctx, RawVal* io) noexcept;

// An engine may also offer an export of at most kDirectMaxParams parameters and one result as a
// direct entry: DirectResult (*)(void* ctx, uint64_t a0, ...), one uint64_t per parameter (i32
// and f32 bits in the low 4 bytes), the same call as `call` with the same ctx but no value passing
// through memory: arguments in registers, result and trap kind back in two (plugin_abi.h).
struct DirectResult {
  std::uint64_t value;  // the result's bits (i32, f32: the low 4); meaningful without a trap
  std::uint64_t trap;   // TrapKind (64 bits: no padding for the callee to preserve)
};
using DirectFn = void (*)();  // cast back to the DirectResult function of the parameter count
inline constexpr std::size_t kDirectMaxParams = 4;

// An engine may also offer a tail entry for such an export: std::uintptr_t (*)(void* ctx,
// uint64_t a0, ...), the direct entry's call, except that the result stays where the engine left
// it (Func::tail_slot) and the entry returns 0, or when the call trapped a nonzero word that
// Func::tail_trap turns into the trap kind. It can thus end in a tail call into the engine, which
// returns straight to the caller: one call and return fewer than a direct entry (plugin_abi.h).
using TailTrapFn = TrapKind (*)(void* ctx, std::uintptr_t status);

// An untyped handle to an export. Valid while its Instance lives.
struct Func {
  PackedCallFn call = nullptr;
  void* ctx = nullptr;                 // engine-owned, lives as long as the instance
  const FuncType* type = nullptr;      // the export's real signature
  const Instance* owner = nullptr;
  const char* name = "";               // export name (owned by the instance)
  DirectFn direct = nullptr;           // the direct entry, when the engine has one for this type
  // The direct entry is one of an engine with Capabilities::trap_scope: when a TrapScope is this
  // thread's innermost guard it enters the guest with no guard at all, and a trap unwinds through
  // it as detail::TrapUnwind (caught by the caller's call); otherwise it arms its own guard and
  // returns the trap kind as any direct entry does.
  bool scoped_direct = false;
  DirectFn tail = nullptr;           // the tail entry, when the engine has one for this type
  const void* tail_slot = nullptr;   // where it leaves the result (8 bytes; i32 and f32: the low 4)
  TailTrapFn tail_trap = nullptr;    // its nonzero word -> the trap kind

  [[nodiscard]] explicit operator bool() const noexcept { return call != nullptr; }
};

// Builds the error for a trapped call: kind trap, naming module and export. Out of line: cold.
[[nodiscard]] Error trap_error(const Func& f, TrapKind trap);

namespace detail {

// The failed Result of a trapped typed call, built out of line so that the caller's success path
// keeps its value in a register. The handle is taken by value: the copy is made on the cold path,
// so the caller's handle never has its address taken (an object holding handles, such as an ABI
// binding, then stays unaliased and its other fields stay in registers).
template <class R>
[[nodiscard, gnu::cold, gnu::noinline]] Result<R> trapped(Func f, TrapKind trap) {
  return tl::unexpected<Error>(trap_error(f, trap));
}

// The trap kind of a tail entry's nonzero word, out of line: cold. A kind of none would be the
// engine's mistake; it still ends the call as a trap, never as a result.
[[nodiscard, gnu::cold, gnu::noinline]] inline std::uint64_t tail_trap_kind(TailTrapFn trap_of, void* ctx,
                                                                           std::uintptr_t status) {
  const TrapKind k = trap_of(ctx, status);
  return static_cast<std::uint64_t>(k == TrapKind::none ? TrapKind::unknown : k);
}

template <class>
using DirectArg = std::uint64_t;

// A value as a direct entry's argument: i32 and f32 bits zero-extended, i64 and f64 bits whole.
template <class T>
[[nodiscard, gnu::always_inline]] inline std::uint64_t direct_arg(T v) noexcept {
  if constexpr (valtype_v<T> == ValType::i32) return static_cast<std::uint32_t>(v);
  else if constexpr (valtype_v<T> == ValType::i64) return static_cast<std::uint64_t>(v);
  else if constexpr (valtype_v<T> == ValType::f32) return std::bit_cast<std::uint32_t>(v);
  else return std::bit_cast<std::uint64_t>(v);
}

template <class T>
[[nodiscard, gnu::always_inline]] inline T direct_value(std::uint64_t bits) noexcept {
  if constexpr (valtype_v<T> == ValType::i32) return static_cast<T>(static_cast<std::uint32_t>(bits));
  else if constexpr (valtype_v<T> == ValType::i64) return static_cast<T>(bits);
  else if constexpr (valtype_v<T> == ValType::f32) return std::bit_cast<float>(static_cast<std::uint32_t>(bits));
  else return std::bit_cast<double>(bits);
}

// A call through a direct entry (call_direct: f's own). Under a TrapScope the trap of a
// scoped_direct entry unwinds to here and ends as its trap kind; every other entry returns its
// traps (the try costs nothing).
template <class... U>
[[nodiscard, gnu::always_inline]] inline DirectResult call_entry(DirectFn entry, void* ctx, U... a) noexcept {
  using Entry = DirectResult (*)(void*, U...);  // not noexcept: a trap may unwind through it
#if defined(__cpp_exceptions)
  try {
    return reinterpret_cast<Entry>(entry)(ctx, a...);
  } catch (const TrapUnwind& t) {
    return {0, static_cast<std::uint64_t>(t.kind)};
  }
#else
  return reinterpret_cast<Entry>(entry)(ctx, a...);  // only entries that never unwind (below)
#endif
}
template <class... U>
[[nodiscard, gnu::always_inline]] inline DirectResult call_direct(const Func& f, U... a) noexcept {
  return call_entry(f.direct, f.ctx, a...);
}

}  // namespace detail

template <class Sig>
class TypedFunc;

// A handle whose C++ signature was checked against the export's real type at lookup.
template <class R, class... A>
class TypedFunc<R(A...)> {
 public:
  TypedFunc() = default;
  explicit TypedFunc(Func f) noexcept : f_(f), direct_(f.tail != nullptr ? nullptr : f.direct) {}

  [[nodiscard, gnu::always_inline]] Result<R> operator()(A... args) const {
    // Every convention ends in one (bits, trap) pair and one place that builds the Result: with
    // several, the compiler merges them through the Result's memory and reads the value back.
    DirectResult r;
    // Code built without exceptions cannot catch a scoped_direct entry's unwinding: packed there.
    if (direct_possible && direct_ != nullptr && (detail::kScopedCalls || !f_.scoped_direct)) {
      r = detail::call_entry(direct_, f_.ctx, detail::direct_arg(args)...);
    } else if (direct_possible && f_.tail != nullptr) {
      // Out of line, after the direct entry's test: engines with direct entries keep the straight
      // path they had (one more test there cost native's 3.5 ns call a cycle), and the jumps
      // there and back cost a tail entry less than the call and return it saves (docs/engines.md).
      using Tail = std::uintptr_t (*)(void*, detail::DirectArg<A>...);
      const std::uintptr_t status = reinterpret_cast<Tail>(f_.tail)(f_.ctx, detail::direct_arg(args)...);
      r.trap = status == 0 ? 0 : detail::tail_trap_kind(f_.tail_trap, f_.ctx, status);
      if constexpr (!std::is_void_v<R>) r.value = detail::direct_arg(load_raw<R>(*static_cast<const RawVal*>(f_.tail_slot)));
    } else {
      constexpr std::size_t n = std::max<std::size_t>({1, sizeof...(A), std::is_void_v<R> ? 0 : 1});
      RawVal io[n];
      std::size_t i = 0;
      (store_raw(io[i++], args), ...);
      r.trap = static_cast<std::uint64_t>(f_.call(f_.ctx, io));
      // The result read with its own width: the engine may have stored only that much.
      if constexpr (!std::is_void_v<R>) r.value = detail::direct_arg(load_raw<R>(io[0]));
    }
    if (r.trap != 0) [[unlikely]] return detail::trapped<R>(f_, static_cast<TrapKind>(r.trap));
    if constexpr (std::is_void_v<R>) return {};
    else return detail::direct_value<R>(r.value);
  }

  [[nodiscard]] const Func& untyped() const noexcept { return f_; }
  [[nodiscard]] explicit operator bool() const noexcept { return static_cast<bool>(f_); }

 private:
  static constexpr bool direct_possible = sizeof...(A) <= kDirectMaxParams;
  Func f_{};
  DirectFn direct_ = nullptr;  // f_.direct, unless the export has a tail entry (then taken instead)
};

}  // namespace wasmhop
