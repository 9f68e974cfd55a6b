#include "bench/engines/v8_entry_variants.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "engines/v8/v8_runtime.hpp"

namespace wasmhop::bench::v8entry {
namespace {

using v8engine::Runtime;
using v8engine::strong;

// The JS helpers, compiled once into the runtime's context.
v8::Global<v8::Function> g_js_mul;        // (a, b) => Math.imul(a, b): entering V8 without wasm
v8::Global<v8::Function> g_js_forward;    // (f, a, b) => f(a, b): one JS frame before the export
v8::Global<v8::Function> g_js_sum;        // the export called n times, results summed in JS
v8::Global<v8::Function> g_js_typed;      // arguments from / results to Int32Arrays, try/catch
v8::Global<v8::Function> g_js_typed_bare; // the same without try/catch
// The arrays of the typed loops: args (2 per call) and results (1 per call), in one ArrayBuffer
// whose memory the host writes and reads directly; done[0]: the call that threw.
v8::Global<v8::Int32Array> g_args, g_results, g_done;
std::int32_t* g_args_mem = nullptr;
std::int32_t* g_results_mem = nullptr;
std::int32_t* g_done_mem = nullptr;

constexpr const char* kJsMul = "(function (a, b) { return Math.imul(a, b); })";
constexpr const char* kJsForward = "(function (f, a, b) { return f(a, b); })";
constexpr const char* kJsSum =
    "(function (f, n, a, b) { let s = 0; for (let i = 0; i < n; i++) s += f(a + i, b); return s; })";
constexpr const char* kJsTyped =
    "(function (f, n, args, out, done) {"
    "  let i = 0;"
    "  try { for (; i < n; i++) out[i] = f(args[2 * i], args[2 * i + 1]); }"
    "  catch (e) { done[0] = i; throw e; }"
    "})";
constexpr const char* kJsTypedBare =
    "(function (f, n, args, out) { for (let i = 0; i < n; i++) out[i] = f(args[2 * i], args[2 * i + 1]); })";

v8::Isolate* iso() { return Runtime::current()->isolate(); }
v8::Local<v8::Context> ctx() { return Runtime::current()->context(); }

tl::unexpected<Error> wrong(std::int64_t call, std::int64_t got, std::int64_t want) {
  return fail(ErrorKind::internal, fmt::format("call {}: got {}, expected {}", call, got, want));
}

// A call that threw without a TryCatch: the runtime's message listener kept the text.
tl::unexpected<Error> threw(const std::string& where) {
  return fail(ErrorKind::trap, fmt::format("{}: {}", where, Runtime::current()->take_uncaught_message()));
}

// ---- One host entry per call ------------------------------------------------------------------

// The engine's path written by hand: a HandleScope per call, the arguments as Integers, the call,
// the result as int32. No TryCatch: a failed call leaves an empty result, the listener the text.
Result<std::int64_t> per_call(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    v8::HandleScope scope(i8);
    const auto a = static_cast<std::int32_t>(i);
    v8::Local<v8::Value> argv[2] = {v8::Integer::New(i8, a), v8::Integer::New(i8, w.b(i))};
    v8::Local<v8::Value> r;
    std::int32_t v = 0;
    if (!w.f->Call(c, v8::Undefined(i8), 2, argv).ToLocal(&r)) [[unlikely]] return threw(fmt::format("call {}", i));
    if (!r->Int32Value(c).To(&v) || v != w.expect(a, w.b(i))) [[unlikely]] return wrong(i, v, w.expect(a, w.b(i)));
    sum += v;
  }
  return sum;
}

// A TryCatch per call: what an embedder writes to learn why a call failed.
Result<std::int64_t> per_call_trycatch(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    v8::HandleScope scope(i8);
    v8::TryCatch tc(i8);
    const auto a = static_cast<std::int32_t>(i);
    v8::Local<v8::Value> argv[2] = {v8::Integer::New(i8, a), v8::Integer::New(i8, w.b(i))};
    v8::Local<v8::Value> r;
    std::int32_t v = 0;
    if (!w.f->Call(c, v8::Undefined(i8), 2, argv).ToLocal(&r)) [[unlikely]] {
      return fail(ErrorKind::trap, fmt::format("call {}: {}", i, v8engine::exception_text(i8, tc)));
    }
    if (!r->Int32Value(c).To(&v) || v != w.expect(a, w.b(i))) [[unlikely]] return wrong(i, v, w.expect(a, w.b(i)));
    sum += v;
  }
  return sum;
}

