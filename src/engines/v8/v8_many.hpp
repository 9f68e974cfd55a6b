// Instance::call_many for V8: many calls of one export per entry from C++ into V8.
//
// Entering V8 from C++ costs ~60 ns per Function::Call here, while a call from JS code that V8
// has compiled costs a few (docs/engines.md, "V8's entry"; bench/engines/v8_entry.cpp). So the
// calls are made by a small JS loop, one per export, that reads each call's arguments from typed
// arrays over a scratch ArrayBuffer, calls the export and stores its result there: the host
// copies arguments in and results out, one entry per chunk of calls. A trap (or a failing host
// function) inside the loop is a JS exception: the loop records the call it was in and rethrows,
// so the host learns which call trapped and why (the runtime's message listener), as for a
// single call.
#pragma once

#include <cstddef>

#include <v8.h>

#include "engines/v8/v8_runtime.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop::v8engine {

class ManyLoop {
 public:
  // Whether a JS loop can make calls of this type: at most kMaxParams parameters, at most one
  // result (a multi-value result is a JS array: those go one by one).
  [[nodiscard]] static bool supports(const FuncType& type) noexcept;
  static constexpr std::size_t kMaxParams = 16;

  // The calls (Instance::call_many's layout), from V8's thread. Returns false when the loop
  // cannot run now (the scratch buffer is in use by an outer call_many, or the loop did not
  // compile): the caller then makes the calls one by one. Otherwise `done` calls completed and
  // `threw` says whether call `done` ended with an exception, whose text the runtime's message
  // listener holds.
  [[nodiscard]] bool run(Runtime& rt, v8::Local<v8::Function> fn, const FuncType& type, const RawVal* args,
                         RawVal* results, std::size_t count, std::size_t& done, bool& threw) noexcept;

 private:
  [[nodiscard]] bool compile(Runtime& rt, v8::Local<v8::Function> fn, const FuncType& type);

  v8::Global<v8::Function> loop_;
  bool failed_ = false;  // the loop did not compile: never tried again
};

}  // namespace wasmhop::v8engine
