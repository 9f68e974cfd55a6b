// The wasm3 engine plugin (plugin_abi.h). wasm3 does not validate a module before it runs it (it
// compiles each function when first called, trusting the bytes), so module_new validates it
// first (crate/, wasmparser): malformed or invalid bytes never reach wasm3. Each instance gets
// its own wasm3 environment and runtime (wasm3 keeps one linear memory per runtime), so
// instances are independent and may live on any thread. Calls go through wasm3_internals.c.
// Imports are linked to their host functions in the instance's runtime before the module is
// loaded into it (m3_LoadModule runs the start function).
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engines/plugin/plugin_abi.h"
#include "engines/plugin/plugin_error.hpp"
#include "engines/wasm3/wasm3_internals.h"

extern "C" {  // crate/src/lib.rs
int whp_wasm3_validate(const std::uint8_t* wasm, std::size_t len, char* msg, std::size_t msg_len);
int whp_wasm3_visit(const std::uint8_t* wasm, std::size_t len, void* user,
                    void (*on_import)(void*, const char*, const char*, std::size_t, const char*, std::size_t),
                    void (*on_export)(void*, std::uint8_t, const char*, std::size_t, std::uint32_t));
}

namespace {

// The wasm value stack of one instance. It bounds the call depth (call_stack_exhausted past it):
// 6,000-10,000 frames of small functions. wasm3 also recurses on the host thread's native stack
// once per wasm call, and this keeps that under 768 KiB (measured: with 512 KiB here an endless
// recursion overflowed a 1 MiB thread stack before wasm3 saw its own limit).
constexpr std::uint32_t kStackBytes = 256 * 1024;

constexpr const char* kDescription =
    "wasm3's interpreter (threaded code, functions compiled on first call); modules validated first (wasmparser)";

void set_error(whp_error* err, std::uint8_t kind, std::uint8_t trap, const std::string& message) {
  wasmhop::plugin::set_error(err, kind, trap, "%s", message.c_str());
}

struct Module {
  std::string name;
  std::shared_ptr<const std::vector<std::uint8_t>> bytes;  // wasm3 reads function bodies from them lazily
  std::vector<std::string> imports;                        // "kind module.field"
  std::unordered_map<std::string, std::uint32_t> functions;  // export name -> function index
  bool exports_memory = false;
};

struct Instance {
  std::string name;
  std::shared_ptr<const std::vector<std::uint8_t>> bytes;
  const Module* module = nullptr;
  IM3Environment env = nullptr;
  IM3Runtime runtime = nullptr;
  IM3Module m3module = nullptr;  // loaded into runtime (which frees it)
  IM3Module parsed = nullptr;    // parsed, not loaded yet (or loading failed)
  M3Result last_trap = m3Err_none;
  std::string last_error;
  whp_caller caller{};                 // what host functions are told about their caller
  std::vector<whp_m3_host> hosts;      // the linked imports' cookies
  std::vector<std::unique_ptr<whp_m3_export>> exports;  // the call contexts handed out

  ~Instance() {
    // Once linked into the runtime (a trapping start function) the runtime frees the module.
    if (parsed != nullptr && (runtime == nullptr || whp_m3_runtime_owns(runtime, parsed) == 0)) m3_FreeModule(parsed);
    if (runtime != nullptr) m3_FreeRuntime(runtime);  // frees the modules loaded into it
    if (env != nullptr) m3_FreeEnvironment(env);
  }
};

void on_import(void* user, const char* kind, const char* module, std::size_t module_len, const char* field,
               std::size_t field_len) {
  static_cast<Module*>(user)->imports.push_back(std::string(kind) + " " + std::string(module, module_len) + "." +
                                                std::string(field, field_len));
}

void on_export(void* user, std::uint8_t kind, const char* name, std::size_t name_len, std::uint32_t index) {
  auto* m = static_cast<Module*>(user);
  std::string n(name, name_len);
  if (kind == 0) m->functions.emplace(std::move(n), index);
  else if (kind == 2 && n == "memory") m->exports_memory = true;
}

void* engine_new(const char* config, whp_engine_info* info, whp_error* err) {
  if (config != nullptr && config[0] != '\0') {
    set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, WHP_TRAP_NONE, std::string("wasm3 has no configuration '") + config + "'");
    return nullptr;
  }
  info->name = "wasm3";
  info->version = M3_VERSION;
  info->tier = "interpreter";
  info->description = kDescription;
  // No interruption: wasm3 0.4.7 has no way to stop a running call.
  info->caps = WHP_CAP_INTERPRETER | WHP_CAP_TRAPS_RECOVERABLE | WHP_CAP_ANY_THREAD | WHP_CAP_HOST_FUNCTIONS;
  static int engine_token = 0;
  return &engine_token;
}

