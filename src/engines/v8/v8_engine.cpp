// v8, v8-liftoff, v8-turbofan: V8 10.2 (Debian's libnode) through its C++ embedding API.
//
// Modules are compiled with v8::WasmModuleObject::Compile and instantiated by the global
// WebAssembly.Instance constructor; exports are called with v8::Function::Call through V8's
// JS-to-wasm wrappers (i64 is a BigInt at that boundary). The tier is a process-global V8 flag
// (v8_runtime.hpp): the first tier that compiles starts V8, other tiers then report
// engine_unavailable.
//
// Host functions (imports.hpp): JS functions with C++ callbacks in the imports object; a failing
// one throws, which ends the export call as a trap does. The instance, its export calls (the hot
// path), traps, memory and call time limits: v8_instance.cpp. A start function runs under the
// instance's time limit inside WebAssembly.Instance.
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "engines/factories.hpp"
#include "engines/v8/imports.hpp"
#include "engines/v8/v8_instance.hpp"
#include "engines/v8/v8_runtime.hpp"
#include "engines/common/wasm_module_info.hpp"

namespace wasmhop {
namespace v8engine {
using moduleinfo::WasmModuleInfo;
using moduleinfo::read_module_info;

Error wrong_thread_error(std::string_view module) {
  return Error{ErrorKind::engine_unavailable,
               fmt::format("module '{}': V8 runs on the thread that started it; this call came "
                           "from another thread",
                           module)};
}

namespace {

class V8Module final : public Module {
 public:
  V8Module(std::string name, Runtime* rt, v8::Local<v8::WasmModuleObject> module, WasmModuleInfo info)
      : Module(std::move(name)), rt_(rt), module_(rt->isolate(), module), info_(std::move(info)) {
    for (const auto& e : info_.exports) exports_.push_back(e.desc);
  }

 protected:
  Result<std::unique_ptr<Instance>> do_instantiate() override {
    if (Runtime::current() != rt_) return tl::unexpected(wrong_thread_error(name()));
    v8::Isolate* iso = rt_->isolate();
    v8::HandleScope scope(iso);
    const v8::Local<v8::Context> ctx = rt_->context();
    v8::TryCatch tc(iso);
    // The host functions the core bound, under their modules and fields.
    auto host = HostImports::create(iso, ctx, bound_imports(), info_.import_modules, name());
    if (!host) return tl::unexpected(host.error());
    v8::Local<v8::Value> argv[2] = {strong(module_), (*host)->object(iso)};
    v8::Local<v8::Object> instance;
    // A start function runs in here: under the instance's time limit, when it has one.
    const auto limit = instantiate_timeout();
    if (limit.count() > 0) rt_->watchdog().arm(Watchdog::Clock::now() + limit);
    const bool built = rt_->instance_constructor()->NewInstance(ctx, 2, argv).ToLocal(&instance);
    if (limit.count() > 0 && rt_->watchdog().disarm() && (!built || tc.HasCaught())) {
      static_cast<void>(rt_->take_uncaught_message());
      return fail(ErrorKind::timeout,
                  fmt::format("module '{}': the start function was still running after the time limit; stopped",
                              name()),
                  TrapKind::timeout);
    }
    // A trapping start function leaves V8 10.2's NewInstance with a half-built object *and* the
    // exception: the exception decides.
    if (!built || tc.HasCaught()) {
      const std::string text = exception_text(iso, tc);
      const TrapKind trap = classify_exception(text);
      if (trap != TrapKind::host_error) {
        return fail(ErrorKind::trap, fmt::format("module '{}': the start function trapped: {}", name(), text), trap);
      }
      return fail(ErrorKind::instantiation_failed, fmt::format("module '{}': cannot instantiate: {}", name(), text));
    }
    auto out = make_instance(name(), rt_, std::move(*host), instance, info_);
    if (!out) return out;
    rt_->pump_message_loop();
    return out;
  }

 private:
  Runtime* rt_;
  v8::Global<v8::WasmModuleObject> module_;
  WasmModuleInfo info_;
};

class V8Engine final : public Engine {
 public:
  explicit V8Engine(V8Tier tier) : tier_(tier) {
    info_.id = engine_id(tier);
    info_.name = "V8";
    info_.version = v8::V8::GetVersion();
    info_.tier = tier_name(tier);
    switch (tier) {
      case V8Tier::dynamic:
        info_.description = "V8 (libnode), Liftoff first, hot functions tiered up to TurboFan";
        break;
      case V8Tier::liftoff: info_.description = "V8 (libnode), Liftoff baseline compiler only (--liftoff-only)"; break;
      case V8Tier::turbofan: info_.description = "V8 (libnode), TurboFan optimizing compiler only (--no-liftoff)"; break;
    }
    info_.caps.sandboxed = true;
    info_.caps.loads_wasm = true;
    info_.caps.jit = true;
    info_.caps.tier_fixed_per_process = true;
    info_.caps.traps_recoverable = true;
    info_.caps.interruptible = true;  // a watchdog thread terminates calls past their time limit
    info_.caps.host_functions = true;  // JS functions with C++ callbacks (imports.hpp)
    info_.caps.call_many = true;       // a JS loop inside V8 (v8_many.hpp)
  }

  const EngineInfo& info() const noexcept override { return info_; }

 protected:
  Result<std::unique_ptr<Module>> do_compile(std::span<const std::uint8_t> wasm, std::string_view name) override {
    auto rt = Runtime::acquire(tier_);
    if (!rt) return tl::unexpected(rt.error());
    v8::Isolate* iso = (*rt)->isolate();
    v8::HandleScope scope(iso);
    v8::TryCatch tc(iso);
    v8::Local<v8::WasmModuleObject> module;
    if (!v8::WasmModuleObject::Compile(iso, {wasm.data(), wasm.size()}).ToLocal(&module)) {
      return fail(ErrorKind::malformed_module, fmt::format("module '{}': {}", name, exception_text(iso, tc)));
    }
    auto info = read_module_info(wasm, name);
    if (!info) return tl::unexpected(info.error());
    (*rt)->pump_message_loop();
    return std::unique_ptr<Module>(std::make_unique<V8Module>(std::string(name), *rt, module, std::move(*info)));
  }

 private:
  V8Tier tier_;
  EngineInfo info_;
};

}  // namespace
}  // namespace v8engine

}  // namespace wasmhop

// The entry v8_loader.cpp looks up in wasmhop-v8.so (extern "C": one unmangled name to find; the
// types passed are C++, built by the same compiler in the same build).
extern "C" __attribute__((visibility("default"))) void wasmhop_v8_make_engine(
    wasmhop::V8Tier tier, wasmhop::Result<std::unique_ptr<wasmhop::Engine>>* out) {
  *out = std::unique_ptr<wasmhop::Engine>(std::make_unique<wasmhop::v8engine::V8Engine>(tier));
}
