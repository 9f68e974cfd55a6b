// wamr-interp: WAMR's fast interpreter behind the plugin ABI (src/engines/plugin/plugin_abi.h):
// engines, modules and instances here; the call path in wamr_call.cpp, call time limits in
// wamr_watchdog.cpp, host functions (imports) in wamr_host.cpp.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engines/plugin/plugin_abi.h"
#include "engines/plugin/plugin_error.hpp"
#include "engines/wamr/wamr_call.hpp"
#include "engines/wamr/wamr_host.hpp"
#include "engines/wamr/wamr_instance.hpp"
#include "engines/wamr/wamr_runtime.hpp"
#include "engines/wamr/wamr_watchdog.hpp"

#ifndef WASMHOP_WAMR_VERSION
#error "WASMHOP_WAMR_VERSION is set by CMake"
#endif

namespace wasmhop::wamr {

WamrInstance::~WamrInstance() {
  Watchdog::get().unwatch(this);
  if (env != nullptr) wasm_runtime_destroy_exec_env(env);
  if (inst != nullptr) wasm_runtime_deinstantiate(inst);
}

bool runtime_ready() {
  static const bool ok = [] {
    RuntimeInitArgs args;
    std::memset(&args, 0, sizeof args);
    args.mem_alloc_type = Alloc_With_System_Allocator;
    return wasm_runtime_full_init(&args);
  }();
  return ok;
}

namespace {

using wasmhop::plugin::set_error;  // engines/plugin/plugin_error.hpp

// Reads the declared memory from bytes WAMR has already validated, still checking every bound.
bool read_leb(const std::uint8_t*& p, const std::uint8_t* end, std::uint64_t& v) {
  v = 0;
  for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
    const std::uint8_t b = *p++;
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

DeclaredMemory declared_memory(const std::vector<std::uint8_t>& wasm) {
  DeclaredMemory d;
  const std::uint8_t* p = wasm.data() + 8;
  const std::uint8_t* end = wasm.data() + wasm.size();
  while (wasm.size() > 8 && p < end) {
    const std::uint8_t id = *p++;
    std::uint64_t size = 0;
    if (!read_leb(p, end, size) || size > static_cast<std::uint64_t>(end - p)) break;
    const std::uint8_t* body = p;
    p += size;
    if (id != 5) continue;
    std::uint64_t count = 0, flags = 0;
    if (!read_leb(body, p, count) || count == 0 || !read_leb(body, p, flags) || !read_leb(body, p, d.initial)) break;
    d.max = 65536;
    if ((flags & 1) != 0 && !read_leb(body, p, d.max)) break;
    d.present = true;
    break;
  }
  return d;
}

struct WamrEngine {
  std::string config;
};

void* engine_new(const char* config, whp_engine_info* info, whp_error* err) {
  const std::string cfg = config == nullptr ? "" : config;
  if (cfg != "fast-interp") {
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, WHP_TRAP_NONE,
              "WAMR plugin: unknown configuration '%s' (this build has: fast-interp)", cfg.c_str());
    return nullptr;
  }
  if (!runtime_ready()) {
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, WHP_TRAP_NONE, "WAMR: wasm_runtime_full_init failed");
    return nullptr;
  }
  info->name = "WAMR";
  info->version = WASMHOP_WAMR_VERSION;
  info->tier = "interpreter";
  info->description = "WAMR's fast interpreter (pre-decoded register-style bytecode)";
  // WAMR's runtime is per process, the interpreter is re-entrant per exec env; an instance's
  // exec env re-binds to whichever thread calls it.
  info->caps = WHP_CAP_INTERPRETER | WHP_CAP_TRAPS_RECOVERABLE | WHP_CAP_INTERRUPTIBLE | WHP_CAP_ANY_THREAD |
               WHP_CAP_HOST_FUNCTIONS;
  return new WamrEngine{cfg};
}

void engine_free(void* engine) { delete static_cast<WamrEngine*>(engine); }

void* new_module(void*, const std::uint8_t* wasm, std::size_t len, const char* name, whp_error* err) {
  auto m = std::make_unique<WamrModule>();
  m->name = name == nullptr ? "" : name;
  if (len > UINT32_MAX) {
    set_error(err, WHP_ERR_RESOURCE_LIMIT, WHP_TRAP_NONE, "module '%s': %zu bytes is more than WAMR loads",
              m->name.c_str(), len);
    return nullptr;
  }
  m->bytes.assign(wasm, wasm + len);
  char ebuf[256] = "";
  m->module = wasm_runtime_load(m->bytes.data(), static_cast<std::uint32_t>(len), ebuf, sizeof ebuf);
  if (m->module == nullptr) {
    const bool memory = std::strstr(ebuf, "allocate memory failed") != nullptr;
    set_error(err, memory ? WHP_ERR_RESOURCE_LIMIT : WHP_ERR_MALFORMED_MODULE, WHP_TRAP_NONE,
              "module '%s': WAMR cannot load it: %s", m->name.c_str(), ebuf[0] != '\0' ? ebuf : "(no reason given)");
    return nullptr;
  }
  m->memory = declared_memory(m->bytes);
  // WAMR keeps a memory's byte size in 32 bits: 65535 pages at most.
  if (m->memory.present) wasmhop_wamr_set_max_pages(m->module, static_cast<std::uint32_t>(std::min<std::uint64_t>(m->memory.max, kMaxPages)));
  m->start = wasmhop_wamr_take_start(m->module);
  m->function_imports = link_imports(m->module);
  return m.release();
}

void free_module(void* module) { delete static_cast<WamrModule*>(module); }

// The instance and its exec env, under the limit when there is one; its start function not run yet.
std::unique_ptr<WamrInstance> create(WamrModule* m, std::int64_t timeout_ns, whp_error* err) {
  if (m->memory.initial > kMaxPages) {
    set_error(err, WHP_ERR_RESOURCE_LIMIT, WHP_TRAP_NONE,
              "module '%s' asks for %llu pages of memory at start; WAMR holds at most %llu (its sizes are 32-bit)",
              m->name.c_str(), static_cast<unsigned long long>(m->memory.initial),
              static_cast<unsigned long long>(kMaxPages));
    return nullptr;
  }
  auto i = std::make_unique<WamrInstance>();
  i->module = m;
  char ebuf[256] = "";
  i->inst = wasm_runtime_instantiate(m->module, kWasmStackBytes, 0, ebuf, sizeof ebuf);
  if (i->inst == nullptr) {
    if (std::strncmp(ebuf, "Exception: ", 11) == 0) {  // a data or element segment out of bounds
      const char* text = exception_text(ebuf);
      set_error(err, WHP_ERR_TRAP, trap_kind(text), "module '%s': instantiation trapped: %s", m->name.c_str(), text);
    } else {
      const bool memory = std::strstr(ebuf, "allocate memory failed") != nullptr;
      set_error(err, memory ? WHP_ERR_RESOURCE_LIMIT : WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
                "module '%s': WAMR cannot instantiate it: %s", m->name.c_str(), ebuf);
    }
    return nullptr;
  }
  i->env = wasmhop_wamr_create_exec_env(i->inst, kWasmStackBytes);
  if (i->env == nullptr) {
    set_error(err, WHP_ERR_RESOURCE_LIMIT, WHP_TRAP_NONE, "module '%s': WAMR cannot create an exec env",
              m->name.c_str());
    return nullptr;
  }
  i->exception = wasmhop_wamr_exception(i->inst);
  // enter_limited and the host-function trampoline find the instance through its custom data.
  wasm_runtime_set_custom_data(i->inst, i.get());
  if (timeout_ns > 0) set_limit(i.get(), timeout_ns);
  return i;
}

// Runs the module's start function (on the instance's exec env, under its limit: WAMR's
// instantiation was told there is none, wamr_shim.h).
void* start(std::unique_ptr<WamrInstance> i, std::int64_t timeout_ns, whp_error* err) {
  const WamrModule* m = i->module;
  if (m->start != kNoStart) {
    // A start function has type [] -> [] (an import, too: then the trampoline runs).
    wasm_function_inst_t start = wasmhop_wamr_function(i->inst, m->start);
    std::uint32_t cell = 0;
    const std::uint8_t trap = start == nullptr ? WHP_TRAP_UNKNOWN : invoke(i.get(), start, 0, &cell);
    if (trap == WHP_TRAP_TIMEOUT) {
      set_error(err, WHP_ERR_TIMEOUT, WHP_TRAP_TIMEOUT,
                "module '%s': the start function was still running after the time limit (%lld ms); stopped",
                m->name.c_str(), static_cast<long long>(timeout_ns / 1000000));
      return nullptr;
    }
    if (trap != WHP_TRAP_NONE) {
      set_error(err, WHP_ERR_TRAP, trap, "module '%s': the start function trapped: %s", m->name.c_str(),
                i->last_error.c_str());
      return nullptr;
    }
  }
  return i.release();
}

void* instance_new(void* module, std::int64_t timeout_ns, whp_error* err) {
  auto* m = static_cast<WamrModule*>(module);
  if (m->function_imports != 0) {  // the host binds them through instance_new_imports
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
              "module '%s' imports %u function(s), and none were given", m->name.c_str(), m->function_imports);
    return nullptr;
  }
  auto i = create(m, timeout_ns, err);
  return i == nullptr ? nullptr : start(std::move(i), timeout_ns, err);
}

