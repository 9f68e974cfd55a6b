// A guest export as the ABIs call it: a typed handle resolved once (cached), or looked up by name
// through the engine on every call (the paper's "uncached" configurations). Both are resolved at
// bind time, so a missing export or a wrong signature fails before the first call. The cached one
// holds nothing but the handle: a binding made of them is trivially copyable, so a call loop keeps
// it in registers.
#pragma once

#include <memory>
#include <string>

#include "wasmhop/engine.hpp"

namespace wasmhop::abi {

template <class Sig, bool Cached>
class Export;

template <class R, class... A>
class Export<R(A...), true> {
 public:
  [[nodiscard]] static Result<Export> resolve(Instance& inst, const std::string& name) {
    auto f = inst.typed<R(A...)>(name);
    if (!f) return tl::unexpected(f.error());
    Export e;
    e.typed_ = *f;
    return e;
  }
  [[nodiscard, gnu::always_inline]] Result<R> operator()(Instance&, A... args) const { return typed_(args...); }

 private:
  TypedFunc<R(A...)> typed_;
};

template <class R, class... A>
class Export<R(A...), false> {
 public:
  [[nodiscard]] static Result<Export> resolve(Instance& inst, std::string name) {
    auto f = inst.typed<R(A...)>(name);
    if (!f) return tl::unexpected(f.error());
    Export e;
    e.name_ = std::make_unique<const std::string>(std::move(name));
    return e;
  }
  [[nodiscard, gnu::always_inline]] Result<R> operator()(Instance& inst, A... args) const {
    return inst.call_by_name<R>(*name_, args...);
  }

 private:
  // On the heap: a name stored in the binding itself would give the engine a pointer into it on
  // every call, and the call loop would then keep none of the binding in registers.
  std::unique_ptr<const std::string> name_;
};

}  // namespace wasmhop::abi
