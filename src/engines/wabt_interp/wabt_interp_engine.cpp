// wabt-interp: wabt's interpreter (libwabt 1.0.32), driven through its C++ API.
//
// compile      ReadBinaryInterp (decode + validate + translate to wabt's instruction stream)
//              into a ModuleDesc, shared read-only by the module and every instance made from it.
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
// libwabt 1.0.32 bug (src/interp/interp.cc, Thread::DoCall, its DefinedFunc branch; fixed upstream
// after 1.0.32 by WebAssembly/wabt PR #2464, 2024): when call_indirect to a wasm function finds
// the frame vector full, Thread::PushCall stores the "call stack exhausted" trap in *out_trap and
// returns RunResult::Trap, and DoCall returns RunResult::Ok anyway (the direct `call` opcode
// checks the same PushCall result correctly). So the interpreter goes on after a call_indirect
// that never happened: the callee's arguments stay on the value stack in place of its results
// and the caller computes with them (a C++ guest recursing through a function pointer 1700 deep
// returned 1443959 for sum(1..1700) = 1445850; a void one ran the code after the call in every
// frame and returned normally), and with a callee whose results outnumber its parameters the
// value stack underflows (Debian's libwabt.a keeps its assertions: Thread::PopValues aborts the
// process). Func::Call reports success with a trap set beside it, which is why wabt's
// spectest-interp, which looks at the trap pointer, passes assert_exhaustion. In Debian's
// libwabt.a (interp.cc.o, Thread::DoCall at 0x6180) the DefinedFunc branch calls PushCall at
// 0x632c and jumps to the `return Ok` at 0x62fb whatever it returned.
//
// The workaround (guarded_call): a Thread::Run(n) slice of n instructions pushes at most n frames
// (only call and call_indirect push one; return_call_indirect pops first), so a slice of
// (capacity - depth) instructions cannot reach a full frame vector before its last instruction
// has run. Only at a full vector does the loop run single instructions, and a trap set after one
// that returned Ok is the swallowed one: the call fails there, before any instruction after the
// call_indirect has run, and the Thread is replaced as after any trap. Starting a call this way
// needs Thread::PushValues, PushCall and PopValues and the frame vector, all private in 1.0.32;
// they are reached through explicit template instantiation (which skips access checking), typed
// exactly, so a libwabt with other members or signatures fails to compile rather than misbehave.
//
// Time limits (InstanceOptions::call_timeout): checked in the same slice loop, between slices
// (Thread::Run(n) returns between instructions). The deadline is computed when a call outlasts its
// first slice, so calls that end within it (nearly all: a Pair call is a few dozen instructions)
// pay only for passing the limit along; a long call with a limit reads the clock once per slice
// (up to 1637 instructions). A call past its deadline returns TrapKind::timeout and the Thread is
// replaced, as after a trap. Start functions run under the instance's limit too. (callgrind, Pair
// call without a limit: 1175 -> 1162 instructions per call, i.e. no cost.)
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <wabt/binary-reader.h>
#include <wabt/config.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include "engines/factories.hpp"
#include "engines/wabt_interp/imports.hpp"

