// wamr-interp: WAMR's fast interpreter behind the plugin ABI (src/engines/plugin/plugin_abi.h).
//
// Call path: the function handed out for an export packs the 8-byte slots into WAMR's 32-bit
// cells and calls the interpreter on the instance's one exec env (wamr_shim.h says why not
// through wasm_runtime_call_wasm: 240 us a call on the main thread). A trap comes back as WAMR's exception string, mapped to a
// WHP_TRAP_* and cleared, so the instance stays usable.
//
// Time limits: a watchdog thread (started by the first limit) sets the exec env's terminate
// flag once a limited call passes its deadline; calls without a limit only read one word.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engines/plugin/plugin_abi.h"
#include "engines/plugin/plugin_error.hpp"
#include "wamr_shim.h"  // wasm_export.h: mind its macros (module_free, module_malloc ...)

#ifndef WASMHOP_WAMR_VERSION
#error "WASMHOP_WAMR_VERSION is set by CMake"
#endif

namespace {

// WAMR's own stack for frames and operands, per exec env (the native stack is not used for
// wasm-to-wasm calls by the interpreter). Deep recursion ends in a "stack overflow" trap.
constexpr std::uint32_t kWasmStackBytes = 1024 * 1024;
constexpr std::uint32_t kNoStart = UINT32_MAX;
constexpr std::uint64_t kMaxPages = 65535;  // WAMR keeps a memory's byte size in 32 bits

using wasmhop::plugin::set_error;  // engines/plugin/plugin_error.hpp

// WAMR's exception text ("Exception: integer overflow") without its prefix.
const char* exception_text(const char* e) {
  if (e == nullptr) return "WAMR failed without an exception";
  constexpr const char prefix[] = "Exception: ";
  return std::strncmp(e, prefix, sizeof prefix - 1) == 0 ? e + sizeof prefix - 1 : e;
}

std::uint8_t trap_kind(const char* text) {
  static constexpr struct {
    const char* needle;
    std::uint8_t kind;
  } table[] = {
      {"unreachable", WHP_TRAP_UNREACHABLE},
      {"integer divide by zero", WHP_TRAP_INTEGER_DIVIDE_BY_ZERO},
      {"integer overflow", WHP_TRAP_INTEGER_OVERFLOW},
      {"invalid conversion to integer", WHP_TRAP_INVALID_CONVERSION},
      {"out of bounds memory access", WHP_TRAP_OUT_OF_BOUNDS_MEMORY},
      {"undefined element", WHP_TRAP_OUT_OF_BOUNDS_TABLE},       // call_indirect past the table
      {"uninitialized element", WHP_TRAP_INDIRECT_CALL_MISMATCH},  // call_indirect to null
      {"indirect call type mismatch", WHP_TRAP_INDIRECT_CALL_MISMATCH},
      {"stack overflow", WHP_TRAP_CALL_STACK_EXHAUSTED},  // wasm, native and auxiliary stacks
  };
  for (const auto& row : table) {
    if (std::strstr(text, row.needle) != nullptr) return row.kind;
  }
  return WHP_TRAP_UNKNOWN;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
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

// The module's own memory as declared (WAMR's loader rewrites what it keeps). Reads bytes WAMR
// has already validated, still checking every bound.
struct DeclaredMemory {
  bool present = false;
  std::uint64_t initial = 0;
  std::uint64_t max = 0;  // 65536 when none is declared
};

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

struct WamrModule {
  std::vector<std::uint8_t> bytes;  // WAMR keeps pointers into the buffer it loaded from
  wasm_module_t module = nullptr;
  std::string name;
  std::uint32_t start = kNoStart;
  std::string imports;  // "module.field, ...", empty when the module imports nothing
  DeclaredMemory memory;
  ~WamrModule() {
    if (module != nullptr) wasm_runtime_unload(module);
  }
};

struct WamrInstance;

constexpr std::uint32_t kStackCells = 16;  // narrow calls up to this many cells pack on the stack

struct WamrFunc {
  WamrInstance* owner = nullptr;
  wasm_function_inst_t fn = nullptr;
  std::uint32_t param_cells = 0;
  std::uint32_t result_cells = 0;
  std::vector<std::uint8_t> params, results;  // WHP_I32 ...
  std::vector<std::uint32_t> cells;           // argument and result cells (calls never nest)
};

struct WamrInstance {
  WamrModule* module = nullptr;
  wasm_module_inst_t inst = nullptr;
  wasm_exec_env_t env = nullptr;
  std::deque<WamrFunc> funcs;  // stable addresses: each is a call's ctx
  std::string last_error;
  std::atomic<std::int64_t> limit_ns{0};
  // The running limited call's deadline (steady clock ns); 0 when none runs. Whoever swaps it
  // to 0 first decides: the caller (finished in time) or the watchdog (stopped it).
  std::atomic<std::int64_t> deadline_ns{0};
  bool watched = false;
  ~WamrInstance();
};

// One thread for every instance that has a limit; polls every millisecond while any does.
class Watchdog {
 public:
  static Watchdog& get() {
    static Watchdog* w = new Watchdog;  // never destroyed: its detached thread may still wait
    return *w;
  }
  void watch(WamrInstance* i) {
    const std::lock_guard lock(mu_);
    if (i->watched) return;
    i->watched = true;
    watched_.push_back(i);
    if (!started_) {
      started_ = true;
      std::thread([this] { run(); }).detach();
    }
    cv_.notify_one();
  }
  void unwatch(WamrInstance* i) {
    const std::lock_guard lock(mu_);
    if (!i->watched) return;
    i->watched = false;
    watched_.erase(std::remove(watched_.begin(), watched_.end(), i), watched_.end());
  }
  // After the watchdog claimed a call: wait until it has set the flag (it does so under mu_).
  void settle() { const std::lock_guard lock(mu_); }

 private:
  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (watched_.empty()) {
        cv_.wait(lock);
        continue;
      }
      const std::int64_t now = now_ns();
      for (WamrInstance* i : watched_) {
        std::int64_t d = i->deadline_ns.load(std::memory_order_acquire);
        if (d != 0 && now >= d && i->deadline_ns.compare_exchange_strong(d, 0)) wasmhop_wamr_interrupt(i->env);
      }
      cv_.wait_for(lock, std::chrono::milliseconds(1));
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<WamrInstance*> watched_;
  bool started_ = false;
};

WamrInstance::~WamrInstance() {
  Watchdog::get().unwatch(this);
  if (env != nullptr) wasm_runtime_destroy_exec_env(env);
  if (inst != nullptr) wasm_runtime_deinstantiate(inst);
}

// The call's exception as a trap kind; the instance is ready for the next call.
std::uint8_t take_exception(WamrInstance* i) {
  const char* text = exception_text(wasm_runtime_get_exception(i->inst));
  i->last_error = text;
  const std::uint8_t kind = trap_kind(text);
  wasm_runtime_clear_exception(i->inst);
  return kind;
}

// A call under a time limit: the watchdog may stop it.
[[gnu::noinline]] std::uint8_t invoke_limited(WamrInstance* i, wasm_function_inst_t fn, std::uint32_t argc,
                                              std::uint32_t* cells, std::int64_t limit) {
  i->deadline_ns.store(now_ns() + limit, std::memory_order_release);
  const bool ok = wasm_call_function(i->env, fn, argc, cells);
  if (i->deadline_ns.exchange(0) == 0) {  // the watchdog got there first
    Watchdog::get().settle();
    wasmhop_wamr_clear_interrupt(i->env);
    wasm_runtime_clear_exception(i->inst);
    i->last_error = "stopped by the call time limit";
    return WHP_TRAP_TIMEOUT;
  }
  return ok ? WHP_TRAP_NONE : take_exception(i);
}

// Runs fn with the cells; WHP_TRAP_NONE or what stopped it.
[[gnu::always_inline]] inline std::uint8_t invoke(WamrInstance* i, wasm_function_inst_t fn, std::uint32_t argc,
                                                  std::uint32_t* cells) {
  const std::int64_t limit = i->limit_ns.load(std::memory_order_relaxed);
  if (limit != 0) [[unlikely]] return invoke_limited(i, fn, argc, cells, limit);
  if (wasm_call_function(i->env, fn, argc, cells)) [[likely]] return WHP_TRAP_NONE;
  return take_exception(i);
}

// Up to 4 parameters and 1 result, all 32-bit (Pair and most exports): unrolled at compile time.
template <std::uint32_t NP, std::uint32_t NR>
std::uint8_t call_fixed(void* ctx, std::uint64_t* io) {
  auto* f = static_cast<WamrFunc*>(ctx);
  std::uint32_t cells[NP > NR ? NP : (NR > 0 ? NR : 1)];
  for (std::uint32_t k = 0; k < NP; ++k) cells[k] = static_cast<std::uint32_t>(io[k]);
  const std::uint8_t trap = invoke(f->owner, f->fn, NP, cells);
  if (trap != WHP_TRAP_NONE) [[unlikely]] return trap;
  if constexpr (NR == 1) io[0] = cells[0];
  return WHP_TRAP_NONE;
}

// The direct entry (plugin_abi.h) of the same exports as call_fixed: the arguments go from
// registers straight into the cells, the result comes back in a register.
template <std::uint32_t NR, class... Bits>
whp_direct_result call_direct(void* ctx, Bits... args) {
  auto* f = static_cast<WamrFunc*>(ctx);
  constexpr std::uint32_t np = sizeof...(Bits);
  std::uint32_t cells[np > NR ? np : (NR > 0 ? NR : 1)] = {static_cast<std::uint32_t>(args)...};
  const std::uint8_t trap = invoke(f->owner, f->fn, np, cells);
  if (trap != WHP_TRAP_NONE) [[unlikely]] return {0, trap};
  return {NR == 1 ? cells[0] : 0, WHP_TRAP_NONE};
}

template <std::uint32_t NR>
whp_direct_fn direct_for(std::uint32_t np) {
  using U = std::uint64_t;
  switch (np) {
    case 0: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct0_fn>(&call_direct<NR>));
    case 1: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct1_fn>(&call_direct<NR, U>));
    case 2: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct2_fn>(&call_direct<NR, U, U>));
    case 3: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct3_fn>(&call_direct<NR, U, U, U>));
    case 4: return reinterpret_cast<whp_direct_fn>(static_cast<whp_direct4_fn>(&call_direct<NR, U, U, U, U>));
    default: return nullptr;
  }
}