void engine_free(void*) {}

void* module_new(void*, const std::uint8_t* wasm, std::size_t len, const char* name, whp_error* err) {
  auto m = std::make_unique<Module>();
  m->name = name != nullptr ? name : "";
  m->bytes = std::make_shared<const std::vector<std::uint8_t>>(wasm, wasm + len);

  char why[512] = "its sections cannot be read";
  if (whp_wasm3_validate(m->bytes->data(), m->bytes->size(), why, sizeof why) != 0 ||
      whp_wasm3_visit(m->bytes->data(), m->bytes->size(), m.get(), on_import, on_export) != 0) {
    set_error(err, WHP_ERR_MALFORMED_MODULE, WHP_TRAP_NONE, "module '" + m->name + "': invalid: " + why);
    return nullptr;
  }

  // And wasm3 must be able to read it (its parser is the one instances use).
  IM3Environment env = m3_NewEnvironment();
  IM3Module parsed = nullptr;
  const M3Result r = m3_ParseModule(env, &parsed, m->bytes->data(), static_cast<std::uint32_t>(m->bytes->size()));
  if (parsed != nullptr) m3_FreeModule(parsed);
  m3_FreeEnvironment(env);
  if (r != m3Err_none) {
    set_error(err, WHP_ERR_MALFORMED_MODULE, WHP_TRAP_NONE, "module '" + m->name + "': wasm3: " + r);
    return nullptr;
  }
  return m.release();
}

void module_free(void* m) { delete static_cast<Module*>(m); }

// libwasmhop asks for no limit on an engine that is not interruptible: one here is a mistake.
bool refuse_limit(std::int64_t timeout_ns, whp_error* err) {
  if (timeout_ns <= 0) return false;
  set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, WHP_TRAP_NONE, "wasm3 cannot stop a running call");
  return true;
}

// The module parsed into a new runtime of its own, not loaded yet (imports are linked first).
std::unique_ptr<Instance> new_instance(const Module* m, whp_error* err) {
  auto inst = std::make_unique<Instance>();
  inst->name = m->name;
  inst->bytes = m->bytes;
  inst->module = m;
  inst->env = m3_NewEnvironment();
  inst->runtime = inst->env != nullptr ? m3_NewRuntime(inst->env, kStackBytes, nullptr) : nullptr;
  if (inst->runtime == nullptr) {
    set_error(err, WHP_ERR_RESOURCE_LIMIT, WHP_TRAP_NONE, "module '" + m->name + "': wasm3 could not allocate a runtime");
    return nullptr;
  }
  const M3Result r = m3_ParseModule(inst->env, &inst->parsed, inst->bytes->data(),
                                    static_cast<std::uint32_t>(inst->bytes->size()));
  if (r != m3Err_none) {
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE, "module '" + m->name + "': wasm3: " + r);
    return nullptr;
  }
  whp_m3_prepare_module(inst->parsed);
  return inst;
}