void* instance_new_imports(void* module, const whp_import* imports, std::uint32_t nimports, std::int64_t timeout_ns,
                           whp_error* err) {
  auto i = create(static_cast<WamrModule*>(module), timeout_ns, err);
  if (i == nullptr || !bind_imports(i.get(), imports, nimports, err)) return nullptr;
  return start(std::move(i), timeout_ns, err);
}

void instance_free(void* instance) { delete static_cast<WamrInstance*>(instance); }

void instance_memory(void* instance, std::uint8_t** base, std::uint64_t* size) {
  wasmhop_wamr_memory(static_cast<WamrInstance*>(instance)->inst, base, size);
}

int instance_set_timeout(void* instance, std::int64_t timeout_ns, whp_error* err) {
  auto* i = static_cast<WamrInstance*>(instance);
  if (timeout_ns < 0) {
    set_error(err, WHP_ERR_INVALID_ARGUMENT, WHP_TRAP_NONE, "module '%s': negative call timeout",
              i->module->name.c_str());
    return -1;
  }
  set_limit(i, timeout_ns);
  return 0;
}

const char* instance_last_error(void* instance) { return static_cast<WamrInstance*>(instance)->last_error.c_str(); }

const whp_plugin_v1 kPlugin = {
    WHP_ABI_VERSION, sizeof(whp_plugin_v1), engine_new,   engine_free,         new_module,
    free_module,     instance_new,          instance_free, instance_func,      instance_memory,
    instance_set_timeout, instance_last_error, func_direct, instance_new_imports,
};

}  // namespace
}  // namespace wasmhop::wamr

extern "C" __attribute__((visibility("default"))) const whp_plugin_v1* wasmhop_engine_plugin_v1() {
  return &wasmhop::wamr::kPlugin;
}
