// wabt-interp's instances (wabt_interp_engine.cpp compiles the modules): how one is built from a
// module's description (wabt_interp::instantiate) and how its exports are called.
//
// instantiate  one interp::Store per instance (a copy of the ModuleDesc, its own memories, globals
//              and GC roots), so instances are isolated, may live on different threads, and outlive
//              their Module. One interp::Thread per instance, reused by every call: wabt's
//              convenience Func::Call(Store&, ...) builds a Thread per call (two 64 KiB stack
//              reservations and a std::set insert), which costs more than the call itself. A start
//              function is taken out of the instance's ModuleDesc copy and run afterwards on that
//              Thread, the same way as an export (see "calls").
// calls        each function export gets a context (DefinedFunc*, reused argument/result Values)
//              that is the PackedCallFn ctx: no allocation per call. The call is what wabt's
//              DefinedFunc::DoCall does (push the arguments and a frame, Thread::Run, pop the
//              results), except that Run goes in slices sized so that libwabt's call_indirect bug
//              (below) can never let the interpreter carry on.
// imports      every function import is an interp::HostFunc calling its BoundImport (imports.hpp);
//              a failing host function is a trap Result from the callback.
// traps        wabt reports traps as values (interp::Trap with a message); no signal handlers or
//              jumps are involved. A trap leaves the Thread's frames and value stack behind, so the
//              instance replaces its Thread after one (and collects the Store's garbage: a trap
//              object holds a copy of the call stack). The call stack is wabt's own (64 KiB of
//              40-byte frames: 1638 calls deep); the interpreter never recurses on the host stack,
//              so deep guest recursion ends as "call stack exhausted" without touching the host's
//              stack. The value stack has no limit in 1.0.32 (it is a std::vector that grows), so
//              the frame limit is the only one.
//
// libwabt 1.0.32 has a call_indirect bug that lets the interpreter carry on after a failed call;
// guarded_call.hpp says what it is and how every call here avoids it (and checks time limits).
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <wabt/interp/interp.h>

#include "engines/wabt_interp/guarded_call.hpp"
#include "engines/wabt_interp/imports.hpp"
#include "engines/wabt_interp/wabt_instance.hpp"
#include "engines/wabt_interp/wabt_types.hpp"

namespace wasmhop {
namespace {

namespace wi = ::wabt::interp;
using wabt_interp::call_stack_limit;
using wabt_interp::classify_trap;
using wabt_interp::engine_features;
using wabt_interp::format_errors;
using wabt_interp::guarded_call;
using wabt_interp::to_functype;

class WabtInstance;

// One function export of one instance: the PackedCallFn context.
struct ExportCall {
  WabtInstance* owner = nullptr;
  wi::DefinedFunc* func = nullptr;  // kept alive by func_ptr (a GC root in the instance's store)
  wi::Func::Ptr func_ptr;
  wi::Values params;         // reused by every call
  wi::Values results;
  std::uint32_t nparams = 0;
  std::uint32_t nresults = 0;
  PackedCallFn call = nullptr;
  FuncType type;
  std::string name;
  bool callable = false;     // false: a type the packed convention cannot carry
};

PackedCallFn packed_call_for(std::uint32_t nparams, std::uint32_t nresults) noexcept;

class WabtInstance final : public Instance {
 public:
  WabtInstance(std::string module_name, std::unique_ptr<wi::Store> store,
               std::unique_ptr<wabt_interp::CallerMemory> caller)
      : Instance(std::move(module_name)), store_(std::move(store)), caller_(std::move(caller)) {}

  ~WabtInstance() override {
    // RefPtrs and the Thread unregister from the store: drop them before it goes.
    calls_.clear();
    memory_.reset();
    thread_.reset();
    inst_.reset();
    mod_.reset();
  }

