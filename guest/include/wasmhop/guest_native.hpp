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

struct wasmhop_native_export_entry {
  const char* name;
  const char* params;   // one letter per value type: i=i32 I=i64 f=f32 F=f64
  const char* results;
  wasmhop_native_thunk thunk;
};

// What the host gives a loaded native script: its linear memory (an arena with guard pages).
struct wasmhop_native_host {
  std::uint32_t abi_version;
  std::uint8_t* memory_base;
  // Grows the arena by `pages`; returns the old page count or -1. Never moves the base.
  std::int32_t (*memory_grow)(void* host_ctx, std::uint32_t pages);
  std::uint32_t (*memory_pages)(void* host_ctx);
  void* host_ctx;
};

struct wasmhop_native_module_desc {
  std::uint32_t abi_version;
  std::uint32_t export_count;
  const wasmhop_native_export_entry* exports;
};
}

#define WASMHOP_NATIVE_ABI_VERSION 1u

namespace wasmhop::guest {

void register_native_export(const wasmhop_native_export_entry& e) noexcept;

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

  explicit native_export(const char* name) noexcept {
    register_native_export({name, params, results, &thunk});
  }
};

}  // namespace wasmhop::guest
