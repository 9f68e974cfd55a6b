// Wasm value types and the engine-independent packed calling convention.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace wasmhop {

enum class ValType : std::uint8_t { i32, i64, f32, f64 };

[[nodiscard]] const char* to_string(ValType t) noexcept;

// What a module exports or imports.
enum class ExportKind : std::uint8_t { function, memory, table, global, other };

// One argument or result slot. Calls pass arguments in io[0..params) and receive results
// in io[0..results): one stack array, no allocation.
union RawVal {
  std::int32_t i32;
  std::int64_t i64;
  float f32;
  double f64;
  std::uint64_t bits;
};
static_assert(sizeof(RawVal) == 8);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;

  [[nodiscard]] std::string to_string() const;  // "(i32, i32) -> (i32)"
  friend bool operator==(const FuncType&, const FuncType&) = default;
};

// C++ scalar <-> wasm value type. Unsigned types map to the same wasm type (wasm integers are
// sign-agnostic), so a host may call an i32 export with uint32_t.
template <class T>
struct valtype_of;
template <> struct valtype_of<std::int32_t> { static constexpr ValType value = ValType::i32; };
template <> struct valtype_of<std::uint32_t> { static constexpr ValType value = ValType::i32; };
template <> struct valtype_of<std::int64_t> { static constexpr ValType value = ValType::i64; };
template <> struct valtype_of<std::uint64_t> { static constexpr ValType value = ValType::i64; };
template <> struct valtype_of<float> { static constexpr ValType value = ValType::f32; };
template <> struct valtype_of<double> { static constexpr ValType value = ValType::f64; };

template <class T>
inline constexpr ValType valtype_v = valtype_of<std::remove_cv_t<T>>::value;

template <class T>
inline void store_raw(RawVal& slot, T v) noexcept {
  if constexpr (valtype_v<T> == ValType::i32) slot.i32 = static_cast<std::int32_t>(v);
  else if constexpr (valtype_v<T> == ValType::i64) slot.i64 = static_cast<std::int64_t>(v);
  else if constexpr (valtype_v<T> == ValType::f32) slot.f32 = v;
  else slot.f64 = v;
}

template <class T>
[[nodiscard]] inline T load_raw(const RawVal& slot) noexcept {
  if constexpr (valtype_v<T> == ValType::i32) return static_cast<T>(slot.i32);
  else if constexpr (valtype_v<T> == ValType::i64) return static_cast<T>(slot.i64);
  else if constexpr (valtype_v<T> == ValType::f32) return slot.f32;
  else return slot.f64;
}

template <class R, class... A>
[[nodiscard]] FuncType functype_of() {
  FuncType t;
  t.params = {valtype_v<A>...};
  if constexpr (!std::is_void_v<R>) t.results = {valtype_v<R>};
  return t;
}

}  // namespace wasmhop
