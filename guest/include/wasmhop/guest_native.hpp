// Native build of a guest: each WASMHOP_EXPORT registers its name, its wasm-style signature and
// a thunk with the host's packed calling convention (args in io[0..n), results to io[0..m)).
// The host's native engine reads the table through wasmhop_native_module_info().
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

extern "C" {

// Same layout as the host's wasmhop::RawVal.
union wasmhop_native_val {
  std::int32_t i32;
  std::int64_t i64;
  float f32;
  double f64;
  std::uint64_t bits;
};

// (instance, io): the instance argument is unused natively (one instance per loaded copy) but
// keeps the shape of the host's guarded call target.
typedef void (*wasmhop_native_thunk)(void* instance, void* io);

// The direct entry of an export of at most 4 parameters and 1 result (x86-64; the host's
// Func::direct with scoped_direct): wasmhop_native_direct_result (*)(void* instance, uint64_t a0,
// ...), one uint64_t per parameter (i32 and f32 bits in the low 4 bytes), the result's bits and
// the trap back in two registers. Under the host's TrapScope (its innermost trap frame tagged
// with bit 0) it calls the export with no guard and a fault unwinds through it; otherwise it arms
// a trap frame itself (wasmhop_native_guarded_direct) and returns the trap kind.
struct wasmhop_native_direct_result {
  std::uint64_t value;
  std::uint64_t trap;
};
typedef void (*wasmhop_native_direct)(void);

struct wasmhop_native_export_entry {
  const char* name;
  const char* params;   // one letter per value type: i=i32 I=i64 f=f32 F=f64
  const char* results;
  wasmhop_native_thunk thunk;
  wasmhop_native_direct direct;  // null off x86-64 and with more than 4 parameters
};

// A host function the script imports (WASMHOP_IMPORT), in registration order.
struct wasmhop_native_import_entry {
  const char* module;
  const char* field;
  const char* params;  // as in wasmhop_native_export_entry
  const char* results;
};

// The host's binding of one import (the host's wasmhop::BoundImport call and ctx): returns 0, or
// non-zero when the host function failed (the script then traps through `trap`).
struct wasmhop_native_import_binding {
  std::uint8_t (*call)(void* ctx, const void* caller, wasmhop_native_val* io);
  void* ctx;
};

// What the host gives a loaded native script: its linear memory (an arena with guard pages) and
// the bindings of its imports.
struct wasmhop_native_host {
  std::uint32_t abi_version;
  std::uint8_t* memory_base;
  // Grows the arena by `pages`; returns the old page count or -1. Never moves the base.
  std::int32_t (*memory_grow)(void* host_ctx, std::uint32_t pages);
  std::uint32_t (*memory_pages)(void* host_ctx);
  void* host_ctx;
  const wasmhop_native_import_binding* imports;  // import_count of them, in registration order
  std::uint32_t import_count;
  const void* caller;                            // passed to every binding (the host's CallerView)
  // Ends the running export call with a trap (a host function failed). Does not return.
  void (*trap)(void* host_ctx, std::uint8_t trap_kind);
  // Where the host's current trap frame pointer lives relative to the thread pointer (%fs:0; an
  // initial-exec thread-local, the same offset in every thread). 0: direct entries unused.
  std::intptr_t trap_frame_tls_offset;
};

struct wasmhop_native_module_desc {
  std::uint32_t abi_version;
  std::uint32_t export_count;
  const wasmhop_native_export_entry* exports;
  std::uint32_t import_count;
  const wasmhop_native_import_entry* imports;
};
}

#define WASMHOP_NATIVE_ABI_VERSION 3u

namespace wasmhop::guest {

void register_native_export(const wasmhop_native_export_entry& e) noexcept;
// A direct entry's body with four uint64_t arguments whatever its arity (the guard passes four).
using native_body4 = wasmhop_native_direct_result (*)(std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t);

#if defined(__x86_64__)
// The per-call guard of a direct entry (native_support.cpp, assembly): arms a trap frame as the
// host's guarded calls do, calls body(a0, a1, a2, a3), returns its result, or {0, TrapKind} when a
// trap jumped back to it.
extern "C" __attribute__((visibility("hidden"))) wasmhop_native_direct_result wasmhop_native_guarded_direct(
    native_body4 body, std::uint64_t a0, std::uint64_t a1, std::uint64_t a2, std::uint64_t a3);
#endif

// Registers an import; returns its index in the host's bindings.
std::uint32_t register_native_import(const wasmhop_native_import_entry& e) noexcept;
// Calls import `index` with io; traps (does not return) when the host function failed.
void call_native_import(std::uint32_t index, wasmhop_native_val* io) noexcept;

template <class T>
constexpr char native_code() {
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_same_v<U, std::int32_t> || std::is_same_v<U, std::uint32_t>) return 'i';
  else if constexpr (std::is_same_v<U, std::int64_t> || std::is_same_v<U, std::uint64_t>) return 'I';
  else if constexpr (std::is_same_v<U, float>) return 'f';
  else if constexpr (std::is_same_v<U, double>) return 'F';
  else static_assert(sizeof(T) == 0, "exports take and return i32/i64/f32/f64 scalars only");
}

template <class T>
inline T native_get(const wasmhop_native_val& v) noexcept {
  constexpr char c = native_code<T>();
  if constexpr (c == 'i') return static_cast<T>(v.i32);
  else if constexpr (c == 'I') return static_cast<T>(v.i64);
  else if constexpr (c == 'f') return v.f32;
  else return v.f64;
}

