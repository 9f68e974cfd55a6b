#include "wasmhop/trap_scope.hpp"

#include "engines/common/trap_guard.hpp"
#include "wasmhop/engine.hpp"

namespace wasmhop {

TrapScope::TrapScope(const Instance& instance) noexcept {
  // Armed whatever the caller's build: code without exceptions calls through the per-call guarded
  // entries, which push their own frame above the scope.
  if (!instance.trap_scope_) return;
  // This thread may not be the one that instantiated: the handler and a signal stack first.
  detail::prepare_thread_for_guarded_calls();
  prev_ = detail::t_trap_frame;
  detail::t_trap_frame = reinterpret_cast<detail::TrapFrame*>(reinterpret_cast<std::uintptr_t>(this) | 1u);
  armed_ = true;
}

TrapScope::~TrapScope() {
  if (armed_) detail::t_trap_frame = prev_;
}

}  // namespace wasmhop