// The function kept in a Global and made a Local the documented way on every call (Global::Get).
Result<std::int64_t> per_call_global_get(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  static v8::Global<v8::Function> global;
  global.Reset(i8, w.f);
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    v8::HandleScope scope(i8);
    const v8::Local<v8::Function> f = global.Get(i8);
    const auto a = static_cast<std::int32_t>(i);
    v8::Local<v8::Value> argv[2] = {v8::Integer::New(i8, a), v8::Integer::New(i8, w.b(i))};
    v8::Local<v8::Value> r;
    std::int32_t v = 0;
    if (!f->Call(c, v8::Undefined(i8), 2, argv).ToLocal(&r)) [[unlikely]] return threw(fmt::format("call {}", i));
    if (!r->Int32Value(c).To(&v) || v != w.expect(a, w.b(i))) [[unlikely]] return wrong(i, v, w.expect(a, w.b(i)));
    sum += v;
  }
  return sum;
}

// Object::CallAsFunction: the API's other way to call a callable object.
Result<std::int64_t> per_call_as_function(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  const v8::Local<v8::Object> obj = w.f;
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    v8::HandleScope scope(i8);
    const auto a = static_cast<std::int32_t>(i);
    v8::Local<v8::Value> argv[2] = {v8::Integer::New(i8, a), v8::Integer::New(i8, w.b(i))};
    v8::Local<v8::Value> r;
    std::int32_t v = 0;
    if (!obj->CallAsFunction(c, v8::Undefined(i8), 2, argv).ToLocal(&r)) [[unlikely]] return threw(fmt::format("call {}", i));
    if (!r->Int32Value(c).To(&v) || v != w.expect(a, w.b(i))) [[unlikely]] return wrong(i, v, w.expect(a, w.b(i)));
    sum += v;
  }
  return sum;
}

// Scopes per kBatch calls: the handles of a batch's calls pile up in one HandleScope (and, with
// Catch, one TryCatch watches the batch), which is then closed at once.
template <bool Catch>
Result<std::int64_t> batch_scope(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  std::int64_t sum = 0;
  for (std::int64_t base = 0; base < calls; base += kBatch) {
    v8::HandleScope scope(i8);
    std::optional<v8::TryCatch> tc;
    if constexpr (Catch) tc.emplace(i8);
    const std::int64_t end = std::min(calls, base + kBatch);
    for (std::int64_t i = base; i < end; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      v8::Local<v8::Value> argv[2] = {v8::Integer::New(i8, a), v8::Integer::New(i8, w.b(i))};
      v8::Local<v8::Value> r;
      std::int32_t v = 0;
      if (!w.f->Call(c, v8::Undefined(i8), 2, argv).ToLocal(&r)) [[unlikely]] {
        if constexpr (Catch) return fail(ErrorKind::trap, fmt::format("call {}: {}", i, v8engine::exception_text(i8, *tc)));
        return threw(fmt::format("call {}", i));
      }
      if (!r->Int32Value(c).To(&v) || v != w.expect(a, w.b(i))) [[unlikely]] return wrong(i, v, w.expect(a, w.b(i)));
      sum += v;
    }
  }
  return sum;
}

// Entering V8 for a JS function, no wasm: Math.imul(a, b) from C++ (w.f is not called).
Result<std::int64_t> per_call_js_only(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  const v8::Local<v8::Function> js = strong(g_js_mul);
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    v8::HandleScope scope(i8);
    const auto a = static_cast<std::int32_t>(i);
    v8::Local<v8::Value> argv[2] = {v8::Integer::New(i8, a), v8::Integer::New(i8, w.b(i))};
    v8::Local<v8::Value> r;
    std::int32_t v = 0;
    if (!js->Call(c, v8::Undefined(i8), 2, argv).ToLocal(&r)) [[unlikely]] return threw(fmt::format("call {}", i));
    const std::int32_t want = static_cast<std::int32_t>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(w.b(i)));
    if (!r->Int32Value(c).To(&v) || v != want) [[unlikely]] return wrong(i, v, want);
    sum += v;
  }
  return sum;
}

