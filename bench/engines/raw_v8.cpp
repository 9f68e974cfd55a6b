// Raw loops for the V8 engines: conformance.wasm's add_i32 called through V8's own embedding API,
// written by hand the way an embedder would. V8 starts once per process with one tier, so the
// isolate and its context come from wasmhop's V8 runtime (started with the tier's flags, as the
// engine does); everything else here — compile, instantiate, export lookup, calls — is plain V8.
#include <chrono>

#include <fmt/format.h>

#include "bench/engines/raw_pair.hpp"
#include "wasmhop/engine.hpp"

#if !__has_include(<v8.h>)  // built without V8 (no libnode-dev): nothing to measure

namespace wasmhop::bench {
Result<std::vector<RawVariant>> raw_pair_v8(const std::string& engine_id, const std::filesystem::path&, std::int64_t) {
  return fail(ErrorKind::engine_unavailable, fmt::format("raw_pair_v8: '{}': built without V8", engine_id));
}
}  // namespace wasmhop::bench

#else

#include "engines/v8/v8_runtime.hpp"

namespace wasmhop::bench {
namespace {

using Clock = std::chrono::steady_clock;

Result<V8Tier> tier_of(const std::string& id) {
  if (id == "v8") return V8Tier::dynamic;
  if (id == "v8-liftoff") return V8Tier::liftoff;
  if (id == "v8-turbofan") return V8Tier::turbofan;
  return fail(ErrorKind::invalid_argument, fmt::format("raw_pair_v8: '{}' is not a V8 engine id", id));
}

v8::Local<v8::String> str(v8::Isolate* iso, const char* s) {
  return v8::String::NewFromUtf8(iso, s).ToLocalChecked();
}

}  // namespace

// Long on purpose: a raw baseline reads top to bottom against V8's own API (set-up, then its timed loops).
Result<std::vector<RawVariant>> raw_pair_v8(const std::string& engine_id, const std::filesystem::path& wasm,
                                            std::int64_t calls) {
  auto tier = tier_of(engine_id);
  if (!tier) return tl::unexpected(tier.error());
  auto rt = v8engine::Runtime::acquire(*tier);
  if (!rt) return tl::unexpected(rt.error());
  auto bytes = read_file(wasm);
  if (!bytes) return tl::unexpected(bytes.error());

  v8::Isolate* iso = (*rt)->isolate();
  v8::HandleScope outer(iso);
  const v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  auto v8_error = [&](const v8::TryCatch& tc, const char* what) {
    return fail(ErrorKind::internal, fmt::format("raw V8: {}: {}", what, v8engine::exception_text(iso, tc)));
  };

  // Compile and instantiate by hand: WasmModuleObject::Compile, then `new WebAssembly.Instance`.
  v8::Local<v8::Function> add;
  {
    v8::TryCatch tc(iso);
    v8::Local<v8::WasmModuleObject> module;
    if (!v8::WasmModuleObject::Compile(iso, {bytes->data(), bytes->size()}).ToLocal(&module)) {
      return v8_error(tc, "compile");
    }
    v8::Local<v8::Value> wasm_ns, ctor, exports, fn;
    v8::Local<v8::Object> instance;
    if (!ctx->Global()->Get(ctx, str(iso, "WebAssembly")).ToLocal(&wasm_ns) ||
        !wasm_ns.As<v8::Object>()->Get(ctx, str(iso, "Instance")).ToLocal(&ctor)) {
      return v8_error(tc, "WebAssembly.Instance");
    }
    v8::Local<v8::Value> args[1] = {module};
    if (!ctor.As<v8::Function>()->NewInstance(ctx, 1, args).ToLocal(&instance) || tc.HasCaught()) {
      return v8_error(tc, "instantiate");
    }
    if (!instance->Get(ctx, str(iso, "exports")).ToLocal(&exports) ||
        !exports.As<v8::Object>()->Get(ctx, str(iso, "add_i32")).ToLocal(&fn) || !fn->IsFunction()) {
      return v8_error(tc, "exports.add_i32");
    }
    // _initialize: the reactor's constructors (add_i32 needs none, but run it as a host would).
    v8::Local<v8::Value> init;
    if (exports.As<v8::Object>()->Get(ctx, str(iso, "_initialize")).ToLocal(&init) && init->IsFunction()) {
      if (init.As<v8::Function>()->Call(ctx, v8::Undefined(iso), 0, nullptr).IsEmpty()) {
        return v8_error(tc, "_initialize");
      }
    }
    add = fn.As<v8::Function>();
  }
  const v8::Local<v8::Value> recv = v8::Undefined(iso);
  std::vector<RawVariant> out;
  auto wrong = [](std::int64_t i) {
    return fail(ErrorKind::internal, fmt::format("raw V8: add_i32({}, 7) failed or returned a wrong result", i));
  };

  // The baseline: a HandleScope per call (or handles pile up), the arguments as Integers, the
  // call, the result as int32. A failed call is noticed (empty result) but not explained.
  {
    std::int64_t sum = 0;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      v8::HandleScope scope(iso);
      v8::Local<v8::Value> argv[2] = {v8::Integer::New(iso, a), v8::Integer::New(iso, 7)};
      v8::Local<v8::Value> r;
      std::int32_t v = 0;
      if (!add->Call(ctx, recv, 2, argv).ToLocal(&r) || !r->Int32Value(ctx).To(&v) || v != a + 7) [[unlikely]] {
        return wrong(i);
      }
      sum += v;
    }
    out.push_back({"Function::Call (HandleScope per call)", std::chrono::duration<double>(Clock::now() - t0).count(), sum});
  }
  // What an embedder usually adds to learn why a call failed: a v8::TryCatch per call.
  {
    std::int64_t sum = 0;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      v8::HandleScope scope(iso);
      v8::TryCatch tc(iso);
      v8::Local<v8::Value> argv[2] = {v8::Integer::New(iso, a), v8::Integer::New(iso, 7)};
      v8::Local<v8::Value> r;
      std::int32_t v = 0;
      if (!add->Call(ctx, recv, 2, argv).ToLocal(&r) || !r->Int32Value(ctx).To(&v) || v != a + 7) [[unlikely]] {
        return v8_error(tc, "add_i32");
      }
      sum += v;
    }
    out.push_back({"Function::Call + TryCatch per call", std::chrono::duration<double>(Clock::now() - t0).count(), sum});
  }
  // A function kept in a v8::Global (as any long-lived handle must be) and turned into a Local
  // the documented way on every call: one more handle per call.
  {
    v8::Global<v8::Function> global(iso, add);
    std::int64_t sum = 0;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      v8::HandleScope scope(iso);
      const v8::Local<v8::Function> f = global.Get(iso);
      v8::Local<v8::Value> argv[2] = {v8::Integer::New(iso, a), v8::Integer::New(iso, 7)};
      v8::Local<v8::Value> r;
      std::int32_t v = 0;
      if (!f->Call(ctx, recv, 2, argv).ToLocal(&r) || !r->Int32Value(ctx).To(&v) || v != a + 7) [[unlikely]] {
        return wrong(i);
      }
      sum += v;
    }
    out.push_back({"Function::Call, Local from a Global per call (Global::Get)",
                   std::chrono::duration<double>(Clock::now() - t0).count(), sum});
  }
  return out;
}

}  // namespace wasmhop::bench

#endif  // __has_include(<v8.h>)
