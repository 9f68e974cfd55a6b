// Raw loops for wasmi (compiled into the wasmi plugin, raw_plugin_abi.h): conformance.wasm's
// add_i32 called from Rust over wasmi's own API (src/engines/wasmi/crate/src/raw_pair.rs), no
// wasmhop in between. "TypedFunc::call" is the fair comparison for wasmhop's typed handle;
// "Func::call" shows what wasmi's untyped path (Val slices) costs.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "bench/engines/raw_plugin_abi.h"

extern "C" {
struct whp_wasmi_raw_loop {
  double seconds;
  int64_t checksum;
};
int whp_wasmi_raw_pair(const uint8_t* wasm, size_t len, int64_t calls, whp_wasmi_raw_loop* typed,
                       whp_wasmi_raw_loop* untyped, char* err, size_t errlen);
}

extern "C" __attribute__((visibility("default"))) int wasmhop_raw_pair_v1(const char* config, const char* wasm_path,
                                                                         int64_t calls, whp_raw_variant* out,
                                                                         int max_out, int* n_out, char* err,
                                                                         size_t errlen) {
  *n_out = 0;
  if (config != nullptr && config[0] != '\0') {
    std::snprintf(err, errlen, "wasmi has no configuration '%s'", config);
    return -1;
  }
  std::ifstream in(wasm_path, std::ios::binary);
  if (!in) {
    std::snprintf(err, errlen, "%s: cannot read it", wasm_path);
    return -1;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  whp_wasmi_raw_loop typed{}, untyped{};
  if (whp_wasmi_raw_pair(bytes.data(), bytes.size(), calls, &typed, max_out > 1 ? &untyped : nullptr, err, errlen) != 0) {
    return -1;
  }
  const whp_wasmi_raw_loop* loops[] = {&typed, &untyped};
  const char* names[] = {"raw TypedFunc<(i32, i32), i32>::call (Rust)", "raw Func::call, Val slices (Rust)"};
  for (int k = 0; k < 2 && k < max_out; ++k) {
    std::snprintf(out[k].name, sizeof out[k].name, "%s", names[k]);
    out[k].seconds = loops[k]->seconds;
    out[k].checksum = loops[k]->checksum;
    *n_out = k + 1;
  }
  return 0;
}