  Status init(wi::Module::Ptr mod, wi::Instance::Ptr inst) {
    mod_ = std::move(mod);
    inst_ = std::move(inst);
    thread_.emplace(*store_);
    call_limit_ = call_stack_limit(*thread_);
    const auto& types = mod_->export_types();
    const auto& refs = inst_->exports();
    calls_.resize(types.size());  // never resized again: contexts keep their addresses
    for (std::size_t i = 0; i < types.size(); ++i) {
      const auto& et = types[i];
      if (et.type->kind == wabt::ExternalKind::Memory && !memory_) {
        memory_ = wi::Memory::Ptr(*store_, refs[i]);
        caller_->set(memory_.get());  // what the instance's host functions see from now on
      }
      if (et.type->kind != wabt::ExternalKind::Func) continue;
      auto c = std::make_unique<ExportCall>();
      c->owner = this;
      c->name = et.name;
      c->func_ptr = wi::Func::Ptr(*store_, refs[i]);
      // Null for a re-exported import (a host function): lookup refuses it.
      c->func = wabt::dyn_cast<wi::DefinedFunc>(c->func_ptr.get());
      const wi::FuncType& ft = c->func_ptr->type();
      c->callable = to_functype(ft, c->type) && c->func != nullptr;
      c->nparams = static_cast<std::uint32_t>(ft.params.size());
      c->nresults = static_cast<std::uint32_t>(ft.results.size());
      c->params.resize(c->nparams);
      c->results.resize(c->nresults);
      c->call = packed_call_for(c->nparams, c->nresults);
      calls_[i] = std::move(c);
    }
    return {};
  }

  // Runs the module's start function, which wabt's instantiation would run on a Thread of its own
  // through the unguarded path. False: it trapped (message and kind in last_detail_, kind).
  bool run_start(wi::Index func_index, std::chrono::nanoseconds timeout, TrapKind& kind) {
    // A start function has type [] -> []: the module's own, or an imported host function.
    wi::Func::Ptr any(*store_, inst_->funcs()[func_index]);
    const auto* func = wabt::dyn_cast<wi::DefinedFunc>(any.get());
    const wi::Values params;
    wi::Values results;
    wi::Trap::Ptr trap;
    bool timed_out = false;
    if (func == nullptr) {
      if (wabt::Failed(any->Call(*thread_, params, results, &trap))) {
        kind = on_trap(trap);
        return false;
      }
      return true;
    }
    if (wabt::Failed(guarded_call(*thread_, call_limit_, *func, params, results, &trap, timeout, &timed_out))) {
      kind = timed_out ? on_timeout() : on_trap(trap);
      return false;
    }
    return true;
  }

  GuestMemory memory() override {
    if (!memory_) return {};
    return {memory_->UnsafeData(), memory_->ByteSize()};
  }

  std::string last_error_detail() const override { return last_detail_; }

  wi::Thread& thread() noexcept { return *thread_; }
  std::size_t call_limit() const noexcept { return call_limit_; }

  // Cold path: remember the message, replace the Thread (a trap leaves its stacks behind) and
  // drop the trap's garbage from the store.
  [[gnu::noinline, gnu::cold]] TrapKind on_trap(const wi::Trap::Ptr& trap) noexcept {
    try {
      last_detail_ = trap ? trap->message() : std::string("wabt reported a failed call");
      const TrapKind kind = trap ? classify_trap(last_detail_) : TrapKind::unknown;
      reset_thread();
      return kind;
    } catch (...) {
      return TrapKind::host_error;
    }
  }

  [[gnu::noinline, gnu::cold]] TrapKind on_timeout() noexcept {
    try {
      last_detail_.clear();
      reset_thread();
    } catch (...) {
      return TrapKind::host_error;
    }
    return TrapKind::timeout;
  }

  [[gnu::noinline, gnu::cold]] TrapKind on_exception(const char* what) noexcept {
    try {
      last_detail_ = fmt::format("wabt threw: {}", what);
      reset_thread();
    } catch (...) {
    }
    return TrapKind::host_error;
  }

