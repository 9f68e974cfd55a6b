// The adapter from a plugin's C table (plugin_abi.h) to wasmhop::Engine / Module / Instance.
// Export types come from the module bytes (engines/common/wasm_module_info), read once at
// compile time; the plugin resolves each export once and hands back the function pointer that
// every call then goes through directly (no wrapper on the call path).
#include "engines/plugin/plugin_engine.hpp"

#include <cstddef>
#include <cstring>

#include <fmt/format.h>

#include "engines/common/wasm_module_info.hpp"
#include "engines/plugin/plugin_component.hpp"
#include "engines/plugin/plugin_handles.hpp"
#include "engines/plugin/plugin_loader.hpp"

namespace wasmhop {
namespace {

using plugin::blank_error;
using plugin::EngineHandle;
using plugin::to_error;

static_assert(static_cast<int>(ErrorKind::malformed_module) == WHP_ERR_MALFORMED_MODULE);
static_assert(static_cast<int>(ErrorKind::trap) == WHP_ERR_TRAP);
static_assert(static_cast<int>(ErrorKind::timeout) == WHP_ERR_TIMEOUT);
static_assert(static_cast<int>(ErrorKind::internal) == WHP_ERR_INTERNAL);
static_assert(static_cast<int>(TrapKind::host_error) == WHP_TRAP_HOST_ERROR);
static_assert(static_cast<int>(TrapKind::timeout) == WHP_TRAP_TIMEOUT);
static_assert(static_cast<int>(ValType::f64) == WHP_F64);
static_assert(sizeof(RawVal) == sizeof(std::uint64_t));
static_assert(sizeof(DirectResult) == sizeof(whp_direct_result) &&
              offsetof(DirectResult, trap) == offsetof(whp_direct_result, trap));
static_assert(kDirectMaxParams == WHP_DIRECT_MAX_PARAMS);
static_assert(sizeof(CallerView) == sizeof(whp_caller) && offsetof(CallerView, memory) == offsetof(whp_caller, memory));

// The bound imports as plugin_abi.h spells them; lives as long as the instance.
struct PluginImports {
  std::vector<std::vector<std::uint8_t>> params, results;
  std::vector<whp_import> table;

  explicit PluginImports(std::span<const BoundImport> bound) {
    params.reserve(bound.size());
    results.reserve(bound.size());
    for (const BoundImport& b : bound) {
      auto& p = params.emplace_back();
      auto& r = results.emplace_back();
      for (ValType t : b.desc->type.params) p.push_back(static_cast<std::uint8_t>(t));
      for (ValType t : b.desc->type.results) r.push_back(static_cast<std::uint8_t>(t));
      // ImportCallFn and whp_host_fn are one function type in C terms (a context, a caller of the
      // same layout, 8-byte slots).
      table.push_back(whp_import{b.desc->module.c_str(), b.desc->field.c_str(),
                                 whp_functype{p.data(), r.data(), static_cast<std::uint32_t>(p.size()),
                                              static_cast<std::uint32_t>(r.size())},
                                 reinterpret_cast<whp_host_fn>(b.call), b.ctx});
    }
  }
};

struct ModuleHandle {
  ModuleHandle(std::shared_ptr<EngineHandle> e, void* handle) : engine(std::move(e)), h(handle) {}
  ModuleHandle(const ModuleHandle&) = delete;
  ModuleHandle& operator=(const ModuleHandle&) = delete;
  ~ModuleHandle() { engine->api->module_free(h); }
  std::shared_ptr<EngineHandle> engine;
  void* h;
  std::vector<moduleinfo::ParsedExport> exports;
  // Per export, its type as plugin_abi.h spells it (built once: by-name calls look up every time).
  std::vector<std::vector<std::uint8_t>> params, results;

  void set_exports(std::vector<moduleinfo::ParsedExport> e) {
    exports = std::move(e);
    for (const auto& x : exports) {
      auto& p = params.emplace_back();
      auto& r = results.emplace_back();
      for (ValType t : x.desc.type.params) p.push_back(static_cast<std::uint8_t>(t));
      for (ValType t : x.desc.type.results) r.push_back(static_cast<std::uint8_t>(t));
    }
  }
};

class PluginInstance final : public Instance {
 public:
  PluginInstance(std::string name, std::shared_ptr<ModuleHandle> module, void* h,
                 std::unique_ptr<PluginImports> imports)
      : Instance(std::move(name)), module_(std::move(module)), imports_(std::move(imports)),
        api_(module_->engine->api), h_(h) {}
  ~PluginInstance() override { api_->instance_free(h_); }