namespace wasmhop {
namespace {

namespace wi = ::wabt::interp;

// ---- Private members of interp::Thread (see the header comment) ----
// Explicit instantiation definitions are exempt from access checking ([temp.spec.general]); the
// friend defined in the instantiated class hands the member pointer out. Each tag names the exact
// member type, so overloads are chosen and changes in libwabt are compile errors.
template <typename Tag, typename Tag::type Member>
struct ExposeMember {
  friend typename Tag::type member(Tag) { return Member; }
};
struct ThreadFrames {
  using type = std::vector<wi::Frame> wi::Thread::*;
  friend type member(ThreadFrames);
};
struct ThreadPushValues {
  using type = void (wi::Thread::*)(const wi::ValueTypes&, const wi::Values&);
  friend type member(ThreadPushValues);
};
struct ThreadPushCall {
  using type = wi::RunResult (wi::Thread::*)(const wi::DefinedFunc&, wi::Trap::Ptr*);
  friend type member(ThreadPushCall);
};
struct ThreadPopValues {
  using type = void (wi::Thread::*)(const wi::ValueTypes&, wi::Values*);
  friend type member(ThreadPopValues);
};
template struct ExposeMember<ThreadFrames, &wi::Thread::frames_>;
template struct ExposeMember<ThreadPushValues, &wi::Thread::PushValues>;
template struct ExposeMember<ThreadPushCall, &wi::Thread::PushCall>;
template struct ExposeMember<ThreadPopValues, &wi::Thread::PopValues>;

// The frame limit of a Thread: PushCall traps at size() == capacity() and nothing else grows the
// vector, so it is the capacity the constructor reserved (Thread::Options::kDefaultCallStackSize).
std::size_t call_stack_limit(wi::Thread& thread) noexcept {
  return (thread.*member(ThreadFrames{})).capacity();
}

// The rest of a call that outlasted its first slice: slices that cannot fill the frame vector
// before their last instruction (after j instructions the depth is at most depth + j, so the
// (limit - depth)th still finds room for a frame), single instructions while it is full. A trap
// set beside an Ok result is libwabt's swallowed one, caught before the next instruction.
// With a time limit (timeout > 0), the clock is read between slices; past the deadline the call
// stops with *timed_out set.
[[gnu::noinline]] wi::RunResult run_guarded_slices(wi::Thread& thread, std::size_t limit,
                                                   wi::Trap::Ptr* out_trap, std::chrono::nanoseconds timeout,
                                                   bool* timed_out) {
  using Clock = std::chrono::steady_clock;
  const std::vector<wi::Frame>& frames = thread.*member(ThreadFrames{});
  const bool timed = timeout.count() > 0;
  const Clock::time_point deadline = timed ? Clock::now() + timeout : Clock::time_point::max();
  for (;;) {
    if (*out_trap) return wi::RunResult::Trap;
    if (timed && Clock::now() >= deadline) [[unlikely]] {
      *timed_out = true;
      return wi::RunResult::Trap;
    }
    const std::size_t depth = frames.size();  // >= 1 while the call runs
    const int slice = depth < limit ? static_cast<int>(limit - depth) : 1;
    const wi::RunResult r = thread.Run(slice, out_trap);
    if (r != wi::RunResult::Ok) return r;
  }
}

// DefinedFunc::DoCall(thread, params, results, out_trap) without libwabt's swallowed
// "call stack exhausted" (header comment). The Thread must be idle (no frames: between calls, or
// fresh after a trap), `limit` its call_stack_limit, *out_trap null. On failure the Thread holds
// the trapped frames and must be replaced.
// `timeout` > 0: stop past it (*timed_out set, the Thread must be replaced as after a trap).
wabt::Result guarded_call(wi::Thread& thread, std::size_t limit, const wi::DefinedFunc& func,
                          const wi::Values& params, wi::Values& results, wi::Trap::Ptr* out_trap,
                          std::chrono::nanoseconds timeout, bool* timed_out) {
  const wi::FuncType& type = func.type();
  (thread.*member(ThreadPushValues{}))(type.params, params);
  if ((thread.*member(ThreadPushCall{}))(func, out_trap) == wi::RunResult::Trap) [[unlikely]] {
    return wabt::Result::Error;
  }
  // This frame is the only one (depth 1): limit - 1 instructions cannot fill the vector.
  wi::RunResult r = thread.Run(static_cast<int>(limit - 1), out_trap);
  if (r == wi::RunResult::Ok) [[unlikely]] r = run_guarded_slices(thread, limit, out_trap, timeout, timed_out);
  if (r != wi::RunResult::Return) [[unlikely]] {
    if (r == wi::RunResult::Exception) {
      // As DefinedFunc::DoCall reports it.
      *out_trap = wi::Trap::New(thread.store(), "uncaught exception");
    }
    return wabt::Result::Error;
  }
  (thread.*member(ThreadPopValues{}))(type.results, &results);
  return wabt::Result::Ok;
}

wabt::Features engine_features() {
  return wabt::Features{};  // wabt 1.0.32's defaults: MVP + the finished post-MVP proposals
}

// wabt value type -> wasmhop's; false for types the packed convention cannot carry (v128, refs).
bool to_valtype(wabt::Type t, ValType& out) {
  switch (static_cast<wabt::Type::Enum>(t)) {
    case wabt::Type::I32: out = ValType::i32; return true;
    case wabt::Type::I64: out = ValType::i64; return true;
    case wabt::Type::F32: out = ValType::f32; return true;
    case wabt::Type::F64: out = ValType::f64; return true;
    default: return false;
  }
}

bool to_functype(const wi::FuncType& ft, FuncType& out) {
  FuncType t;
  ValType v{};
  for (const auto& p : ft.params) {
    if (!to_valtype(p, v)) return false;
    t.params.push_back(v);
  }
  for (const auto& r : ft.results) {
    if (!to_valtype(r, v)) return false;
    t.results.push_back(v);
  }
  out = std::move(t);
  return true;
}

// wabt's trap messages (interp.cc, interp-math.h in 1.0.32) -> TrapKind.
TrapKind classify_trap(std::string_view msg) {
  struct Prefix {
    std::string_view text;
    TrapKind kind;
  };
  static constexpr Prefix kPrefixes[] = {
      {"unreachable executed", TrapKind::unreachable},
      {"integer divide by zero", TrapKind::integer_divide_by_zero},
      {"integer overflow", TrapKind::integer_overflow},  // also float->int out of range
      {"invalid conversion to integer", TrapKind::invalid_conversion},
      {"out of bounds memory access", TrapKind::out_of_bounds_memory},
      {"out of bounds table access", TrapKind::out_of_bounds_table},
      {"undefined table index", TrapKind::out_of_bounds_table},
      {"uninitialized table element", TrapKind::indirect_call_mismatch},  // call_indirect to null
      {"indirect call signature mismatch", TrapKind::indirect_call_mismatch},
      {"call stack exhausted", TrapKind::call_stack_exhausted},
  };
  for (const auto& p : kPrefixes) {
    if (msg.starts_with(p.text)) return p.kind;
  }
  return TrapKind::unknown;  // e.g. "uncaught exception", "invalid atomic access"
}

std::string format_errors(const wabt::Errors& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} at byte {}", e.message, e.loc.offset);
  }
  return out.empty() ? std::string("wabt could not read it") : out;
}

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

