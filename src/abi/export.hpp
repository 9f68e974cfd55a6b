// A guest export as the ABIs call it: a typed handle resolved once (cached), or looked up by name
// through the engine on every call (the paper's "uncached" configurations). Both are resolved at
// bind time, so a missing export or a wrong signature fails before the first call.
#pragma once

#include <string>

#include "wasmhop/engine.hpp"

namespace wasmhop::abi {

template <class Sig, bool Cached>
class Export;

template <class R, class... A, bool Cached>
class Export<R(A...), Cached> {
 public:
  Export() = default;

  [[nodiscard]] static Result<Export> resolve(Instance& inst, std::string name) {
    auto f = inst.typed<R(A...)>(name);
    if (!f) return tl::unexpected(f.error());
    Export e;
    e.typed_ = *f;
    e.name_ = std::move(name);
    return e;
  }

  [[nodiscard, gnu::always_inline]] Result<R> operator()(Instance& inst, A... args) const {
    if constexpr (Cached) return typed_(args...);
    else return inst.call_by_name<R>(name_, args...);
  }

  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  TypedFunc<R(A...)> typed_;
  std::string name_;
};

}  // namespace wasmhop::abi
