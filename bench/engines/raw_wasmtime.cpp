// Raw loops for the wasmtime-* engines (compiled into the Wasmtime plugin): conformance.wasm's
// add_i32 called through Wasmtime's own C API, written by hand the way an embedder would, with
// the engine configured exactly as the plugin configures it (src/engines/wasmtime/engine_config.hpp):
//   - wasmtime_func_call_unchecked with a stack array of raw values (Wasmtime's fastest typed path;
//     what its C++ API's TypedFunc does);
//   - wasmtime_func_call, the checked path (tagged wasmtime_val_t arguments, types checked per call).
#include <wasmtime.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bench/engines/raw_plugin_abi.h"
#include "engines/wasmtime/engine_config.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace wt = wasmhop::wasmtime_plugin;

struct Failure {
  std::string text;
};

std::string text_of(wasmtime_error_t* e, wasm_trap_t* t) {
  wasm_byte_vec_t msg{};
  if (e != nullptr) {
    wasmtime_error_message(e, &msg);
    wasmtime_error_delete(e);
  } else if (t != nullptr) {
    wasm_trap_message(t, &msg);
    wasm_trap_delete(t);
  }
  std::string s(msg.data != nullptr ? msg.data : "", msg.size);
  wasm_byte_vec_delete(&msg);
  return s;
}

// Owns what the loops need; frees it in reverse order.
struct Setup {
  wasm_engine_t* engine = nullptr;
  wasmtime_module_t* module = nullptr;
  wasmtime_store_t* store = nullptr;
  wasmtime_context_t* ctx = nullptr;
  wasmtime_instance_t instance{};
  ~Setup() {
    if (store != nullptr) wasmtime_store_delete(store);
    if (module != nullptr) wasmtime_module_delete(module);
    if (engine != nullptr) wasm_engine_delete(engine);
  }
};

bool export_func(Setup& s, const char* name, wasmtime_func_t& out) {
  wasmtime_extern_t item;
  if (!wasmtime_instance_export_get(s.ctx, &s.instance, name, std::strlen(name), &item)) return false;
  const bool ok = item.kind == WASMTIME_EXTERN_FUNC;
  if (ok) out = item.of.func;
  wasmtime_extern_delete(&item);
  return ok;
}

std::string prepare(Setup& s, const char* config, const char* wasm_path, wasmtime_func_t& add) {
  const wt::Flavor* flavor = wt::find_flavor(config);
  if (flavor == nullptr) return std::string("unknown configuration '") + config + "'";
  std::string why;
  s.engine = wt::new_configured_engine(*flavor, why);
  if (s.engine == nullptr) return why;
  std::ifstream in(wasm_path, std::ios::binary);
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in && !in.eof()) return std::string("cannot read ") + wasm_path;
  if (wasmtime_error_t* e = wasmtime_module_new(s.engine, bytes.data(), bytes.size(), &s.module)) {
    return "compile: " + text_of(e, nullptr);
  }
  s.store = wasmtime_store_new(s.engine, nullptr, nullptr);
  s.ctx = wasmtime_store_context(s.store);
  wasmtime_context_set_epoch_deadline(s.ctx, wt::kNoDeadline);  // epoch checks are compiled in
  wasm_trap_t* trap = nullptr;
  if (wasmtime_error_t* e = wasmtime_instance_new(s.ctx, s.module, nullptr, 0, &s.instance, &trap); e || trap) {
    return "instantiate: " + text_of(e, trap);
  }
  wasmtime_func_t init;
  if (export_func(s, "_initialize", init)) {
    if (wasmtime_error_t* e = wasmtime_func_call(s.ctx, &init, nullptr, 0, nullptr, 0, &trap); e || trap) {
      return "_initialize: " + text_of(e, trap);
    }
  }
  if (!export_func(s, "add_i32", add)) return "no function export add_i32";
  return {};
}

void put(whp_raw_variant& v, const char* name, double seconds, std::int64_t checksum) {
  std::snprintf(v.name, sizeof v.name, "%s", name);
  v.seconds = seconds;
  v.checksum = checksum;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int wasmhop_raw_pair_v1(const char* config, const char* wasm_path,
                                                                          std::int64_t calls, whp_raw_variant* out,
                                                                          int max_out, int* n_out, char* err,
                                                                          std::size_t errlen) {
  *n_out = 0;
  auto failed = [&](const std::string& what) {
    std::snprintf(err, errlen, "raw wasmtime (%s): %s", config, what.c_str());
    return -1;
  };
  Setup s;
  wasmtime_func_t add;
  if (std::string why = prepare(s, config, wasm_path, add); !why.empty()) return failed(why);

  // 1. wasmtime_func_call_unchecked: arguments and result in one stack array of raw values.
  if (*n_out < max_out) {
    std::int64_t sum = 0;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      wasmtime_val_raw_t raw[2];
      raw[0].i32 = a;
      raw[1].i32 = 7;
      wasm_trap_t* trap = nullptr;
      if (wasmtime_error_t* e = wasmtime_func_call_unchecked(s.ctx, &add, raw, 2, &trap); e || trap) [[unlikely]] {
        return failed("call_unchecked: " + text_of(e, trap));
      }
      if (raw[0].i32 != a + 7) [[unlikely]] return failed("call_unchecked: wrong result");
      sum += raw[0].i32;
    }
    put(out[(*n_out)++], "wasmtime_func_call_unchecked", std::chrono::duration<double>(Clock::now() - t0).count(),
        sum);
  }
  // 2. wasmtime_func_call: tagged values, checked against the function's type on every call.
  if (*n_out < max_out) {
    std::int64_t sum = 0;
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) {
      const auto a = static_cast<std::int32_t>(i);
      wasmtime_val_t args[2];
      args[0].kind = WASMTIME_I32;
      args[0].of.i32 = a;
      args[1].kind = WASMTIME_I32;
      args[1].of.i32 = 7;
      wasmtime_val_t result;
      wasm_trap_t* trap = nullptr;
      if (wasmtime_error_t* e = wasmtime_func_call(s.ctx, &add, args, 2, &result, 1, &trap); e || trap) [[unlikely]] {
        return failed("call: " + text_of(e, trap));
      }
      if (result.kind != WASMTIME_I32 || result.of.i32 != a + 7) [[unlikely]] return failed("call: wrong result");
      sum += result.of.i32;
    }
    put(out[(*n_out)++], "wasmtime_func_call (checked)", std::chrono::duration<double>(Clock::now() - t0).count(),
        sum);
  }
  return 0;
}
