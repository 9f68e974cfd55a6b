// Raw loops for wasm3 (compiled into the wasm3 plugin, raw_plugin_abi.h): conformance.wasm's
// add_i32 through wasm3's own API, no wasmhop. wasm3 0.4.7 calls exports with text arguments only
// (m3_CallWithArgs); "Call() on the runtime stack" is that function's own path without the
// text (raw_wasm3_loop.c), the fair comparison for wasmhop's typed handle.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bench/engines/raw_plugin_abi.h"
#include "wasm3.h"

extern "C" {
int whp_raw_m3_call_loop(IM3Function add, int64_t calls, int64_t* checksum);
int32_t whp_raw_m3_result_i32(IM3Function f);
}

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

int fail(char* err, size_t errlen, const std::string& what) {
  std::snprintf(err, errlen, "%s", what.c_str());
  return -1;
}

}  // namespace

// Long on purpose: a raw baseline reads top to bottom against wasm3's own API (set-up, then its timed loops).
extern "C" __attribute__((visibility("default"))) int wasmhop_raw_pair_v1(const char* config, const char* wasm_path,
                                                                         int64_t calls, whp_raw_variant* out,
                                                                         int max_out, int* n_out, char* err,
                                                                         size_t errlen) {
  *n_out = 0;
  if (config != nullptr && config[0] != '\0') return fail(err, errlen, std::string("wasm3 has no configuration ") + config);
  std::ifstream in(wasm_path, std::ios::binary);
  if (!in) return fail(err, errlen, std::string(wasm_path) + ": cannot read it");
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  IM3Environment env = m3_NewEnvironment();
  IM3Runtime runtime = m3_NewRuntime(env, 512 * 1024, nullptr);
  IM3Module module = nullptr;
  M3Result r = m3_ParseModule(env, &module, bytes.data(), static_cast<uint32_t>(bytes.size()));
  if (r == m3Err_none) r = m3_LoadModule(runtime, module);
  IM3Function init = nullptr, add = nullptr;
  if (r == m3Err_none && m3_FindFunction(&init, runtime, "_initialize") == m3Err_none) r = m3_Call(init);
  if (r == m3Err_none) r = m3_FindFunction(&add, runtime, "add_i32");
  int rc = 0;
  if (r != m3Err_none) {
    rc = fail(err, errlen, std::string("wasm3: ") + r);
  } else {
    int64_t sum = 0;
    auto t0 = Clock::now();
    const int loop = whp_raw_m3_call_loop(add, calls, &sum);
    const double seconds = since(t0);
    if (loop != 0) {
      rc = fail(err, errlen, loop == -1 ? "add_i32 trapped" : "wrong result");
    } else if (max_out > 0) {
      std::snprintf(out[0].name, sizeof out[0].name, "raw Call() on the runtime stack");
      out[0].seconds = seconds;
      out[0].checksum = sum;
      *n_out = 1;
    }
    // wasm3's public call: arguments as text (what m3_CallWithArgs takes), result from slot 0.
    if (rc == 0 && max_out > 1) {
      char a_text[16];
      const char* argv[2] = {a_text, "7"};
      sum = 0;
      t0 = Clock::now();
      for (int64_t i = 0; i < calls; ++i) {
        const auto a = static_cast<int32_t>(i);
        std::snprintf(a_text, sizeof a_text, "%u", static_cast<uint32_t>(a));
        if (m3_CallWithArgs(add, 2, argv) != m3Err_none) {
          rc = fail(err, errlen, "add_i32 trapped");
          break;
        }
        const int32_t got = whp_raw_m3_result_i32(add);
        if (got != static_cast<int32_t>(static_cast<uint32_t>(a) + 7u)) {
          rc = fail(err, errlen, "wrong result");
          break;
        }
        sum += got;
      }
      if (rc == 0) {
        std::snprintf(out[1].name, sizeof out[1].name, "raw m3_CallWithArgs (text arguments)");
        out[1].seconds = since(t0);
        out[1].checksum = sum;
        *n_out = 2;
      }
    }
  }
  m3_FreeRuntime(runtime);
  m3_FreeEnvironment(env);
  return rc;
}
