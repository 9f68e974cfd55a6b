// The instance of the v8 engines (v8_engine.cpp builds it): its export calls, memory and lookups.
//
// Hot path (one export call): one HandleScope, the arguments as Locals in a stack array, the
// function and context read from their Globals without creating handles, the call, the result
// conversion; i32-only signatures up to four parameters get unrolled fast paths. No v8::TryCatch:
// it costs ~14 ns per call here (+15% on a ~93 ns Pair call), five times what the rest of our layer
// adds. A failed call leaves Function::Call empty, and the runtime's message listener has the text.
// Measured (bench/engines/engine_overhead, Pair, quiet machine): raw Function::Call ~93-95 ns,
// wasmhop ~96-98 ns (+2-4%); instruction counts (callgrind) 913-928 vs 944-957 per call.
//
// Entering V8 is most of that cost (~72 of ~76 ns here, docs/engines.md "V8's entry"): calls made in
// batches (Instance::call_many) come from a JS loop inside V8 instead (v8_many.hpp), ~10 ns a call.
//
// Traps: V8 throws WebAssembly.RuntimeError; its message maps to a TrapKind. Out-of-bounds
// accesses use V8's guard pages: V8's trap handler, consulted by wasmhop's process-wide signal
// handler, turns the fault into that exception. A stack overflow is V8's RangeError. (Explicit
// bounds checks instead, WASMHOP_V8_FLAGS=--wasm-enforce-bounds-checks, cost a byte loop over
// 1 MiB +55% with Liftoff, 0.51 -> 0.79 ns/byte, and up to +22% with TurboFan.)
//
// Memory: memory() caches base and size from `memory.buffer` and re-reads them only when that
// ArrayBuffer was detached, which V8 does on every grow (in place or not): ~5 ns per view.
//
// An instance stays usable after a trap (wasm semantics: memory and globals keep what the
// trapped call left).
//
// Time limits (InstanceOptions::call_timeout): each export's PackedCallFn first reads its
// instance's limit; with none it goes on as above (one load and a not-taken branch: callgrind, Pair
// call, 957 -> 960 instructions). With one it arms the runtime's Watchdog (v8_runtime.hpp: a thread
// that calls Isolate::TerminateExecution at the deadline), runs the same call, disarms; a call the
// watchdog stopped returns TrapKind::timeout and the termination is cancelled, so the instance
// goes on.
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "engines/v8/v8_instance.hpp"
#include "engines/v8/imports.hpp"
#include "engines/v8/v8_many.hpp"
#include "engines/v8/v8_runtime.hpp"
#include "engines/v8/v8_values.hpp"
#include "engines/common/wasm_module_info.hpp"

namespace wasmhop {
namespace v8engine {
using moduleinfo::ParsedExport;
using moduleinfo::WasmModuleInfo;

namespace {

constexpr int kInlineArgs = 8;  // parameters passed from a stack array; more use a per-export one

class V8Instance;

// Everything one export call needs; lives as long as its instance (Func::ctx points here).
struct ExportSlot {
  V8Instance* owner = nullptr;
  v8::Global<v8::Function> fn;
  FuncType type;
  std::string name;
  std::string unsupported;       // a value type wasmhop cannot pass (lookup refuses it)
  int nparams = 0;
  std::vector<v8::Local<v8::Value>> spill;  // argv when nparams > kInlineArgs
  PackedCallFn call = nullptr;              // Func::call: checks for a time limit, then `body`
  PackedCallFn body = nullptr;              // the call: a fast path for its signature, or the generic one
  ManyLoop many;                            // call_many's JS loop (compiled on first use)
};


class V8Instance final : public Instance {
 public:
  V8Instance(std::string module, Runtime* rt, std::unique_ptr<HostImports> host)
      : Instance(std::move(module)), rt_(rt), host_(std::move(host)) {}

  Status init(v8::Local<v8::Object> instance, const WasmModuleInfo& info);