template <std::uint32_t NR>
whp_call_fn fixed_for(std::uint32_t np) {
  switch (np) {
    case 0: return &call_fixed<0, NR>;
    case 1: return &call_fixed<1, NR>;
    case 2: return &call_fixed<2, NR>;
    case 3: return &call_fixed<3, NR>;
    case 4: return &call_fixed<4, NR>;
    default: return nullptr;
  }
}

// Every parameter and result is 32 bits wide (one cell per slot) and they fit on the stack.
std::uint8_t call_narrow(void* ctx, std::uint64_t* io) {
  auto* f = static_cast<WamrFunc*>(ctx);
  std::uint32_t cells[kStackCells];
  const std::uint32_t np = f->param_cells;
  for (std::uint32_t k = 0; k < np; ++k) cells[k] = static_cast<std::uint32_t>(io[k]);
  const std::uint8_t trap = invoke(f->owner, f->fn, np, cells);
  if (trap != WHP_TRAP_NONE) [[unlikely]] return trap;
  const std::uint32_t nr = f->result_cells;
  for (std::uint32_t k = 0; k < nr; ++k) io[k] = cells[k];
  return WHP_TRAP_NONE;
}

// i64/f64 take two cells (low word first, as WAMR stores them).
std::uint8_t call_wide(void* ctx, std::uint64_t* io) {
  auto* f = static_cast<WamrFunc*>(ctx);
  std::uint32_t* cells = f->cells.data();
  std::uint32_t c = 0;
  for (std::size_t k = 0; k < f->params.size(); ++k) {
    const bool wide = f->params[k] == WHP_I64 || f->params[k] == WHP_F64;
    std::memcpy(cells + c, &io[k], wide ? 8 : 4);
    c += wide ? 2 : 1;
  }
  const std::uint8_t trap = invoke(f->owner, f->fn, f->param_cells, cells);
  if (trap != WHP_TRAP_NONE) [[unlikely]] return trap;
  c = 0;
  for (std::size_t k = 0; k < f->results.size(); ++k) {
    const bool wide = f->results[k] == WHP_I64 || f->results[k] == WHP_F64;
    io[k] = 0;
    std::memcpy(&io[k], cells + c, wide ? 8 : 4);
    c += wide ? 2 : 1;
  }
  return WHP_TRAP_NONE;
}

