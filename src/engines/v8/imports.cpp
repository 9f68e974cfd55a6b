#include "engines/v8/imports.hpp"

#include <fmt/format.h>

#include "engines/v8/v8_values.hpp"

namespace wasmhop::v8engine {
namespace {

v8::MaybeLocal<v8::String> js_string(v8::Isolate* iso, std::string_view s) {
  if (s.size() > static_cast<std::size_t>(v8::String::kMaxLength)) return {};
  return v8::String::NewFromUtf8(iso, s.data(), v8::NewStringType::kNormal, static_cast<int>(s.size()));
}

// The object at `key` of `parent`, created when missing.
v8::MaybeLocal<v8::Object> child(v8::Local<v8::Context> ctx, v8::Local<v8::Object> parent, v8::Local<v8::String> key) {
  v8::Local<v8::Value> v;
  if (!parent->Get(ctx, key).ToLocal(&v)) return {};
  if (v->IsObject()) return v.As<v8::Object>();
  const auto obj = v8::Object::New(ctx->GetIsolate());
  if (!parent->Set(ctx, key, obj).FromMaybe(false)) return {};
  return obj;
}

// An argument as the import's type: wasm's wrapper passed i32 as a Smi or HeapNumber, f32/f64
// as a Number, i64 as a BigInt.
inline bool load_arg(v8::Local<v8::Context> ctx, ValType t, v8::Local<v8::Value> v, RawVal& out) {
  if (t == ValType::i32 && v->IsInt32()) [[likely]] {
    out.i32 = v.As<v8::Int32>()->Value();
    return true;
  }
  return from_js(ctx, t, v, out);
}

void store_result(v8::Isolate* iso, ValType t, const RawVal& v, v8::ReturnValue<v8::Value> rv) {
  switch (t) {
    case ValType::i32: rv.Set(v.i32); return;  // a Smi where it fits: no allocation
    case ValType::i64: rv.Set(v8::BigInt::New(iso, v.i64)); return;
    case ValType::f32: rv.Set(static_cast<double>(v.f32)); return;
    case ValType::f64: rv.Set(v.f64); return;
  }
}

}  // namespace

void HostImports::callback(const v8::FunctionCallbackInfo<v8::Value>& info) {
  const auto& slot = *static_cast<const Slot*>(info.Data().As<v8::External>()->Value());
  v8::Isolate* const iso = info.GetIsolate();
  const FuncType& type = slot.bound.desc->type;
  const std::size_t np = type.params.size();
  const std::size_t nr = type.results.size();
  constexpr std::size_t kInline = 8;
  RawVal inline_io[kInline]{};
  std::vector<RawVal> wide;  // only for more than kInline params or results
  RawVal* io = inline_io;
  if (np > kInline || nr > kInline) {
    wide.resize(std::max(np, nr));
    io = wide.data();
  }
  const v8::Local<v8::Context> ctx = iso->GetCurrentContext();
  for (std::size_t i = 0; i < np; ++i) {
    if (!load_arg(ctx, type.params[i], info[static_cast<int>(i)], io[i])) [[unlikely]] return;  // V8 threw
  }
  if (slot.bound.call(slot.bound.ctx, &slot.owner->caller_, io) != 0) [[unlikely]] return throw_failure(iso, slot);
  if (nr == 1) [[likely]] return store_result(iso, type.results[0], io[0], info.GetReturnValue());
  if (nr == 0) return;
  // Several results: an array (wasm's wrapper reads any iterable).
  std::vector<v8::Local<v8::Value>> values(nr);
  for (std::size_t i = 0; i < nr; ++i) values[i] = to_js(iso, type.results[i], io[i]);
  info.GetReturnValue().Set(v8::Array::New(iso, values.data(), nr));
}

void HostImports::throw_failure(v8::Isolate* iso, const Slot& slot) {
  // Any exception will do: the core reports the host function's error, kept by its binding.
  const std::string text = fmt::format("host function {}.{} failed", slot.bound.desc->module, slot.bound.desc->field);
  v8::Local<v8::String> msg;
  if (!js_string(iso, text).ToLocal(&msg)) msg = v8::String::Empty(iso);
  iso->ThrowException(v8::Exception::Error(msg));
}

Result<std::unique_ptr<HostImports>> HostImports::create(v8::Isolate* iso, v8::Local<v8::Context> ctx,
                                                         std::span<const BoundImport> bound,
                                                         std::span<const std::string> modules,
                                                         std::string_view module_name) {
  auto out = std::unique_ptr<HostImports>(new HostImports());
  auto broken = [&] {
    return fail(ErrorKind::internal, fmt::format("module '{}': cannot build its imports object", module_name));
  };
  const auto object = v8::Object::New(iso);
  for (const auto& m : modules) {
    v8::Local<v8::String> key;
    v8::Local<v8::Object> unused;
    if (!js_string(iso, m).ToLocal(&key) || !child(ctx, object, key).ToLocal(&unused)) return broken();
  }
  out->slots_.reserve(bound.size());
  for (const BoundImport& b : bound) {
    out->slots_.push_back({b, out.get()});
    v8::Local<v8::String> mod, field;
    v8::Local<v8::Object> ns;
    v8::Local<v8::Function> fn;
    const auto data = v8::External::New(iso, &out->slots_.back());
    if (!js_string(iso, b.desc->module).ToLocal(&mod) || !js_string(iso, b.desc->field).ToLocal(&field) ||
        !child(ctx, object, mod).ToLocal(&ns) ||
        !v8::Function::New(ctx, &callback, data, static_cast<int>(b.desc->type.params.size()),
                           v8::ConstructorBehavior::kThrow)
             .ToLocal(&fn) ||
        !ns->Set(ctx, field, fn).FromMaybe(false)) {
      return broken();
    }
  }
  out->object_.Reset(iso, object);
  return out;
}

}  // namespace wasmhop::v8engine
