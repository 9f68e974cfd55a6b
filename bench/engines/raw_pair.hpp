// Hand-written loops over each engine's own API, kept beside wasmhop's typed-handle loop so the
// cost of our layer stays visible. One file per engine: raw_<engine>.cpp.
//
// Every loop calls the conformance script's export add_i32(i, 7) `calls` times, checks every
// result (== i + 7), and times only the loop (compile and instantiate happen before).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::bench {

struct RawVariant {
  std::string name;     // e.g. "raw Function::Call", "raw + sigsetjmp guard (wabt default)"
  double seconds = 0;   // the loop only
  std::int64_t checksum = 0;  // sum of all results, to keep the work observable
};

// `wasm` is the conformance.wasm path (native: the .native.so next to it). The engine id picks
// the V8 tier; each function runs every raw variant it knows for that engine.
using RawPairBench = std::function<Result<std::vector<RawVariant>>(
    const std::string& engine_id, const std::filesystem::path& wasm, std::int64_t calls)>;

// native and wasm2c run at most `max_variants` loops (the first: the call with no trap guard).
Result<std::vector<RawVariant>> raw_pair_native(const std::string&, const std::filesystem::path&, std::int64_t,
                                                int max_variants = 8);
Result<std::vector<RawVariant>> raw_pair_wabt_interp(const std::string&, const std::filesystem::path&, std::int64_t);
Result<std::vector<RawVariant>> raw_pair_v8(const std::string&, const std::filesystem::path&, std::int64_t);
Result<std::vector<RawVariant>> raw_pair_wasm2c(const std::string&, const std::filesystem::path&, std::int64_t,
                                                int max_variants = 8);

}  // namespace wasmhop::bench
