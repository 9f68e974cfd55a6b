// Function handles: resolved and type-checked once, then called through one indirect call.
#pragma once

#include <algorithm>
#include <type_traits>
#include <utility>

#include "wasmhop/result.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop {

class Instance;

// Every engine exposes each export through this convention: arguments in io[0..params),
// results written to io[0..results). Returns TrapKind::none, or the trap that ended the call
// (the engine has already unwound; the host carries on).
using PackedCallFn = TrapKind (*)(void* ctx, RawVal* io) noexcept;

// An untyped handle to an export. Valid while its Instance lives.
struct Func {
  PackedCallFn call = nullptr;
  void* ctx = nullptr;                 // engine-owned, lives as long as the instance
  const FuncType* type = nullptr;      // the export's real signature
  const Instance* owner = nullptr;
  const char* name = "";               // export name (owned by the instance)

  [[nodiscard]] explicit operator bool() const noexcept { return call != nullptr; }
};

// Builds the error for a trapped call: kind trap, naming module and export. Out of line: cold.
[[nodiscard]] Error trap_error(const Func& f, TrapKind trap);

template <class Sig>
class TypedFunc;

// A handle whose C++ signature was checked against the export's real type at lookup.
template <class R, class... A>
class TypedFunc<R(A...)> {
 public:
  TypedFunc() = default;
  explicit TypedFunc(Func f) noexcept : f_(f) {}

  [[nodiscard]] Result<R> operator()(A... args) const {
    constexpr std::size_t n = std::max<std::size_t>({1, sizeof...(A), std::is_void_v<R> ? 0 : 1});
    RawVal io[n];
    std::size_t i = 0;
    (store_raw(io[i++], args), ...);
    const TrapKind t = f_.call(f_.ctx, io);
    if (t != TrapKind::none) [[unlikely]] return tl::unexpected<Error>(trap_error(f_, t));
    if constexpr (std::is_void_v<R>) return {};
    else return load_raw<R>(io[0]);
  }

  [[nodiscard]] const Func& untyped() const noexcept { return f_; }
  [[nodiscard]] explicit operator bool() const noexcept { return static_cast<bool>(f_); }

 private:
  Func f_{};
};

}  // namespace wasmhop