class WabtModule final : public Module {
 public:
  WabtModule(std::string name, std::shared_ptr<const wi::ModuleDesc> desc)
      : Module(std::move(name)), desc_(std::move(desc)) {
    for (const auto& e : desc_->exports) {
      ExportDesc d;
      d.name = e.type.name;
      switch (e.type.type->kind) {
        case wabt::ExternalKind::Func: {
          const auto* ft = wabt::cast<wi::FuncType>(e.type.type.get());
          d.kind = to_functype(*ft, d.type) ? ExportKind::function : ExportKind::other;
          break;
        }
        case wabt::ExternalKind::Memory: d.kind = ExportKind::memory; break;
        case wabt::ExternalKind::Table: d.kind = ExportKind::table; break;
        case wabt::ExternalKind::Global: d.kind = ExportKind::global; break;
        default: d.kind = ExportKind::other; break;
      }
      exports_.push_back(std::move(d));
    }
  }

 protected:
  Result<std::unique_ptr<Instance>> do_instantiate() override {
    try {
      auto store = std::make_unique<wi::Store>(engine_features());
      // The imports: the core bound every one (all functions) to a host function.
      auto caller = std::make_unique<wabt_interp::CallerMemory>();
      auto host_funcs = wabt_interp::make_host_funcs(*store, *desc_, bound_imports(), *caller, name());
      if (!host_funcs) return tl::unexpected(host_funcs.error());
      wi::RefVec imports;
      for (const auto& f : *host_funcs) imports.push_back(f.ref());
      // The store owns its own copy of the description; the start function is left out of it
      // and run below on the instance's Thread (header comment).
      wi::ModuleDesc desc = *desc_;
      const std::vector<wi::StartDesc> starts = std::move(desc.starts);
      desc.starts.clear();
      wi::Module::Ptr mod = wi::Module::New(*store, std::move(desc));
      wi::Trap::Ptr trap;
      wi::Instance::Ptr inst = wi::Instance::Instantiate(*store, mod.ref(), imports, &trap);
      host_funcs->clear();  // the instance holds them now
      if (!inst) {
        const std::string msg = trap ? trap->message() : std::string("wabt refused it");
        const TrapKind kind = trap ? classify_trap(msg) : TrapKind::unknown;
        // Drop the interpreter's references before their store.
        trap.reset();
        mod.reset();
        host_funcs->clear();
        if (kind != TrapKind::unknown) {
          return fail(ErrorKind::trap,
                      fmt::format("module '{}': trapped while instantiating (segment "
                                  "initialisation): {}",
                                  name(), msg),
                      kind);
        }
        return fail(ErrorKind::instantiation_failed,
                    fmt::format("module '{}': cannot instantiate: {}", name(), msg));
      }
      auto instance = std::make_unique<WabtInstance>(name(), std::move(store), std::move(caller));
      if (auto st = instance->init(std::move(mod), std::move(inst)); !st) {
        return tl::unexpected(st.error());
      }
      for (const auto& start : starts) {
        TrapKind kind = TrapKind::unknown;
        if (!instance->run_start(start.func_index, instantiate_timeout(), kind)) {
          if (kind == TrapKind::timeout) {
            return fail(ErrorKind::timeout,
                        fmt::format("module '{}': the start function was still running after the time "
                                    "limit; stopped",
                                    name()),
                        kind);
          }
          return fail(ErrorKind::trap,
                      fmt::format("module '{}': trapped while instantiating (start function): {}",
                                  name(), instance->last_error_detail()),
                      kind);
        }
      }
      return std::unique_ptr<Instance>(std::move(instance));
    } catch (const std::exception& e) {
      return fail(ErrorKind::instantiation_failed,
                  fmt::format("module '{}': wabt threw while instantiating: {}", name(), e.what()));
    }
  }