template <class T>
inline void native_set(wasmhop_native_val& v, T x) noexcept {
  constexpr char c = native_code<T>();
  if constexpr (c == 'i') v.i32 = static_cast<std::int32_t>(x);
  else if constexpr (c == 'I') v.i64 = static_cast<std::int64_t>(x);
  else if constexpr (c == 'f') v.f32 = x;
  else v.f64 = x;
}

// A direct entry's argument bits as T, and a result as bits (i32, f32: the low 4 bytes).
template <class T>
inline T native_from_bits(std::uint64_t a) noexcept {
  constexpr char c = native_code<T>();
  if constexpr (c == 'i') return static_cast<T>(static_cast<std::uint32_t>(a));
  else if constexpr (c == 'I') return static_cast<T>(a);
  else if constexpr (c == 'f') return __builtin_bit_cast(float, static_cast<std::uint32_t>(a));
  else return __builtin_bit_cast(double, a);
}

template <class T>
inline std::uint64_t native_to_bits(T v) noexcept {
  constexpr char c = native_code<T>();
  if constexpr (c == 'i') return static_cast<std::uint32_t>(v);
  else if constexpr (c == 'I') return static_cast<std::uint64_t>(v);
  else if constexpr (c == 'f') return __builtin_bit_cast(std::uint32_t, v);
  else return __builtin_bit_cast(std::uint64_t, v);
}

template <class>
using native_bits = std::uint64_t;

#if defined(__x86_64__)
// The host's trap_frame_tls_offset (native_support.cpp).
extern "C" __attribute__((visibility("hidden"))) std::intptr_t wasmhop_native_frame_offset;

// Whether the host's innermost trap frame is a TrapScope.
[[gnu::always_inline]] inline bool native_in_trap_scope() noexcept {
  std::uintptr_t frame;
  __asm__ volatile("movq %%fs:(%1), %0" : "=r"(frame) : "r"(wasmhop_native_frame_offset));
  return (frame & 1u) != 0;
}
#endif

template <auto F>
struct native_export;

template <class R, class... A, R (*F)(A...)>
struct native_export<F> {
  static constexpr char params[] = {native_code<A>()..., '\0'};
  static constexpr char results[] = {[] {
                                       if constexpr (std::is_void_v<R>) return '\0';
                                       else return native_code<R>();
                                     }(),
                                     '\0'};

  static void thunk(void*, void* io) noexcept {
    call(static_cast<wasmhop_native_val*>(io), std::index_sequence_for<A...>{});
  }

  template <std::size_t... I>
  static void call(wasmhop_native_val* io, std::index_sequence<I...>) noexcept {
    if constexpr (std::is_void_v<R>) F(native_get<A>(io[I])...);
    else native_set<R>(io[0], F(native_get<A>(io[I])...));
  }

  // Not noexcept: under the host's TrapScope a fault unwinds through these.
  static wasmhop_native_direct_result body(native_bits<A>... a) {
    if constexpr (std::is_void_v<R>) {
      F(native_from_bits<A>(a)...);
      return {0, 0};
    } else {
      return {native_to_bits<R>(F(native_from_bits<A>(a)...)), 0};
    }
  }

  template <std::size_t... I>
  static wasmhop_native_direct_result body4_of(const std::uint64_t (&v)[4], std::index_sequence<I...>) {
    return body(v[I]...);
  }
  static wasmhop_native_direct_result body4(std::uint64_t a0, std::uint64_t a1, std::uint64_t a2, std::uint64_t a3) {
    const std::uint64_t v[4] = {a0, a1, a2, a3};
    return body4_of(v, std::index_sequence_for<A...>{});
  }

#if defined(__x86_64__)
  static wasmhop_native_direct_result direct(void*, native_bits<A>... a) {
    if (__builtin_expect(native_in_trap_scope(), 1)) return body(a...);
    std::uint64_t v[4] = {};
    std::size_t i = 0;
    ((v[i++] = a), ...);
    return wasmhop_native_guarded_direct(&body4, v[0], v[1], v[2], v[3]);
  }
#endif

  explicit native_export(const char* name) noexcept {
    wasmhop_native_direct d = nullptr;
#if defined(__x86_64__)
    if constexpr (sizeof...(A) <= 4) d = reinterpret_cast<wasmhop_native_direct>(&direct);
#endif
    register_native_export({name, params, results, &thunk, d});
  }
};

template <class Sig>
class native_import;

// The native stand-in for an imported function: packs the arguments into the host's slots.
template <class R, class... A>
class native_import<R(A...)> {
 public:
  native_import(const char* module, const char* field) noexcept
      : index_(register_native_import({module, field, params, results})) {}

  R operator()(A... args) const noexcept {
    constexpr std::size_t n = sizeof...(A) > 0 ? sizeof...(A) : 1;
    wasmhop_native_val io[n];
    std::size_t i = 0;
    (native_set<A>(io[i++], args), ...);
    call_native_import(index_, io);
    if constexpr (!std::is_void_v<R>) return native_get<R>(io[0]);
  }

 private:
  static constexpr char params[] = {native_code<A>()..., '\0'};
  static constexpr char results[] = {[] {
                                       if constexpr (std::is_void_v<R>) return '\0';
                                       else return native_code<R>();
                                     }(),
                                     '\0'};
  std::uint32_t index_;
};

}  // namespace wasmhop::guest