// --- the plugin table -------------------------------------------------------------------------

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
  info->caps = WHP_CAP_INTERPRETER | WHP_CAP_TRAPS_RECOVERABLE | WHP_CAP_INTERRUPTIBLE | WHP_CAP_ANY_THREAD;
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
  const char* import_module = nullptr;
  const char* import_field = nullptr;
  for (std::uint32_t k = 0; wasmhop_wamr_import(m->module, k, &import_module, &import_field); ++k) {
    if (m->imports.size() > 200) {
      m->imports += ", ...";
      break;
    }
    m->imports += std::string(m->imports.empty() ? "" : ", ") + (import_module != nullptr ? import_module : "?") + "." +
                  (import_field != nullptr ? import_field : "?");
  }
  m->memory = declared_memory(m->bytes);
  // WAMR keeps a memory's byte size in 32 bits: 65535 pages at most.
  if (m->memory.present) wasmhop_wamr_set_max_pages(m->module, static_cast<std::uint32_t>(std::min<std::uint64_t>(m->memory.max, kMaxPages)));
  m->start = wasmhop_wamr_take_start(m->module);
  return m.release();
}

void free_module(void* module) { delete static_cast<WamrModule*>(module); }

void* instance_new(void* module, std::int64_t timeout_ns, whp_error* err) {
  auto* m = static_cast<WamrModule*>(module);
  if (!m->imports.empty()) {
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
              "module '%s' imports %s, which is not provided (wasmhop links no imports)", m->name.c_str(),
              m->imports.c_str());
    return nullptr;
  }
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
  if (timeout_ns > 0) {
    i->limit_ns.store(timeout_ns);
    Watchdog::get().watch(i.get());
  }
  if (m->start != kNoStart) {
    // A start function has type [] -> [] and, without imports, is the module's own.
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

void instance_free(void* instance) { delete static_cast<WamrInstance*>(instance); }

int instance_func(void* instance, const char* name, const whp_functype* type, whp_call_fn* call, void** ctx,
                  whp_error* err) {
  auto* i = static_cast<WamrInstance*>(instance);
  wasm_function_inst_t fn = wasm_runtime_lookup_function(i->inst, name, nullptr);
  if (fn == nullptr) {
    set_error(err, WHP_ERR_MISSING_EXPORT, WHP_TRAP_NONE, "module '%s': no function export '%s'",
              i->module->name.c_str(), name);
    return -1;
  }
  WamrFunc f;
  f.owner = i;
  f.fn = fn;
  f.params.assign(type->params, type->params + type->nparams);
  f.results.assign(type->results, type->results + type->nresults);
  auto cells_of = [](const std::vector<std::uint8_t>& types) {
    std::uint32_t n = 0;
    for (std::uint8_t t : types) n += (t == WHP_I64 || t == WHP_F64) ? 2 : 1;
    return n;
  };
  std::uint32_t wamr_params = 0, wamr_results = 0;
  wasmhop_wamr_func_cells(fn, &wamr_params, &wamr_results);
  if (wamr_params != cells_of(f.params) || wamr_results != cells_of(f.results)) {
    set_error(err, WHP_ERR_SIGNATURE_MISMATCH, WHP_TRAP_NONE,
              "module '%s', export '%s': WAMR sees %u parameter and %u result cells, the host's type has %u and %u",
              i->module->name.c_str(), name, wamr_params, wamr_results, cells_of(f.params), cells_of(f.results));
    return -1;
  }
  f.param_cells = wamr_params;
  f.result_cells = wamr_results;
  f.cells.assign(std::max<std::uint32_t>({1, wamr_params, wamr_results}), 0);
  const bool narrow = wamr_params == f.params.size() && wamr_results == f.results.size() &&
                      wamr_params <= kStackCells && wamr_results <= kStackCells;
  i->funcs.push_back(std::move(f));
  whp_call_fn fixed = !narrow || wamr_results > 1 ? nullptr
                     : wamr_results == 0 ? fixed_for<0>(wamr_params) : fixed_for<1>(wamr_params);
  *call = fixed != nullptr ? fixed : narrow ? &call_narrow : &call_wide;
  *ctx = &i->funcs.back();
  return 0;
}

// Exports on call_fixed (all 32-bit, up to 4 parameters and 1 result) have a direct entry.
whp_direct_fn func_direct(whp_call_fn call, void*, const whp_functype* type) {
  if (call != fixed_for<0>(type->nparams) && call != fixed_for<1>(type->nparams)) return nullptr;
  return type->nresults == 0 ? direct_for<0>(type->nparams) : direct_for<1>(type->nparams);
}

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
  i->limit_ns.store(timeout_ns);
  if (timeout_ns > 0) {
    Watchdog::get().watch(i);
  } else {
    Watchdog::get().unwatch(i);
  }
  return 0;
}

const char* instance_last_error(void* instance) { return static_cast<WamrInstance*>(instance)->last_error.c_str(); }

const whp_plugin_v1 kPlugin = {
    WHP_ABI_VERSION, sizeof(whp_plugin_v1), engine_new,   engine_free,         new_module,
    free_module,     instance_new,          instance_free, instance_func,      instance_memory,
    instance_set_timeout, instance_last_error, func_direct,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const whp_plugin_v1* wasmhop_engine_plugin_v1() { return &kPlugin; }