  GuestMemory memory() override {
    if (memory_object_.IsEmpty()) return {};
    // Growing memory detaches the ArrayBuffer we read base and size from; until then both hold.
    // (With V8's guard regions the base does not move, but we never rely on it.)
    if (strong(buffer_)->WasDetached()) [[unlikely]] {
      if (!refresh_memory()) return {};
    }
    return {base_, size_};
  }

  std::string last_error_detail() const override { return last_error_; }

  // The generic PackedCallFn (any signature). Checked: looks at the time limit first.
  template <bool Checked>
  static TrapKind call(void* ctx, RawVal* io) noexcept;

  [[nodiscard]] bool timed() const noexcept { return call_timeout().count() != 0; }
  // A call under the time limit (cold: only instances with a limit come here).
  [[gnu::cold]] TrapKind timed_call(const ExportSlot& e, RawVal* io) noexcept;

  // call_many: a JS loop inside V8 (v8_many.hpp); one by one under a time limit (each call has
  // its own), for types the loop cannot pass, and when V8 is busy with an outer call_many.
  TrapKind run_many(const Func& f, const RawVal* args, RawVal* results, std::size_t count,
                    std::size_t& done) noexcept override;

  // The ends of a call that went wrong (cold): they record last_error_ and name the trap.
  [[gnu::cold]] TrapKind call_failed() noexcept;
  [[gnu::cold]] TrapKind bad_result(const ExportSlot& e) noexcept;
  [[gnu::cold]] TrapKind wrong_thread() noexcept;

 protected:
  Result<Func> lookup(std::string_view name) override;

 private:
  [[gnu::cold]] TrapKind store_results(const ExportSlot& e, v8::Local<v8::Context> ctx,
                                       v8::Local<v8::Value> result, RawVal* io) noexcept;
  [[gnu::cold]] bool refresh_memory();
  // The CallerView of this instance's host functions: its memory now.
  static void caller_memory(void* self, std::uint8_t** base, std::uint64_t* size) noexcept;

