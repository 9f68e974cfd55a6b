// A guest export as the ABIs call it: a typed handle resolved once (cached), or looked up by name
// through the engine on every call (the paper's "uncached" configurations). Both are resolved at
// bind time, so a missing export or a wrong signature fails before the first call. The name is a
// type's constant (Name::value, e.g. ExportName in abi_info.hpp), as a literal is in a hand-written
// loop: a cached export holds nothing but its handle, an uncached one nothing at all, so a binding
// made of them is trivially copyable and a call loop keeps it in registers.
#pragma once

#include <string_view>

#include "wasmhop/engine.hpp"

namespace wasmhop::abi {

template <class Sig, bool Cached, class Name>
class Export;

template <class R, class... A, class Name>
class Export<R(A...), true, Name> {
 public:
  [[nodiscard]] static Result<Export> resolve(Instance& inst) {
    auto f = inst.typed<R(A...)>(Name::value);
    if (!f) return tl::unexpected(f.error());
    Export e;
    e.typed_ = *f;
    return e;
  }
  [[nodiscard, gnu::always_inline]] Result<R> operator()(Instance&, A... args) const { return typed_(args...); }

 private:
  TypedFunc<R(A...)> typed_;
};

template <class R, class... A, class Name>
class Export<R(A...), false, Name> {
 public:
  [[nodiscard]] static Result<Export> resolve(Instance& inst) {
    auto f = inst.typed<R(A...)>(Name::value);
    if (!f) return tl::unexpected(f.error());
    return Export{};
  }
  [[nodiscard, gnu::always_inline]] Result<R> operator()(Instance& inst, A... args) const {
    return inst.call_by_name<R>(Name::value, args...);
  }
};

}  // namespace wasmhop::abi