  GuestMemory memory() override {
    std::uint8_t* base = nullptr;
    std::uint64_t size = 0;
    api_->instance_memory(h_, &base, &size);
    return base == nullptr ? GuestMemory{} : GuestMemory{base, size};
  }

  std::string last_error_detail() const override {
    const char* s = api_->instance_last_error(h_);
    return s == nullptr ? std::string{} : std::string{s};
  }

 protected:
  Result<Func> lookup(std::string_view name) override {
    const moduleinfo::ParsedExport* found = nullptr;
    std::size_t index = 0;
    for (std::size_t i = 0; i < module_->exports.size(); ++i) {
      if (module_->exports[i].desc.name == name) {
        found = &module_->exports[i];
        index = i;
      }
    }
    if (found == nullptr || found->desc.kind != ExportKind::function) {
      return fail(ErrorKind::missing_export,
                  fmt::format("module '{}': no function export '{}'", module_name(), name));
    }
    if (!found->unsupported.empty()) {
      return fail(ErrorKind::signature_mismatch,
                  fmt::format("module '{}', export '{}': {}", module_name(), name, found->unsupported));
    }
    const FuncType& type = found->desc.type;
    const auto& params = module_->params[index];
    const auto& results = module_->results[index];
    const whp_functype t{params.data(), results.data(), static_cast<std::uint32_t>(params.size()),
                         static_cast<std::uint32_t>(results.size())};
    whp_call_fn call = nullptr;
    void* ctx = nullptr;
    whp_error err = blank_error();
    if (api_->instance_func(h_, found->desc.name.c_str(), &t, &call, &ctx, &err) != 0 || call == nullptr) {
      return tl::unexpected(to_error(err));
    }
    // whp_call_fn and PackedCallFn are the same function type in C and C++ terms (uint8_t-sized
    // trap kind, a context, 8-byte slots): the plugin's function is called directly.
    Func f{reinterpret_cast<PackedCallFn>(call), ctx, &type, this, found->desc.name.c_str()};
    const bool narrow = t.nparams <= WHP_DIRECT_MAX_PARAMS && t.nresults <= 1;
    if (const auto direct = WHP_PLUGIN_FIELD(api_, func_direct); direct != nullptr && narrow) {
      f.direct = reinterpret_cast<DirectFn>(direct(call, ctx, &t));
    }
    const void* slot = nullptr;
    whp_tail_trap_fn trap_of = nullptr;
    if (const auto tail = WHP_PLUGIN_FIELD(api_, func_tail); tail != nullptr && narrow) {
      const whp_direct_fn entry = tail(call, ctx, &t, &slot, &trap_of);
      if (entry != nullptr && slot != nullptr && trap_of != nullptr) {
        // uint8_t and TrapKind (an 8-bit enum) come back the same way: called directly, as `call` is.
        f.tail = reinterpret_cast<DirectFn>(entry);
        f.tail_slot = slot;
        f.tail_trap = reinterpret_cast<TailTrapFn>(trap_of);
      }
    }
    return f;
  }

  Status apply_call_timeout(std::chrono::nanoseconds limit) override {
    whp_error err = blank_error();
    if (api_->instance_set_timeout(h_, limit.count(), &err) != 0) return tl::unexpected(to_error(err));
    return {};
  }

 private:
  std::shared_ptr<ModuleHandle> module_;
  std::unique_ptr<PluginImports> imports_;  // what the plugin's instance calls: freed after it
  const whp_plugin_v1* api_;
  void* h_;
};

class PluginModule final : public Module {
 public:
  PluginModule(std::string name, std::shared_ptr<ModuleHandle> handle) : Module(std::move(name)), handle_(std::move(handle)) {
    for (const auto& e : handle_->exports) exports_.push_back(e.desc);
  }

