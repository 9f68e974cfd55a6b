// Wasm values at V8's JS boundary (export calls and host functions): i32, f32 and f64 are
// Numbers, i64 is a BigInt.
#pragma once

#include <v8.h>

#include "wasmhop/values.hpp"

namespace wasmhop::v8engine {

[[nodiscard]] inline v8::Local<v8::Value> to_js(v8::Isolate* iso, ValType t, const RawVal& v) {
  switch (t) {
    case ValType::i32: return v8::Integer::New(iso, v.i32);
    case ValType::i64: return v8::BigInt::New(iso, v.i64);
    case ValType::f32: return v8::Number::New(iso, static_cast<double>(v.f32));
    case ValType::f64: return v8::Number::New(iso, v.f64);
  }
  return v8::Undefined(iso);
}

// False when the value is not what the wasm type promises (V8's wrappers make that impossible).
[[nodiscard]] inline bool from_js(v8::Local<v8::Context> ctx, ValType t, v8::Local<v8::Value> v, RawVal& out) {
  switch (t) {
    case ValType::i32: return v->Int32Value(ctx).To(&out.i32);
    case ValType::i64:
      if (!v->IsBigInt()) return false;
      out.i64 = v.As<v8::BigInt>()->Int64Value();
      return true;
    case ValType::f32: {
      double d;
      if (!v->NumberValue(ctx).To(&d)) return false;
      out.f32 = static_cast<float>(d);
      return true;
    }
    case ValType::f64: return v->NumberValue(ctx).To(&out.f64);
  }
  return false;
}

}  // namespace wasmhop::v8engine