 protected:
  // The engine's own lookup, every time: a scan of the interpreter's export list.
  Result<Func> lookup(std::string_view name) override {
    const auto& types = mod_->export_types();
    for (std::size_t i = 0; i < types.size(); ++i) {
      if (types[i].name != name || types[i].type->kind != wabt::ExternalKind::Func) continue;
      ExportCall* c = calls_[i].get();
      if (c->func == nullptr) {
        return fail(ErrorKind::signature_mismatch,
                    fmt::format("module '{}', export '{}' re-exports an imported host function; call the "
                                "host function directly",
                                module_name(), name));
      }
      if (!c->callable) {
        return fail(ErrorKind::signature_mismatch,
                    fmt::format("module '{}', export '{}': its type uses value types wasmhop "
                                "cannot pass (v128 or references)",
                                module_name(), name));
      }
      return Func{c->call, c, &c->type, this, c->name.c_str()};
    }
    return fail(ErrorKind::missing_export,
                fmt::format("module '{}' has no exported function '{}'", module_name(), name));
  }

 private:
  void reset_thread() {
    thread_.reset();
    thread_.emplace(*store_);
    store_->Collect();
  }

  std::unique_ptr<wi::Store> store_;  // first member: destroyed last
  std::unique_ptr<wabt_interp::CallerMemory> caller_;  // what the store's host functions refer to
  wi::Module::Ptr mod_;
  wi::Instance::Ptr inst_;
  wi::Memory::Ptr memory_;
  std::optional<wi::Thread> thread_;
  std::size_t call_limit_ = 0;  // call_stack_limit(*thread_): the same for every Thread
  std::vector<std::unique_ptr<ExportCall>> calls_;  // parallel to the export list
  std::string last_detail_;
};

// The packed call. RawVal and interp::Value both keep the value in their first bytes
// (little-endian): an 8-byte copy moves any of i32/i64/f32/f64 (wabt zero-fills the rest of its
// Value). NP/NR >= 0: arity fixed at compile time (the common shapes: unrolled copies);
// -1: read from the context.
template <int NP, int NR>
TrapKind wabt_call(void* ctx, RawVal* io) noexcept {
  auto& c = *static_cast<ExportCall*>(ctx);
  const std::uint32_t np = NP >= 0 ? static_cast<std::uint32_t>(NP) : c.nparams;
  const std::uint32_t nr = NR >= 0 ? static_cast<std::uint32_t>(NR) : c.nresults;
  wi::Value* params = c.params.data();
  for (std::uint32_t i = 0; i < np; ++i) params[i] = wi::Value::Make(static_cast<wi::u64>(io[i].bits));
  try {
    wi::Trap::Ptr trap;
    WabtInstance& owner = *c.owner;
    bool timed_out = false;
    if (wabt::Failed(guarded_call(owner.thread(), owner.call_limit(), *c.func, c.params, c.results,
                                  &trap, owner.call_timeout(), &timed_out))) [[unlikely]] {
      return timed_out ? owner.on_timeout() : owner.on_trap(trap);
    }
  } catch (const std::exception& e) {
    return c.owner->on_exception(e.what());
  } catch (...) {
    return c.owner->on_exception("unknown exception");
  }
  const wi::Value* results = c.results.data();
  for (std::uint32_t i = 0; i < nr; ++i) io[i].bits = results[i].Get<wi::u64>();
  return TrapKind::none;
}

template <int NR>
PackedCallFn packed_call_nr(std::uint32_t nparams) noexcept {
  switch (nparams) {
    case 0: return &wabt_call<0, NR>;
    case 1: return &wabt_call<1, NR>;
    case 2: return &wabt_call<2, NR>;
    case 3: return &wabt_call<3, NR>;
    case 4: return &wabt_call<4, NR>;
    default: return &wabt_call<-1, NR>;
  }
}

PackedCallFn packed_call_for(std::uint32_t nparams, std::uint32_t nresults) noexcept {
  switch (nresults) {
    case 0: return packed_call_nr<0>(nparams);
    case 1: return packed_call_nr<1>(nparams);
    default: return nparams <= 4 ? packed_call_nr<-1>(nparams) : &wabt_call<-1, -1>;
  }
}

// A failed wabt instantiation: a trap while initialising segments, or wabt refused the module.
tl::unexpected<Error> instantiate_error(const wi::Trap::Ptr& trap, const std::string& name) {
  const std::string msg = trap ? trap->message() : std::string("wabt refused it");
  const TrapKind kind = trap ? classify_trap(msg) : TrapKind::unknown;
  if (kind != TrapKind::unknown) {
    return fail(ErrorKind::trap,
                fmt::format("module '{}': trapped while instantiating (segment "
                            "initialisation): {}",
                            name, msg),
                kind);
  }
  return fail(ErrorKind::instantiation_failed, fmt::format("module '{}': cannot instantiate: {}", name, msg));
}

// Runs the start functions that instantiate() took out of the module (header comment).
Status run_starts(WabtInstance& instance, const std::vector<wi::StartDesc>& starts,
                  std::chrono::nanoseconds timeout, const std::string& name) {
  for (const auto& start : starts) {
    TrapKind kind = TrapKind::unknown;
    if (!instance.run_start(start.func_index, timeout, kind)) {
      if (kind == TrapKind::timeout) {
        return fail(ErrorKind::timeout,
                    fmt::format("module '{}': the start function was still running after the time "
                                "limit; stopped",
                                name),
                    kind);
      }
      return fail(ErrorKind::trap,
                  fmt::format("module '{}': trapped while instantiating (start function): {}", name,
                              instance.last_error_detail()),
                  kind);
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Instance>> wabt_interp::instantiate(const wi::ModuleDesc& desc, std::span<const BoundImport> bound,
                                                           const std::string& name,
                                                           std::chrono::nanoseconds start_timeout) {
  try {
    auto store = std::make_unique<wi::Store>(engine_features());
    // The imports: the core bound every one (all functions) to a host function.
    auto caller = std::make_unique<wabt_interp::CallerMemory>();
    auto host_funcs = wabt_interp::make_host_funcs(*store, desc, bound, *caller, name);
    if (!host_funcs) return tl::unexpected(host_funcs.error());
    wi::RefVec imports;
    for (const auto& f : *host_funcs) imports.push_back(f.ref());
    // The store owns its own copy of the description; the start function is left out of it
    // and run below on the instance's Thread (header comment).
    wi::ModuleDesc own = desc;
    const std::vector<wi::StartDesc> starts = std::move(own.starts);
    own.starts.clear();
    wi::Module::Ptr mod = wi::Module::New(*store, std::move(own));
    wi::Trap::Ptr trap;
    wi::Instance::Ptr inst = wi::Instance::Instantiate(*store, mod.ref(), imports, &trap);
    host_funcs->clear();  // the instance holds them now
    if (!inst) {
      auto error = instantiate_error(trap, name);
      // Drop the interpreter's references before their store.
      trap.reset();
      mod.reset();
      host_funcs->clear();
      return error;
    }
    auto instance = std::make_unique<WabtInstance>(name, std::move(store), std::move(caller));
    if (auto st = instance->init(std::move(mod), std::move(inst)); !st) return tl::unexpected(st.error());
    if (auto st = run_starts(*instance, starts, start_timeout, name); !st) return tl::unexpected(st.error());
    return std::unique_ptr<Instance>(std::move(instance));
  } catch (const std::exception& e) {
    return fail(ErrorKind::instantiation_failed,
                fmt::format("module '{}': wabt threw while instantiating: {}", name, e.what()));
  }
}

}  // namespace wasmhop