// Loads the parsed module into the runtime: memory, globals, data, elements, start function.
void* load(std::unique_ptr<Instance> inst, whp_error* err) {
  const std::string& name = inst->name;
  const M3Result r = m3_LoadModule(inst->runtime, inst->parsed);
  if (r != m3Err_none) {
    const std::uint8_t trap = whp_m3_trap_kind(r);
    if (trap != WHP_TRAP_UNKNOWN) {
      set_error(err, WHP_ERR_TRAP, trap, "module '" + name + "': the start function trapped: wasm3: " + r);
    } else if (r == m3Err_wasmMemoryOverflow || r == m3Err_mallocFailed) {
      set_error(err, WHP_ERR_RESOURCE_LIMIT, WHP_TRAP_NONE, "module '" + name + "': memory: wasm3: " + r);
    } else {
      set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE, "module '" + name + "': wasm3: " + r);
    }
    return nullptr;
  }
  inst->m3module = inst->parsed;
  inst->parsed = nullptr;
  return inst.release();
}

void* instance_new(void* mod, std::int64_t timeout_ns, whp_error* err) {
  const auto* m = static_cast<const Module*>(mod);
  if (refuse_limit(timeout_ns, err)) return nullptr;
  if (!m->imports.empty()) {
    std::string list;
    for (const auto& i : m->imports) list += (list.empty() ? "" : ", ") + i;
    set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
              "module '" + m->name + "': imports the host does not provide: " + list);
    return nullptr;
  }
  auto inst = new_instance(m, err);
  return inst == nullptr ? nullptr : load(std::move(inst), err);
}

// wasm3's text for a function type: the result first ('v' for none), then the parameters: "i(iI)".
std::string m3_signature(const whp_functype& t) {
  static constexpr char kChar[] = {'i', 'I', 'f', 'F'};  // WHP_I32 ... WHP_F64
  std::string s(1, t.nresults == 0 ? 'v' : kChar[t.results[0] & 3]);
  s += '(';
  for (std::uint32_t k = 0; k < t.nparams; ++k) s += kChar[t.params[k] & 3];
  return s + ')';
}

void instance_memory(void* i, std::uint8_t** base, std::uint64_t* size);

// Every function import linked to its host function before the module loads (m3_LoadModule runs
// the start function, which may call them).
void* instance_new_imports(void* mod, const whp_import* imports, std::uint32_t nimports, std::int64_t timeout_ns,
                           whp_error* err) {
  const auto* m = static_cast<const Module*>(mod);
  if (refuse_limit(timeout_ns, err)) return nullptr;
  auto inst = new_instance(m, err);
  if (inst == nullptr) return nullptr;
  inst->caller = whp_caller{inst.get(), &instance_memory};
  inst->hosts.reserve(nimports);  // stable addresses: each is a linked function's cookie
  for (std::uint32_t k = 0; k < nimports; ++k) {
    const whp_import& imp = imports[k];
    const std::string what = std::string(imp.module) + "." + imp.field;
    if (imp.type.nresults > 1) {
      set_error(err, WHP_ERR_SIGNATURE_MISMATCH, WHP_TRAP_NONE,
                "module '" + m->name + "': import " + what + " has several results, which wasm3 0.4.7 cannot return");
      return nullptr;
    }
    inst->hosts.push_back(whp_m3_host{imp.call, imp.ctx, &inst->caller});
    const M3Result r = whp_m3_link_import(inst->runtime, inst->parsed, k, m3_signature(imp.type).c_str(), &inst->hosts.back());
    if (r != m3Err_none) {
      set_error(err, WHP_ERR_INSTANTIATION_FAILED, WHP_TRAP_NONE,
                "module '" + m->name + "': cannot link import " + what + ": wasm3: " + r);
      return nullptr;
    }
  }
  return load(std::move(inst), err);
}

void instance_free(void* i) { delete static_cast<Instance*>(i); }

std::uint8_t m3_type_of(std::uint8_t whp) { return static_cast<std::uint8_t>(whp + c_m3Type_i32); }

