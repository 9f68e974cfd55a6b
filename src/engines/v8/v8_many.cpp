#include "engines/v8/v8_many.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include <fmt/format.h>

namespace wasmhop::v8engine {
namespace {

// One chunk's arguments, then its results, as RawVal slots: 64 KiB.
constexpr std::size_t kSlots = 8192;

// The scratch ArrayBuffer the loops read and write, with its views (one of each element type
// over the whole buffer; `done` over the int32 after the slots). One per process, as V8 is.
struct Scratch {
  v8::Global<v8::Int32Array> i32;
  v8::Global<v8::BigInt64Array> i64;
  v8::Global<v8::Float32Array> f32;
  v8::Global<v8::Float64Array> f64;
  v8::Global<v8::Int32Array> done;
  RawVal* slots = nullptr;
  std::int32_t* done_at = nullptr;
  bool busy = false;  // a loop runs: a call_many from a host function inside it goes one by one
};

// Created on first use and never freed: V8 is never torn down either (v8_runtime.hpp).
Scratch& scratch(Runtime& rt) {
  static Scratch* s = nullptr;
  if (s != nullptr) return *s;
  v8::Isolate* iso = rt.isolate();
  v8::HandleScope scope(iso);
  const std::size_t bytes = kSlots * sizeof(RawVal) + sizeof(std::int32_t);
  const v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(iso, bytes);
  auto* mem = static_cast<std::uint8_t*>(buffer->Data());
  std::memset(mem, 0, bytes);
  s = new Scratch;
  s->i32.Reset(iso, v8::Int32Array::New(buffer, 0, 2 * kSlots));
  s->i64.Reset(iso, v8::BigInt64Array::New(buffer, 0, kSlots));
  s->f32.Reset(iso, v8::Float32Array::New(buffer, 0, 2 * kSlots));
  s->f64.Reset(iso, v8::Float64Array::New(buffer, 0, kSlots));
  s->done.Reset(iso, v8::Int32Array::New(buffer, kSlots * sizeof(RawVal), 1));
  s->slots = reinterpret_cast<RawVal*>(mem);
  s->done_at = reinterpret_cast<std::int32_t*>(mem + kSlots * sizeof(RawVal));
  return *s;
}

// Slot `index` (a JS expression) of the view for type t: 32-bit values are the low half of their
// 8-byte slot (little-endian), as in RawVal.
std::string element(ValType t, const std::string& index) {
  switch (t) {
    case ValType::i32: return fmt::format("I[2 * ({})]", index);
    case ValType::i64: return fmt::format("L[{}]", index);
    case ValType::f32: return fmt::format("F[2 * ({})]", index);
    case ValType::f64: return fmt::format("D[{}]", index);
  }
  return "undefined";
}

bool is_32bit(ValType t) { return t == ValType::i32 || t == ValType::f32; }

// The JS source of the loop factory for a type: (f) => function (n, ro, I, L, F, D, done) {...}
std::string many_loop_source(const FuncType& type) {
  const std::size_t p = type.params.size();
  std::string args;
  for (std::size_t j = 0; j < p; ++j) {
    if (j > 0) args += ", ";
    args += element(type.params[j], j == 0 ? std::string("a") : fmt::format("a + {}", j));
  }
  const std::string call = fmt::format("f({})", args);
  const std::string body =
      type.results.empty() ? call + ";" : fmt::format("{} = {};", element(type.results[0], "ro + k"), call);
  // n calls; call k's arguments at slots [k*p, k*p+p), its result at slot ro + k. The call that
  // threw is stored in done[0] before the exception goes on to the host.
  return fmt::format(
      "(function (f) {{\n"
      "  return function (n, ro, I, L, F, D, done) {{\n"
      "    let k = 0;\n"
      "    try {{\n"
      "      for (let a = 0; k < n; k++, a += {}) {{ {} }}\n"
      "    }} catch (e) {{\n"
      "      done[0] = k;\n"
      "      throw e;\n"
      "    }}\n"
      "  }};\n"
      "}})",
      p, body);
}

}  // namespace

bool ManyLoop::supports(const FuncType& type) noexcept {
  return type.params.size() <= kMaxParams && type.results.size() <= 1;
}

bool ManyLoop::compile(Runtime& rt, v8::Local<v8::Function> fn, const FuncType& type) {
  static std::uint64_t serial = 0;
  v8::Isolate* iso = rt.isolate();
  const v8::Local<v8::Context> ctx = rt.context();
  v8::TryCatch tc(iso);
  // A source of its own per export (the serial): V8 would share one compiled function between
  // equal sources, and with it the feedback of the loop's call site, which would then see many
  // exports instead of one.
  const std::string src = many_loop_source(type) + fmt::format("\n// wasmhop call_many loop {}\n", ++serial);
  v8::Local<v8::String> text;
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> factory, loop;
  v8::Local<v8::Value> argv[1] = {fn};
  if (!v8::String::NewFromUtf8(iso, src.data(), v8::NewStringType::kNormal, static_cast<int>(src.size()))
           .ToLocal(&text) ||
      !v8::Script::Compile(ctx, text).ToLocal(&script) || !script->Run(ctx).ToLocal(&factory) ||
      !factory->IsFunction() ||
      !factory.As<v8::Function>()->Call(ctx, v8::Undefined(iso), 1, argv).ToLocal(&loop) || !loop->IsFunction()) {
    return false;
  }
  loop_.Reset(iso, loop.As<v8::Function>());
  return true;
}

bool ManyLoop::run(Runtime& rt, v8::Local<v8::Function> fn, const FuncType& type, const RawVal* args,
                   RawVal* results, std::size_t count, std::size_t& done, bool& threw) noexcept {
  if (failed_) return false;
  Scratch& s = scratch(rt);
  if (s.busy) return false;
  v8::Isolate* const iso = rt.isolate();
  v8::HandleScope scope(iso);
  if (loop_.IsEmpty() && !compile(rt, fn, type)) {
    failed_ = true;
    return false;
  }
  const std::size_t p = type.params.size();
  const bool has_result = !type.results.empty();
  const bool narrow = has_result && is_32bit(type.results[0]);
  const std::size_t chunk = kSlots / std::max<std::size_t>(1, p + (has_result ? 1 : 0));
  const v8::Local<v8::Context> ctx = rt.context();
  const v8::Local<v8::Function> loop = strong(loop_);
  v8::Local<v8::Value> argv[7] = {v8::Local<v8::Value>(), v8::Local<v8::Value>(), strong(s.i32),
                                  strong(s.i64), strong(s.f32), strong(s.f64), strong(s.done)};
  s.busy = true;
  done = 0;
  threw = false;
  while (done < count) {
    v8::HandleScope chunk_scope(iso);
    const std::size_t n = std::min(chunk, count - done);
    std::memcpy(s.slots, args + done * p, n * p * sizeof(RawVal));
    argv[0] = v8::Integer::New(iso, static_cast<std::int32_t>(n));
    argv[1] = v8::Integer::New(iso, static_cast<std::int32_t>(n * p));
    *s.done_at = 0;  // stays 0 when the loop threw before its first call (a stack overflow)
    const bool ok = !loop->Call(ctx, v8::Undefined(iso), 7, argv).IsEmpty();
    const std::size_t completed = ok ? n : std::min<std::size_t>(n, static_cast<std::size_t>(std::max(0, *s.done_at)));
    if (has_result) {
      const RawVal* out = s.slots + n * p;
      RawVal* dst = results + done;
      // A 32-bit result writes its low half only, as a single call does (from_js).
      if (narrow) {
        for (std::size_t k = 0; k < completed; ++k) std::memcpy(&dst[k], &out[k], 4);
      } else {
        std::memcpy(dst, out, completed * sizeof(RawVal));
      }
    }
    done += completed;
    if (!ok) {
      threw = true;
      break;
    }
  }
  s.busy = false;
  return true;
}

}  // namespace wasmhop::v8engine