  Runtime* rt_;
  std::unique_ptr<HostImports> host_;  // the data of the functions in its imports object
  v8::Global<v8::Object> instance_;
  v8::Global<v8::Object> exports_;
  std::vector<std::unique_ptr<ExportSlot>> slots_;
  std::unordered_map<std::string_view, ExportSlot*> by_name_;  // keys view the slots' names
  v8::Global<v8::Object> memory_object_;
  v8::Global<v8::ArrayBuffer> buffer_;
  std::uint8_t* base_ = nullptr;
  std::uint64_t size_ = 0;
  std::string last_error_;
};

template <bool Checked>
TrapKind V8Instance::call(void* ctx, RawVal* io) noexcept {
  ExportSlot& e = *static_cast<ExportSlot*>(ctx);
  if constexpr (Checked) {
    if (e.owner->timed()) [[unlikely]] return e.owner->timed_call(e, io);
  }
  Runtime* const rt = Runtime::current();
  if (rt == nullptr) [[unlikely]] return e.owner->wrong_thread();
  v8::Isolate* const iso = rt->isolate();
  v8::HandleScope scope(iso);
  const v8::Local<v8::Context> context = rt->context();
  v8::Local<v8::Value> inline_args[kInlineArgs];
  v8::Local<v8::Value>* argv = e.nparams <= kInlineArgs ? inline_args : e.spill.data();
  const ValType* params = e.type.params.data();
  for (int i = 0; i < e.nparams; ++i) argv[i] = to_js(iso, params[i], io[i]);
  v8::Local<v8::Value> result;
  if (!strong(e.fn)->Call(context, v8::Undefined(iso), e.nparams, argv).ToLocal(&result)) [[unlikely]] {
    return e.owner->call_failed();
  }
  const std::size_t nresults = e.type.results.size();
  if (nresults == 1) [[likely]] {
    if (!from_js(context, e.type.results[0], result, io[0])) [[unlikely]] return e.owner->bad_result(e);
    return TrapKind::none;
  }
  if (nresults == 0) return TrapKind::none;
  return e.owner->store_results(e, context, result, io);
}

// Fast paths for the common shapes: N i32 parameters (N <= 4) and no or one result. The same
// steps as the generic call with the parameter loop unrolled, no type dispatch and no argument
// array to clear (a few dozen instructions less per call).
template <int N, int Result, bool Checked>  // Result: -1 none, else a ValType
TrapKind call_i32_params(void* ctx, RawVal* io) noexcept {
  ExportSlot& e = *static_cast<ExportSlot*>(ctx);
  if constexpr (Checked) {
    if (e.owner->timed()) [[unlikely]] return e.owner->timed_call(e, io);
  }
  Runtime* const rt = Runtime::current();
  if (rt == nullptr) [[unlikely]] return e.owner->wrong_thread();
  v8::Isolate* const iso = rt->isolate();
  v8::HandleScope scope(iso);
  const v8::Local<v8::Context> context = rt->context();
  v8::Local<v8::Value> argv[N > 0 ? N : 1];
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((argv[I] = v8::Integer::New(iso, io[I].i32)), ...);
  }(std::make_index_sequence<N>{});
  v8::Local<v8::Value> result;
  if (!strong(e.fn)->Call(context, v8::Undefined(iso), N, argv).ToLocal(&result)) [[unlikely]] {
    return e.owner->call_failed();
  }
  if constexpr (Result >= 0) {
    if (!from_js(context, static_cast<ValType>(Result), result, io[0])) [[unlikely]] return e.owner->bad_result(e);
  }
  return TrapKind::none;
}

static_assert(static_cast<int>(ValType::i32) == 0 && static_cast<int>(ValType::i64) == 1 &&
              static_cast<int>(ValType::f32) == 2 && static_cast<int>(ValType::f64) == 3);

template <int N, bool Checked>
constexpr std::array<PackedCallFn, 5> i32_params_row() {
  return {&call_i32_params<N, -1, Checked>, &call_i32_params<N, 0, Checked>, &call_i32_params<N, 1, Checked>,
          &call_i32_params<N, 2, Checked>, &call_i32_params<N, 3, Checked>};
}

// Checked: the export's Func::call (looks at the time limit); unchecked: its body.
template <bool Checked>
PackedCallFn pick_call(const FuncType& t) {
  static constexpr std::array<std::array<PackedCallFn, 5>, 5> kFast = {
      i32_params_row<0, Checked>(), i32_params_row<1, Checked>(), i32_params_row<2, Checked>(),
      i32_params_row<3, Checked>(), i32_params_row<4, Checked>()};
  const bool all_i32 = std::all_of(t.params.begin(), t.params.end(), [](ValType v) { return v == ValType::i32; });
  if (!all_i32 || t.params.size() >= kFast.size() || t.results.size() > 1) return &V8Instance::call<Checked>;
  const std::size_t r = t.results.empty() ? 0 : 1 + static_cast<std::size_t>(t.results[0]);
  return kFast[t.params.size()][r];
}

TrapKind V8Instance::store_results(const ExportSlot& e, v8::Local<v8::Context> ctx,
                                   v8::Local<v8::Value> result, RawVal* io) noexcept {
  // Several results come back as an array.
  if (!result->IsArray()) return bad_result(e);
  const auto array = result.As<v8::Array>();
  for (std::size_t i = 0; i < e.type.results.size(); ++i) {
    v8::Local<v8::Value> v;
    if (!array->Get(ctx, static_cast<std::uint32_t>(i)).ToLocal(&v) ||
        !from_js(ctx, e.type.results[i], v, io[i])) {
      return bad_result(e);
    }
  }
  return TrapKind::none;
}

TrapKind V8Instance::timed_call(const ExportSlot& e, RawVal* io) noexcept {
  Runtime* const rt = Runtime::current();
  if (rt == nullptr) return wrong_thread();
  Watchdog& dog = rt->watchdog();
  dog.arm(Watchdog::Clock::now() + call_timeout());
  const TrapKind t = e.body(const_cast<ExportSlot*>(&e), io);
  if (dog.disarm() && t != TrapKind::none) {
    static_cast<void>(rt->take_uncaught_message());
    last_error_.clear();
    return TrapKind::timeout;
  }
  return t;
}

TrapKind V8Instance::run_many(const Func& f, const RawVal* args, RawVal* results, std::size_t count,
                              std::size_t& done) noexcept {
  ExportSlot& e = *static_cast<ExportSlot*>(f.ctx);
  Runtime* const rt = Runtime::current();
  if (rt == nullptr) [[unlikely]] {
    done = 0;
    return wrong_thread();
  }
  bool threw = false;
  if (timed() || !ManyLoop::supports(e.type) ||
      !e.many.run(*rt, strong(e.fn), e.type, args, results, count, done, threw)) {
    return Instance::run_many(f, args, results, count, done);
  }
  return threw ? call_failed() : TrapKind::none;
}

TrapKind V8Instance::call_failed() noexcept {
  std::string text = rt_->take_uncaught_message();
  if (text.empty()) {
    last_error_ = "V8 reported an exception without a message";
    return TrapKind::unknown;
  }
  const TrapKind kind = classify_exception(text);
  last_error_ = std::move(text);
  return kind;
}

TrapKind V8Instance::bad_result(const ExportSlot& e) noexcept {
  last_error_ = fmt::format("V8 returned a value that does not match the result type {}", e.type.to_string());
  return TrapKind::host_error;
}

TrapKind V8Instance::wrong_thread() noexcept {
  last_error_ = wrong_thread_error(module_name()).message;
  return TrapKind::host_error;
}

Status V8Instance::init(v8::Local<v8::Object> instance, const WasmModuleInfo& info) {
  v8::Isolate* iso = rt_->isolate();
  const v8::Local<v8::Context> ctx = rt_->context();
  v8::TryCatch tc(iso);
  auto internal = [&](std::string_view what) {
    return fail(ErrorKind::internal, fmt::format("module '{}': V8 instance has no usable {}", module_name(), what));
  };
  instance_.Reset(iso, instance);
  v8::Local<v8::Value> exports;
  if (!instance->Get(ctx, rt_->exports_string()).ToLocal(&exports) || !exports->IsObject()) {
    return internal("exports object");
  }
  exports_.Reset(iso, exports.As<v8::Object>());
  for (const ParsedExport& pe : info.exports) {
    const bool is_memory = pe.desc.kind == ExportKind::memory && pe.desc.name == info.memory_export;
    if (pe.desc.kind != ExportKind::function && !is_memory) continue;
    v8::Local<v8::String> name;
    v8::Local<v8::Value> value;
    if (!v8::String::NewFromUtf8(iso, pe.desc.name.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(pe.desc.name.size()))
             .ToLocal(&name) ||
        !exports.As<v8::Object>()->Get(ctx, name).ToLocal(&value)) {
      return internal(fmt::format("export '{}'", pe.desc.name));
    }
    if (is_memory) {
      if (!value->IsObject()) return internal(fmt::format("memory '{}'", pe.desc.name));
      memory_object_.Reset(iso, value.As<v8::Object>());
      if (!refresh_memory()) return internal(fmt::format("memory buffer '{}'", pe.desc.name));
      continue;
    }
    if (!value->IsFunction()) return internal(fmt::format("function '{}'", pe.desc.name));
    const auto fn = value.As<v8::Function>();
    auto slot = std::make_unique<ExportSlot>();
    slot->owner = this;
    slot->fn.Reset(iso, fn);
    slot->type = pe.desc.type;
    slot->name = pe.desc.name;
    slot->unsupported = pe.unsupported;
    slot->nparams = static_cast<int>(slot->type.params.size());
    if (slot->nparams > kInlineArgs) slot->spill.resize(static_cast<std::size_t>(slot->nparams));
    slot->call = pick_call<true>(slot->type);
    slot->body = pick_call<false>(slot->type);
    by_name_.emplace(slot->name, slot.get());
    slots_.push_back(std::move(slot));
  }
  if (host_) host_->set_caller(CallerView{this, &caller_memory});
  return {};
}

void V8Instance::caller_memory(void* self, std::uint8_t** base, std::uint64_t* size) noexcept {
  auto* inst = static_cast<V8Instance*>(self);
  static_cast<void>(inst->memory());  // refreshes base_ and size_ after a grow
  *base = inst->base_;
  *size = inst->size_;
}

bool V8Instance::refresh_memory() {
  if (Runtime::current() != rt_) return false;
  v8::Isolate* iso = rt_->isolate();
  v8::HandleScope scope(iso);
  v8::TryCatch tc(iso);
  v8::Local<v8::Value> buffer;
  if (!strong(memory_object_)->Get(rt_->context(), rt_->buffer_string()).ToLocal(&buffer) ||
      !buffer->IsArrayBuffer()) {
    base_ = nullptr;
    size_ = 0;
    return false;
  }
  const auto ab = buffer.As<v8::ArrayBuffer>();
  buffer_.Reset(iso, ab);
  base_ = static_cast<std::uint8_t*>(ab->Data());
  size_ = ab->ByteLength();
  return true;
}

Result<Func> V8Instance::lookup(std::string_view name) {
  if (Runtime::current() != rt_) return tl::unexpected(wrong_thread_error(module_name()));
  v8::Isolate* iso = rt_->isolate();
  v8::HandleScope scope(iso);
  const v8::Local<v8::Context> ctx = rt_->context();
  auto missing = [&](std::string_view why) {
    return fail(ErrorKind::missing_export,
                fmt::format("module '{}' has no exported function '{}'{}", module_name(), name, why));
  };
  // V8's own lookup, every time: a property read on the instance's exports object (a frozen
  // object with data properties only, so the read cannot run script or throw). The key is made
  // internalized at once, as V8 would make it for the lookup anyway.
  v8::Local<v8::String> key;
  v8::Local<v8::Value> value;
  if (name.size() > static_cast<std::size_t>(v8::String::kMaxLength) ||
      !v8::String::NewFromUtf8(iso, name.data(), v8::NewStringType::kInternalized, static_cast<int>(name.size()))
           .ToLocal(&key) ||
      !strong(exports_)->Get(ctx, key).ToLocal(&value) || value->IsUndefined()) {
    return missing("");
  }
  if (!value->IsFunction()) return missing(" (that export is not a function)");
  // V8 found it; our slot for that name holds the handle, its type and its call path.
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) {
    return fail(ErrorKind::internal, fmt::format("module '{}': V8 exports '{}', the binary did not", module_name(), name));
  }
  ExportSlot* const slot = it->second;
  if (!slot->unsupported.empty()) {
    return fail(ErrorKind::signature_mismatch,
                fmt::format("module '{}', export '{}': its type uses {}, which wasmhop cannot pass",
                            module_name(), slot->name, slot->unsupported));
  }
  return Func{slot->call, slot, &slot->type, this, slot->name.c_str()};
}

}  // namespace

Result<std::unique_ptr<Instance>> make_instance(std::string module, Runtime* rt, std::unique_ptr<HostImports> host,
                                                v8::Local<v8::Object> instance, const WasmModuleInfo& info) {
  auto out = std::make_unique<V8Instance>(std::move(module), rt, std::move(host));
  if (auto st = out->init(instance, info); !st) return tl::unexpected(st.error());
  return std::unique_ptr<Instance>(std::move(out));
}

}  // namespace v8engine
}  // namespace wasmhop