int instance_func(void* i, const char* name, const whp_functype* type, whp_call_fn* call, void** ctx,
                  whp_error* err) {
  auto* inst = static_cast<Instance*>(i);
  const auto found = inst->module->functions.find(name);
  if (found == inst->module->functions.end()) {
    set_error(err, WHP_ERR_MISSING_EXPORT, WHP_TRAP_NONE,
              "module '" + inst->name + "': no function export '" + name + "'");
    return -1;
  }
  M3Result r = m3Err_none;
  IM3Function f = whp_m3_function(inst->m3module, found->second, &r);
  if (f == nullptr) {
    set_error(err, WHP_ERR_SIGNATURE_MISMATCH, WHP_TRAP_NONE,
              "module '" + inst->name + "', export '" + name + "': wasm3 cannot compile it: " + r);
    return -1;
  }
  std::uint32_t nargs = 0;
  const std::uint8_t* args = nullptr;
  std::uint8_t ret = c_m3Type_none;
  whp_m3_signature(f, &nargs, &args, &ret);
  bool same = type->nresults <= 1 && nargs == type->nparams &&
              ret == (type->nresults == 0 ? c_m3Type_none : m3_type_of(type->results[0]));
  for (std::uint32_t k = 0; same && k < type->nparams; ++k) same = args[k] == m3_type_of(type->params[k]);
  if (!same) {
    set_error(err, WHP_ERR_SIGNATURE_MISMATCH, WHP_TRAP_NONE,
              "module '" + inst->name + "', export '" + name + "': wasm3 sees another type");
    return -1;
  }
  auto e = std::make_unique<whp_m3_export>();
  const bool result_is_32 = type->nresults == 1 && (type->results[0] == WHP_I32 || type->results[0] == WHP_F32);
  *call = whp_m3_bind(e.get(), inst->runtime, f, type->nparams, type->nresults, result_is_32 ? 1 : 0,
                      &inst->last_trap);
  *ctx = e.get();
  inst->exports.push_back(std::move(e));
  return 0;
}

void instance_memory(void* i, std::uint8_t** base, std::uint64_t* size) {
  auto* inst = static_cast<Instance*>(i);
  if (!inst->module->exports_memory) {
    *base = nullptr;
    *size = 0;
    return;
  }
  whp_m3_memory(inst->runtime, base, size);
}

int instance_set_timeout(void*, std::int64_t timeout_ns, whp_error* err) {
  if (timeout_ns == 0) return 0;
  set_error(err, WHP_ERR_ENGINE_UNAVAILABLE, WHP_TRAP_NONE, "wasm3 cannot stop a running call");
  return -1;
}

const char* instance_last_error(void* i) {
  auto* inst = static_cast<Instance*>(i);
  inst->last_error = inst->last_trap == m3Err_none ? std::string() : std::string("wasm3: ") + inst->last_trap;
  return inst->last_error.c_str();
}

// Every export instance_func bound takes its direct entry with the same context.
whp_direct_fn func_direct(whp_call_fn, void*, const whp_functype* type) {
  const bool result_is_32 = type->nresults == 1 && (type->results[0] == WHP_I32 || type->results[0] == WHP_F32);
  return whp_m3_direct(type->nparams, type->nresults, result_is_32 ? 1 : 0);
}

// Its tail entry, too: the hot path for typed calls (no components: their fields stay NULL).
whp_direct_fn func_tail(whp_call_fn, void* ctx, const whp_functype* type, const void** slot,
                        whp_tail_trap_fn* trap_of) {
  *trap_of = &whp_m3_tail_trap;
  return whp_m3_tail(static_cast<const whp_m3_export*>(ctx), type->nparams, type->nresults, slot);
}

constexpr whp_plugin_v1 kPlugin{WHP_ABI_VERSION, sizeof(whp_plugin_v1), engine_new,  engine_free,
                                module_new,      module_free,           instance_new, instance_free,
                                instance_func,   instance_memory,       instance_set_timeout,
                                instance_last_error, func_direct, instance_new_imports,
                                nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, func_tail};

}  // namespace

extern "C" __attribute__((visibility("default"))) const whp_plugin_v1* wasmhop_engine_plugin_v1() {
  return &kPlugin;
}
