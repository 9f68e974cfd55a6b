// Raw loops for wamr-interp: conformance.wasm's add_i32 through WAMR's own API, no wasmhop.
// Compiled into the WAMR plugin itself (raw_plugin_abi.h): the same interpreter code as wasmhop's.
//
// The first loop, the fair baseline, spells wasm_call_function out as wasmhop's direct entry does:
// the interpreter's entry (wasm_interp_call_wasm), then the test of the exception's first byte, so
// neither side pays a call the other inlines. The second calls wasm_call_function itself on one
// exec env: what wasm_runtime_call_wasm does minus re-reading the thread's stack bounds on every
// call (pthread_getattr_np, which parses /proc/self/maps on the main thread). The public call is
// timed too, to show what that costs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bench/engines/raw_plugin_abi.h"
#include "engines/wamr/wamr_runtime.hpp"
#include "engines/wamr/wamr_shim.h"  // wasm_call_function, wasm_interp_call_wasm, wasmhop_wamr_exception
#include "wasm_export.h"

// WAMR's exec env entry (common/wasm_exec_env.h), declared here because its header needs WAMR's
// build definitions (wamr_shim.h does the same for the call entries); only pointers cross.
extern "C" void wasm_exec_env_set_thread_info(wasm_exec_env_t exec_env);

namespace {
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

int fail(char* err, std::size_t errlen, const std::string& msg) {
  std::snprintf(err, errlen, "%s", msg.c_str());
  return -1;
}

template <class Call>
bool loop(Call&& call, std::int64_t calls, whp_raw_variant& v, const char* name) {
  std::int64_t sum = 0;
  const auto t0 = Clock::now();
  for (std::int64_t i = 0; i < calls; ++i) {
    std::uint32_t argv[2] = {static_cast<std::uint32_t>(i), 7};
    if (!call(argv)) [[unlikely]] return false;
    const auto r = static_cast<std::int32_t>(argv[0]);
    if (r != static_cast<std::int32_t>(i) + 7) [[unlikely]] return false;
    sum += r;
  }
  v.seconds = since(t0);
  v.checksum = sum;
  std::snprintf(v.name, sizeof v.name, "%s", name);
  return true;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int wasmhop_raw_pair_v1(const char* config, const char* wasm_path,
                                                                         std::int64_t calls, whp_raw_variant* out,
                                                                         int max_out, int* n_out, char* err,
                                                                         std::size_t errlen) {
  *n_out = 0;
  if (std::strcmp(config, "fast-interp") != 0) return fail(err, errlen, std::string("unknown config ") + config);
  if (!wasmhop::wamr::runtime_ready()) return fail(err, errlen, "wasm_runtime_full_init failed");
  std::ifstream in(wasm_path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return fail(err, errlen, std::string("cannot read ") + wasm_path);
  char ebuf[256] = "";
  wasm_module_t mod = wasm_runtime_load(bytes.data(), static_cast<std::uint32_t>(bytes.size()), ebuf, sizeof ebuf);
  if (mod == nullptr) return fail(err, errlen, std::string("load: ") + ebuf);
  wasm_module_inst_t inst = wasm_runtime_instantiate(mod, 1024 * 1024, 0, ebuf, sizeof ebuf);
  if (inst == nullptr) return fail(err, errlen, std::string("instantiate: ") + ebuf);
  wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 1024 * 1024);
  wasm_function_inst_t init = wasm_runtime_lookup_function(inst, "_initialize", nullptr);
  if (init != nullptr && !wasm_runtime_call_wasm(env, init, 0, nullptr)) return fail(err, errlen, "_initialize trapped");
  wasm_function_inst_t add = wasm_runtime_lookup_function(inst, "add_i32", nullptr);
  if (add == nullptr) return fail(err, errlen, "add_i32 not found");

  int n = 0;
  wasm_exec_env_set_thread_info(env);
  if (n < max_out) {
    const char* exception = wasmhop_wamr_exception(inst);
    if (!loop(
            [&](std::uint32_t* argv) {
              wasm_interp_call_wasm(inst, env, add, 2, argv);
              return *exception == '\0';
            },
            calls, out[n], "baseline: wasm_interp_call_wasm, then the exception test (wasm_call_function inlined)"))
      return fail(err, errlen, "wasm_interp_call_wasm failed or gave a wrong result");
    ++n;
  }
  if (n < max_out) {
    if (!loop([&](std::uint32_t* argv) { return wasm_call_function(env, add, 2, argv); }, calls, out[n],
              "wasm_call_function, exec env bound to the thread once"))
      return fail(err, errlen, "wasm_call_function failed or gave a wrong result");
    ++n;
  }
  if (n < max_out) {
    // About 240 us a call on the main thread: 1/1000 of the calls are timed through it (time
    // scaled up), the rest go through the baseline untimed, so the checksum still covers all.
    const std::int64_t timed = std::max<std::int64_t>(calls / 1000, 1);
    if (!loop([&](std::uint32_t* argv) { return wasm_runtime_call_wasm(env, add, 2, argv); }, timed, out[n],
              "wasm_runtime_call_wasm (public: stack bounds re-read per call; 1/1000 timed)"))
      return fail(err, errlen, "wasm_runtime_call_wasm failed or gave a wrong result");
    out[n].seconds *= static_cast<double>(calls) / static_cast<double>(timed);
    for (std::int64_t i = timed; i < calls; ++i) {
      std::uint32_t argv[2] = {static_cast<std::uint32_t>(i), 7};
      if (!wasm_call_function(env, add, 2, argv)) return fail(err, errlen, "wasm_call_function failed");
      out[n].checksum += static_cast<std::int32_t>(argv[0]);
    }
    ++n;
  }
  wasm_runtime_destroy_exec_env(env);
  wasm_runtime_deinstantiate(inst);
  wasm_runtime_unload(mod);
  *n_out = n;
  return 0;
}
