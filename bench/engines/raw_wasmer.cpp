// Raw baseline for the Wasmer plugin engines (compiled into the Wasmer plugin): the loop itself is
// Rust, in the plugin's crate (src/engines/wasmer/crate/src/raw_baseline.rs), because the paper's
// host was a Rust program calling Wasmer's TypedFunction; this file only exports it under the
// baseline ABI.
#include "bench/engines/raw_plugin_abi.h"

extern "C" int whp_wasmer_raw_pair(const char* config, const char* wasm_path, int64_t calls, whp_raw_variant* out,
                                   int max_out, int* n_out, char* err, size_t errlen);

extern "C" __attribute__((visibility("default"))) int wasmhop_raw_pair_v1(const char* config, const char* wasm_path,
                                                                          int64_t calls, whp_raw_variant* out,
                                                                          int max_out, int* n_out, char* err,
                                                                          size_t errlen) {
  static_assert(sizeof(whp_raw_variant) == 96 + 8 + 8, "crate/src/c_types.rs mirrors this layout");
  return whp_wasmer_raw_pair(config, wasm_path, calls, out, max_out, n_out, err, errlen);
}

[[maybe_unused]] constexpr whp_raw_pair_fn kEntryHasTheAbiType = &wasmhop_raw_pair_v1;