// C++ -> a JS function that calls the export: one JS frame before the JS-to-wasm wrapper.
Result<std::int64_t> per_call_forward(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  const v8::Local<v8::Function> js = strong(g_js_forward);
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < calls; ++i) {
    v8::HandleScope scope(i8);
    const auto a = static_cast<std::int32_t>(i);
    v8::Local<v8::Value> argv[3] = {w.f, v8::Integer::New(i8, a), v8::Integer::New(i8, w.b(i))};
    v8::Local<v8::Value> r;
    std::int32_t v = 0;
    if (!js->Call(c, v8::Undefined(i8), 3, argv).ToLocal(&r)) [[unlikely]] return threw(fmt::format("call {}", i));
    if (!r->Int32Value(c).To(&v) || v != w.expect(a, w.b(i))) [[unlikely]] return wrong(i, v, w.expect(a, w.b(i)));
    sum += v;
  }
  return sum;
}

// ---- Many calls per host entry: a JS loop that V8 compiles ------------------------------------

// The brief's loop: f(a + i, b) for i < n, summed in JS; the host checks each batch's sum against
// its own. b is the batch's first call's (a division by zero traps at the batch's first call).
Result<std::int64_t> js_sum(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  const v8::Local<v8::Function> js = strong(g_js_sum);
  std::int64_t sum = 0;
  for (std::int64_t base = 0; base < calls; base += kBatch) {
    v8::HandleScope scope(i8);
    const std::int64_t n = std::min(kBatch, calls - base);
    const bool zero = w.zero_at >= base && w.zero_at < base + n;
    const std::int32_t b = zero ? 0 : 7;
    v8::Local<v8::Value> argv[4] = {w.f, v8::Integer::New(i8, static_cast<std::int32_t>(n)),
                                    v8::Integer::New(i8, static_cast<std::int32_t>(base)), v8::Integer::New(i8, b)};
    v8::Local<v8::Value> r;
    double got = 0;
    if (!js->Call(c, v8::Undefined(i8), 4, argv).ToLocal(&r)) [[unlikely]] {
      return threw(fmt::format("batch of calls {}..{}", base, base + n - 1));
    }
    std::int64_t want = 0;
    for (std::int64_t i = base; i < base + n; ++i) want += w.expect(static_cast<std::int32_t>(i), b);
    if (!r->NumberValue(c).To(&got) || got != static_cast<double>(want)) [[unlikely]] {
      return fail(ErrorKind::internal, fmt::format("batch at call {}: sum {}, expected {}", base, got, want));
    }
    sum += want;
  }
  return sum;
}

// Arguments written by the host into an Int32Array, results read back from another: every
// result checked by the host. Try: the loop records the call that threw before rethrowing.
template <bool Try>
Result<std::int64_t> js_typed(const Work& w, std::int64_t calls) {
  v8::Isolate* const i8 = iso();
  const v8::Local<v8::Context> c = ctx();
  const v8::Local<v8::Function> js = strong(Try ? g_js_typed : g_js_typed_bare);
  std::int64_t sum = 0;
  for (std::int64_t base = 0; base < calls; base += kBatch) {
    v8::HandleScope scope(i8);
    const std::int64_t n = std::min(kBatch, calls - base);
    for (std::int64_t k = 0; k < n; ++k) {
      g_args_mem[2 * k] = static_cast<std::int32_t>(base + k);
      g_args_mem[2 * k + 1] = w.b(base + k);
    }
    v8::Local<v8::Value> argv[5] = {w.f, v8::Integer::New(i8, static_cast<std::int32_t>(n)), strong(g_args),
                                    strong(g_results), strong(g_done)};
    if (js->Call(c, v8::Undefined(i8), Try ? 5 : 4, argv).IsEmpty()) [[unlikely]] {
      if constexpr (Try) return threw(fmt::format("call {}", base + g_done_mem[0]));
      return threw(fmt::format("batch of calls {}..{}", base, base + n - 1));
    }
    for (std::int64_t k = 0; k < n; ++k) {
      const std::int32_t want = w.expect(g_args_mem[2 * k], g_args_mem[2 * k + 1]);
      if (g_results_mem[k] != want) [[unlikely]] return wrong(base + k, g_results_mem[k], want);
      sum += g_results_mem[k];
    }
  }
  return sum;
}