 protected:
  Result<std::unique_ptr<Instance>> do_instantiate() override {
    whp_error err = blank_error();
    const whp_plugin_v1* api = handle_->engine->api;
    std::unique_ptr<PluginImports> imports;
    void* h = nullptr;
    if (const auto bound = bound_imports(); !bound.empty()) {
      imports = std::make_unique<PluginImports>(bound);
      h = WHP_PLUGIN_FIELD(api, instance_new_imports)(handle_->h, imports->table.data(),
                                                      static_cast<std::uint32_t>(bound.size()),
                                                      instantiate_timeout().count(), &err);
    } else {
      h = api->instance_new(handle_->h, instantiate_timeout().count(), &err);
    }
    if (h == nullptr) return tl::unexpected(to_error(err));
    return std::make_unique<PluginInstance>(name(), handle_, h, std::move(imports));
  }

 private:
  std::shared_ptr<ModuleHandle> handle_;
};

class PluginEngine final : public Engine {
 public:
  PluginEngine(EngineInfo info, std::shared_ptr<EngineHandle> handle) : info_(std::move(info)), handle_(std::move(handle)) {}

  const EngineInfo& info() const noexcept override { return info_; }

 protected:
  Result<std::unique_ptr<Module>> do_compile(std::span<const std::uint8_t> wasm, std::string_view name) override {
    const std::string module_name(name);
    whp_error err = blank_error();
    void* h = handle_->api->module_new(handle_->h, wasm.data(), wasm.size(), module_name.c_str(), &err);
    if (h == nullptr) return tl::unexpected(to_error(err));
    auto handle = std::make_shared<ModuleHandle>(handle_, h);
    auto parsed = moduleinfo::read_module_info(wasm, name);
    if (!parsed) return tl::unexpected(parsed.error());
    handle->set_exports(std::move(parsed->exports));
    return std::make_unique<PluginModule>(module_name, std::move(handle));
  }

  Result<std::unique_ptr<Component>> do_compile_component(std::span<const std::uint8_t> bytes,
                                                          std::string_view name) override {
    return plugin::compile_component(handle_, bytes, name);
  }

 private:
  EngineInfo info_;
  std::shared_ptr<EngineHandle> handle_;
};

Capabilities caps_of(const whp_plugin_v1* api, std::uint32_t bits) {
  Capabilities c;
  c.sandboxed = true;
  c.loads_wasm = true;
  c.jit = (bits & WHP_CAP_JIT) != 0;
  c.aot = (bits & WHP_CAP_AOT) != 0;
  c.interpreter = (bits & WHP_CAP_INTERPRETER) != 0;
  c.tier_fixed_per_process = (bits & WHP_CAP_TIER_FIXED_PER_PROCESS) != 0;
  c.traps_recoverable = (bits & WHP_CAP_TRAPS_RECOVERABLE) != 0;
  c.interruptible = (bits & WHP_CAP_INTERRUPTIBLE) != 0;
  c.any_thread = (bits & WHP_CAP_ANY_THREAD) != 0;
  c.host_functions = (bits & WHP_CAP_HOST_FUNCTIONS) != 0 && WHP_PLUGIN_FIELD(api, instance_new_imports) != nullptr;
  c.component = (bits & WHP_CAP_COMPONENT) != 0 && plugin::has_components(api);
  return c;
}

std::string or_empty(const char* s) { return s == nullptr ? std::string{} : std::string{s}; }

}  // namespace

Result<std::unique_ptr<Engine>> load_plugin_engine(std::string_view id, std::string_view plugin,
                                                   std::string_view config) {
  auto api = plugin::load_engine_plugin(plugin, id);
  if (!api) return tl::unexpected(api.error());
  whp_engine_info raw{};
  whp_error err = blank_error();
  const std::string cfg(config);
  void* h = (*api)->engine_new(cfg.c_str(), &raw, &err);
  if (h == nullptr) {
    Error e = to_error(err);
    e.message = fmt::format("engine '{}': {}", id, e.message);
    return tl::unexpected(std::move(e));
  }
  EngineInfo info{std::string(id), or_empty(raw.name), or_empty(raw.version), or_empty(raw.tier),
                  or_empty(raw.description), caps_of(*api, raw.caps)};
  return std::make_unique<PluginEngine>(std::move(info), std::make_shared<EngineHandle>(*api, h));
}

}  // namespace wasmhop
