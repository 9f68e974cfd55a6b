// V8's host functions: every BoundImport as a JS function with a C++ callback (V8's API-function
// path: wasm calls it through a wasm-to-JS wrapper and the CallApiCallback builtin), placed under
// its module and field in the imports object given to WebAssembly.Instance. The callback turns
// V8's arguments into RawVal slots, calls the binding and returns its results; a failing host
// function throws a JS exception, which unwinds the guest to the export call (Function::Call
// comes back empty, as after a trap) and the core reports the host function's own error.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <v8.h>

#include "wasmhop/engine.hpp"

namespace wasmhop::v8engine {

class HostImports {
 public:
  // The imports object for `bound`. Every module named in `modules` exists in it, even one with
  // no function: V8's link error then names a missing import itself.
  [[nodiscard]] static Result<std::unique_ptr<HostImports>> create(v8::Isolate* iso, v8::Local<v8::Context> ctx,
                                                                   std::span<const BoundImport> bound,
                                                                   std::span<const std::string> modules,
                                                                   std::string_view module_name);
  HostImports(const HostImports&) = delete;
  HostImports& operator=(const HostImports&) = delete;

  [[nodiscard]] v8::Local<v8::Object> object(v8::Isolate* iso) const { return object_.Get(iso); }

  // What host functions see of their caller from now on. Until it is set (while a start function
  // runs inside WebAssembly.Instance, before the instance's exports exist) they see no memory.
  void set_caller(const CallerView& view) noexcept { caller_ = view; }

 private:
  struct Slot {
    BoundImport bound;
    const HostImports* owner = nullptr;
  };

  HostImports() = default;
  static void callback(const v8::FunctionCallbackInfo<v8::Value>& info);
  [[gnu::cold]] static void throw_failure(v8::Isolate* iso, const Slot& slot);

  std::vector<Slot> slots_;  // never resized after create: the functions' data points here
  CallerView caller_{};
  v8::Global<v8::Object> object_;
};

}  // namespace wasmhop::v8engine