 private:
  std::shared_ptr<const wi::ModuleDesc> desc_;
};

class WabtEngine final : public Engine {
 public:
  WabtEngine() {
    info_.id = "wabt-interp";
    info_.name = "wabt";
    info_.version = WABT_VERSION_STRING;
    info_.tier = "interpreter";
    info_.description = "wabt's interpreter (libwabt): a stack machine over wabt's own instruction stream";
    info_.caps.interpreter = true;
    info_.caps.traps_recoverable = true;
    info_.caps.interruptible = true;  // a time limit checked between instruction slices
    info_.caps.any_thread = true;     // a store per instance
    info_.caps.host_functions = true;  // interp::HostFunc per import (imports.hpp)
  }

  const EngineInfo& info() const noexcept override { return info_; }

 protected:
  Result<std::unique_ptr<Module>> do_compile(std::span<const std::uint8_t> wasm,
                                             std::string_view name) override {
    try {
      const wabt::ReadBinaryOptions options(engine_features(), /*log_stream=*/nullptr,
                                            /*read_debug_names=*/false,
                                            /*stop_on_first_error=*/true,
                                            /*fail_on_custom_section_error=*/false);
      wabt::Errors errors;
      auto desc = std::make_shared<wi::ModuleDesc>();
      const std::string filename(name);
      // wabt's reader takes a pointer; an empty span may have none.
      static const std::uint8_t kEmpty = 0;
      const void* data = wasm.empty() ? static_cast<const void*>(&kEmpty) : wasm.data();
      if (wabt::Failed(wi::ReadBinaryInterp(filename, data, wasm.size(), options, &errors,
                                            desc.get()))) {
        return fail(ErrorKind::malformed_module,
                    fmt::format("module '{}': {}", name, format_errors(errors)));
      }
      return std::unique_ptr<Module>(
          std::make_unique<WabtModule>(std::string(name), std::move(desc)));
    } catch (const std::exception& e) {
      return fail(ErrorKind::malformed_module,
                  fmt::format("module '{}': wabt threw while reading it: {}", name, e.what()));
    }
  }

 private:
  EngineInfo info_;
};

}  // namespace

Result<std::unique_ptr<Engine>> make_wabt_interp_engine() {
  return std::unique_ptr<Engine>(std::make_unique<WabtEngine>());
}

}  // namespace wasmhop
