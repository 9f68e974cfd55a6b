// Host functions: what a module imports, provided by the host, resolved and type-checked once
// when an instance is created (InstanceOptions::imports).
//
//   wasmhop::Imports imports;
//   imports.func("env", "log", [](wasmhop::Caller& c, std::uint32_t ptr, std::uint32_t len) -> wasmhop::Status {
//     auto text = c.memory().bytes(ptr, len);   // the caller's memory, bounds-checked
//     if (!text) return tl::unexpected(text.error());
//     ...
//     return {};
//   });
//   auto inst = module->instantiate({.imports = imports});
//
// A host function that returns an error (or throws) ends the guest call that called it: that
// call's Result carries the host function's error, naming it; the engine has unwound the guest.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "wasmhop/guest_memory.hpp"
#include "wasmhop/result.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop {

// ---- What engines see (and the plugin ABI mirrors: whp_caller, whp_host_fn) ----------------

// The instance that is calling a host function, as its engine describes it: `memory` gives the
// caller's exported memory now (null, 0 when it has none).
struct CallerView {
  void* opaque = nullptr;
  void (*memory)(void* opaque, std::uint8_t** base, std::uint64_t* size) noexcept = nullptr;
};

// How an engine calls a bound import: arguments in io[0..params), results written to
// io[0..results). Returns 0, or non-zero when the host function failed: the engine then ends the
// guest call with a trap (of any kind: the host keeps the reason and reports it).
using ImportCallFn = std::uint8_t (*)(void* ctx, const CallerView* caller, RawVal* io) noexcept;

// What a module imports (Module::imports()), in import-section order.
struct ImportDesc {
  std::string module;
  std::string field;
  ExportKind kind = ExportKind::function;  // imports come in the same kinds as exports
  FuncType type;            // for functions
  std::string unsupported;  // a function type wasmhop cannot pass (v128, references): why
};

// One function import bound to its host function, given to the engine at instantiation.
struct BoundImport {
  const ImportDesc* desc = nullptr;  // module, field, type
  ImportCallFn call = nullptr;
  void* ctx = nullptr;               // lives as long as the instance
};

// ---- What a host function sees -----------------------------------------------------------

class Caller {
 public:
  explicit Caller(const CallerView& view) noexcept : view_(view) {}
  // The caller's linear memory now: valid until the host function returns or calls back in.
  [[nodiscard]] GuestMemory memory() const noexcept {
    std::uint8_t* base = nullptr;
    std::uint64_t size = 0;
    if (view_.memory != nullptr) view_.memory(view_.opaque, &base, &size);
    return GuestMemory(base, size);
  }

 private:
  const CallerView& view_;
};

// A host function in the packed convention (arguments in io[0..params), results to
// io[0..results)); an error fails the guest call that called it.
using HostCallFn = Status (*)(void* ctx, Caller& caller, RawVal* io);

struct HostFunc {
  std::string module;
  std::string field;
  FuncType type;
  HostCallFn call = nullptr;
  std::shared_ptr<void> ctx;  // owns the callable; shared by every instance it is bound to
};

namespace detail {

template <class T>
struct callable_traits : callable_traits<decltype(&T::operator())> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...) const> {
  using result = R;
  using args = std::tuple<A...>;
};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...)> : callable_traits<R (C::*)(A...) const> {};
template <class R, class... A>
struct callable_traits<R (*)(A...)> {
  using result = R;
  using args = std::tuple<A...>;
};

template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<Result<T>> : std::true_type {};

// The value a host callable returns: R itself, or T of Result<T> (void for Status).
template <class R>
struct returned {
  using type = R;
};
template <class T>
struct returned<Result<T>> {
  using type = T;
};

template <class T>
inline constexpr bool is_caller_v = std::is_same_v<std::remove_cvref_t<T>, Caller>;

// Calls f with the values io[I...] as A... (before the caller's own arguments, its Caller when
// it takes one).
template <bool WithCaller, class R, class F, class... A, std::size_t... I>
R invoke_host_callable(F& f, Caller& caller, const RawVal* io, std::index_sequence<I...>) {
  if constexpr (WithCaller) {
    return f(caller, load_raw<A>(io[I])...);
  } else {
    return f(load_raw<A>(io[I])...);
  }
}

// Calls a C++ callable with io's values and stores its result: the HostCallFn of Imports::func.
template <class F, bool WithCaller, class R, class... A>
Status call_host_callable(void* ctx, Caller& caller, RawVal* io) {
  auto& f = *static_cast<F*>(ctx);
  auto invoke = [&]() -> R {
    return invoke_host_callable<WithCaller, R, F, A...>(f, caller, io, std::index_sequence_for<A...>{});
  };
  if constexpr (std::is_void_v<R>) {
    invoke();
    return {};
  } else if constexpr (is_result<R>::value) {
    auto r = invoke();
    if (!r) return tl::unexpected(std::move(r.error()));
    if constexpr (!std::is_void_v<typename returned<R>::type>) store_raw(io[0], *r);
    return {};
  } else {
    store_raw(io[0], invoke());
    return {};
  }
}

template <class F, class R, class Tuple>
struct host_adapter;
template <class F, class R, class First, class... Rest>
  requires is_caller_v<First>
struct host_adapter<F, R, std::tuple<First, Rest...>> {
  static constexpr HostCallFn fn = &call_host_callable<F, true, R, std::remove_cvref_t<Rest>...>;
  static FuncType type() { return functype_of<typename returned<R>::type, std::remove_cvref_t<Rest>...>(); }
};
template <class F, class R, class... A>
struct host_adapter<F, R, std::tuple<A...>> {
  static constexpr HostCallFn fn = &call_host_callable<F, false, R, std::remove_cvref_t<A>...>;
  static FuncType type() { return functype_of<typename returned<R>::type, std::remove_cvref_t<A>...>(); }
};

}  // namespace detail

// The host functions offered to a module, by (module, field). Copies share the callables.
class Imports {
 public:
  // A host function in the packed convention, of any type.
  Imports& add(std::string module, std::string field, FuncType type, HostCallFn call, std::shared_ptr<void> ctx);

  // A C++ callable: R f(A...) or R f(Caller&, A...), A and R wasm scalars (int32_t, uint32_t,
  // int64_t, uint64_t, float, double), R also void, Status or Result<scalar>.
  template <class F>
  Imports& func(std::string module, std::string field, F f) {
    using D = std::decay_t<F>;
    using traits = detail::callable_traits<D>;
    using adapter = detail::host_adapter<D, typename traits::result, typename traits::args>;
    return add(std::move(module), std::move(field), adapter::type(), adapter::fn,
               std::make_shared<D>(std::move(f)));
  }

  // Every function of `other` (a later one replaces one of the same module and field).
  Imports& merge(const Imports& other);

  [[nodiscard]] const HostFunc* find(std::string_view module, std::string_view field) const noexcept;
  [[nodiscard]] const std::vector<HostFunc>& funcs() const noexcept { return funcs_; }
  [[nodiscard]] bool empty() const noexcept { return funcs_.empty(); }

 private:
  std::vector<HostFunc> funcs_;
};

}  // namespace wasmhop