Result<v8::Local<v8::Function>> compile_js(v8::Isolate* i8, const char* src) {
  const v8::Local<v8::Context> c = ctx();
  v8::TryCatch tc(i8);
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> fn;
  if (!v8::Script::Compile(c, v8::String::NewFromUtf8(i8, src).ToLocalChecked()).ToLocal(&script) ||
      !script->Run(c).ToLocal(&fn) || !fn->IsFunction()) {
    return fail(ErrorKind::internal, fmt::format("compiling {}: {}", src, v8engine::exception_text(i8, tc)));
  }
  return fn.As<v8::Function>();
}

}  // namespace

Result<std::vector<Variant>> make_variants(v8::Isolate* i8) {
  v8::HandleScope scope(i8);
  const std::pair<v8::Global<v8::Function>*, const char*> sources[] = {
      {&g_js_mul, kJsMul}, {&g_js_forward, kJsForward}, {&g_js_sum, kJsSum},
      {&g_js_typed, kJsTyped}, {&g_js_typed_bare, kJsTypedBare}};
  for (const auto& [global, src] : sources) {
    auto fn = compile_js(i8, src);
    if (!fn) return tl::unexpected(fn.error());
    global->Reset(i8, *fn);
  }
  const std::size_t ints = 3 * kBatch + 1;  // args, results, done
  const auto buffer = v8::ArrayBuffer::New(i8, ints * sizeof(std::int32_t));
  auto* mem = static_cast<std::int32_t*>(buffer->Data());
  std::memset(mem, 0, ints * sizeof(std::int32_t));
  g_args.Reset(i8, v8::Int32Array::New(buffer, 0, 2 * kBatch));
  g_results.Reset(i8, v8::Int32Array::New(buffer, 2 * kBatch * sizeof(std::int32_t), kBatch));
  g_done.Reset(i8, v8::Int32Array::New(buffer, 3 * kBatch * sizeof(std::int32_t), 1));
  g_args_mem = mem;
  g_results_mem = mem + 2 * kBatch;
  g_done_mem = mem + 3 * kBatch;

  const std::string batch = fmt::format("{} calls per host entry", kBatch);
  return std::vector<Variant>{
      {"Function::Call, HandleScope per call", &per_call, "the engine's path by hand; every result checked"},
      {"Function::Call, Local from Global::Get per call", &per_call_global_get, "every result checked"},
      {"Function::Call, HandleScope + TryCatch per call", &per_call_trycatch, "every result checked"},
      {"Object::CallAsFunction, HandleScope per call", &per_call_as_function, "every result checked"},
      {"Function::Call, HandleScope per batch", &batch_scope<false>, batch + "; every result checked"},
      {"Function::Call, HandleScope + TryCatch per batch", &batch_scope<true>, batch + "; every result checked"},
      {"JS (f, a, b) => f(a, b) per call", &per_call_forward, "every result checked"},
      {"JS Math.imul per call (no wasm)", &per_call_js_only, "entering V8 alone; every result checked", false},
      {"JS loop, sum in JS", &js_sum, batch + "; each batch's sum checked"},
      {"JS loop, Int32Array args/results, try/catch", &js_typed<true>, batch + "; every result checked"},
      {"JS loop, Int32Array args/results, no try/catch", &js_typed<false>, batch + "; every result checked"},
  };
}

}  // namespace wasmhop::bench::v8entry
