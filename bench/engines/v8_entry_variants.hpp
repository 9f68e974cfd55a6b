// The ways of entering V8 from C++ that bench/engines/v8_entry.cpp compares: each runs `calls`
// calls of a wasm export (a, b) -> i32 written by hand against V8's embedding API, and checks
// what came back (every result, or a checksum per host entry where the JS side sums).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <v8.h>

#include "wasmhop/func.hpp"

namespace wasmhop::bench::v8entry {

// What one run calls: f(a, b) for a = 0, 1, ... and b = 7, except b = 0 at call `zero_at` (so
// that an export dividing by b traps there); `expect` is the host's own answer for one call.
struct Work {
  v8::Local<v8::Function> f;  // the export, from V8's own API
  Func engine_f;              // the same export of the same module through wasmhop's engine
  std::int32_t (*expect)(std::int32_t a, std::int32_t b) = nullptr;
  std::int64_t zero_at = -1;

  [[nodiscard]] std::int32_t b(std::int64_t i) const noexcept { return i == zero_at ? 0 : 7; }
};

// The sum of the results, or an error: a wrong result, or a call that threw (the error names
// the exception and the call, when the variant can tell which call it was).
using RunFn = Result<std::int64_t> (*)(const Work& work, std::int64_t calls);

struct Variant {
  std::string name;
  RunFn run = nullptr;
  std::string note;  // how results are checked, what the variant needs
  bool calls_export = true;  // false: a reference that calls no wasm (its traps are not checked)
};

// Compiles the JS helpers (once, in the current context) and lists every variant.
[[nodiscard]] Result<std::vector<Variant>> make_variants(v8::Isolate* iso);

// Calls made per host entry by the batch variants.
inline constexpr std::int64_t kBatch = 1024;

}  // namespace wasmhop::bench::v8entry
