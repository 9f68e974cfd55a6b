// native: the script's own source compiled natively (a shared object built by
// wasmhop_add_guest), called directly. No sandbox: the baseline every engine is compared with.
// Linear memory is an arena with guard pages (LinearMemory), so offsets, bounds checks and
// out-of-bounds traps behave as in the wasm build; other native faults in a script (ud2, idiv)
// come back as traps through the same guard.
#include <chrono>
#include <optional>
#include <span>

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "engines/common/guest_object.hpp"
#include "engines/common/linear_memory.hpp"
#include "engines/common/trap_guard.hpp"
#include "engines/factories.hpp"
#include "wasmhop/guest_native.hpp"  // guest SDK: the native export table layout

namespace wasmhop {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kInitialPages = 2;  // like a small wasm-ld module: data + 64 KiB stack

Result<FuncType> parse_signature(const char* params, const char* results, std::string_view name) {
  FuncType t;
  if (!wasmhop::detail::read_type_codes(params, t.params) || !wasmhop::detail::read_type_codes(results, t.results)) {
    return fail(ErrorKind::malformed_module, fmt::format("export '{}' has a bad signature", name));
  }
  return t;
}

// A private load of the script per instance: instances must not share its globals. Near the
// host's code where it can be (guest_object.hpp): calls into it then cost what a call inside the
// executable costs.
using LoadedCopy = std::unique_ptr<detail::GuestObject>;

Result<LoadedCopy> load_copy(const fs::path& so, std::string_view module) {
  auto copy = detail::GuestObject::open(so, /*private_state=*/true);
  if (!copy) {
    return fail(copy.error().kind, fmt::format("module '{}': not a loadable native script: {}", module,
                                               copy.error().message));
  }
  return copy;
}

struct NativeExport {
  std::string name;
  FuncType type;
  detail::GuardedTarget target;  // the SDK's thunk for this export
  DirectFn direct = nullptr;     // the SDK's direct entry (ignores its ctx, like the thunk)
};

// The native script's import bindings: the host's BoundImport calls, in the script's order.
std::vector<wasmhop_native_import_binding> bindings_of(std::span<const BoundImport> bound) {
  std::vector<wasmhop_native_import_binding> out;
  for (const BoundImport& b : bound) {
    // ImportCallFn and the binding's call are one function type in C terms (a context, the
    // caller the host passed in, 8-byte slots of the same layout).
    out.push_back({reinterpret_cast<std::uint8_t (*)(void*, const void*, wasmhop_native_val*)>(b.call), b.ctx});
  }
  return out;
}

class NativeInstance final : public Instance {
 public:
  NativeInstance(std::string module, LoadedCopy copy, std::vector<NativeExport> exports,
                 std::unique_ptr<detail::LinearMemory> memory, std::span<const BoundImport> bound)
      : Instance(std::move(module)),
        copy_(std::move(copy)),
        exports_(std::move(exports)),
        memory_(std::move(memory)),
        bindings_(bindings_of(bound)),
        caller_{memory_.get(), &caller_memory} {}

  GuestMemory memory() override { return {memory_->base(), memory_->size()}; }

  Status attach() {
    using Attach = int (*)(const wasmhop_native_host*);
    auto attach = reinterpret_cast<Attach>(copy_->symbol("wasmhop_native_attach"));
    if (attach == nullptr) {
      return fail(ErrorKind::malformed_module,
                  fmt::format("module '{}': no wasmhop_native_attach (not built with the guest SDK)",
                              module_name()));
    }
    host_ = {WASMHOP_NATIVE_ABI_VERSION, memory_->base(), &grow, &pages, memory_.get(), bindings_.data(),
             static_cast<std::uint32_t>(bindings_.size()), &caller_, &trap, detail::trap_frame_tls_offset()};
    if (attach(&host_) != 0) {
      return fail(ErrorKind::instantiation_failed,
                  fmt::format("module '{}': guest SDK version mismatch", module_name()));
    }
    return {};
  }

 protected:
  Result<Func> lookup(std::string_view name) override {
    for (const auto& e : exports_) {
      if (e.name == name) {
        return Func{&detail::guarded_target_call, const_cast<detail::GuardedTarget*>(&e.target),
                    &e.type, this, e.name.c_str(), e.direct, e.direct != nullptr};
      }
    }
    return fail(ErrorKind::missing_export,
                fmt::format("module '{}' has no exported function '{}'", module_name(), name));
  }

 private:
  static std::int32_t grow(void* ctx, std::uint32_t pages) {
    return static_cast<detail::LinearMemory*>(ctx)->grow(pages);
  }
  static std::uint32_t pages(void* ctx) { return static_cast<detail::LinearMemory*>(ctx)->pages(); }
  static void caller_memory(void* ctx, std::uint8_t** base, std::uint64_t* size) noexcept {
    auto* m = static_cast<detail::LinearMemory*>(ctx);
    *base = m->base();
    *size = m->size();
  }
  // A host function failed: unwind the script to the guarded export call, as a fault would.
  [[noreturn]] static void trap(void*, std::uint8_t kind) { detail::raise_trap(static_cast<TrapKind>(kind)); }

  LoadedCopy copy_;
  std::vector<NativeExport> exports_;
  std::unique_ptr<detail::LinearMemory> memory_;
  std::vector<wasmhop_native_import_binding> bindings_;
  CallerView caller_;
  wasmhop_native_host host_{};
};

class NativeModule final : public Module {
 public:
  NativeModule(std::string name, fs::path so, std::uint32_t max_pages)
      : Module(std::move(name)), so_(std::move(so)), max_pages_(max_pages) {}

  Status read_exports(const LoadedCopy& copy) {
    using Info = const wasmhop_native_module_desc* (*)();
    auto info = reinterpret_cast<Info>(copy->symbol("wasmhop_native_module_info"));
    if (info == nullptr) {
      return fail(ErrorKind::malformed_module,
                  fmt::format("module '{}': '{}' is not a wasmhop native script (no export table)",
                              name(), so_.string()));
    }
    const wasmhop_native_module_desc* desc = info();
    if (desc->abi_version != WASMHOP_NATIVE_ABI_VERSION) {
      return fail(ErrorKind::malformed_module,
                  fmt::format("module '{}': guest SDK ABI {} (host expects {})", name(),
                              desc->abi_version, WASMHOP_NATIVE_ABI_VERSION));
    }
    for (std::uint32_t i = 0; i < desc->export_count; ++i) {
      const auto& e = desc->exports[i];
      auto t = parse_signature(e.params, e.results, e.name);
      if (!t) return tl::unexpected(t.error());
      exports_.push_back({e.name, ExportKind::function, *t});
    }
    if (desc->import_count > 4096) {
      return fail(ErrorKind::malformed_module, fmt::format("module '{}': more imports than the guest SDK holds", name()));
    }
    for (std::uint32_t i = 0; i < desc->import_count; ++i) {
      const auto& im = desc->imports[i];
      auto t = parse_signature(im.params, im.results, im.field);
      if (!t) return tl::unexpected(t.error());
      imports_.push_back({im.module, im.field, ExportKind::function, *t, {}});
    }
    exports_.push_back({"memory", ExportKind::memory, {}});
    return {};
  }

  void keep_spare(LoadedCopy copy) { spare_.emplace(std::move(copy)); }

 protected:
  Result<std::unique_ptr<Instance>> do_instantiate() override {
    detail::prepare_thread_for_guarded_calls();
    LoadedCopy copy;
    if (spare_) {
      copy = std::move(*spare_);
      spare_.reset();
    } else {
      auto c = load_copy(so_, name());
      if (!c) return tl::unexpected(c.error());
      copy = std::move(*c);
    }
    using Info = const wasmhop_native_module_desc* (*)();
    auto info = reinterpret_cast<Info>(copy->symbol("wasmhop_native_module_info"));
    const wasmhop_native_module_desc* desc = info();
    std::vector<NativeExport> exports;
    for (std::uint32_t i = 0; i < desc->export_count; ++i) {
      const auto& e = desc->exports[i];
      // The SDK's direct entries link trap frames through the host's TLS slot: x86-64 only.
      const DirectFn direct = detail::trap_frame_tls_offset() != 0 ? reinterpret_cast<DirectFn>(e.direct) : nullptr;
      exports.push_back({e.name, *parse_signature(e.params, e.results, e.name), {e.thunk, nullptr}, direct});
    }
    auto mem = detail::LinearMemory::create(kInitialPages, max_pages_);
    if (!mem) return tl::unexpected(mem.error());
    auto inst = std::make_unique<NativeInstance>(name(), std::move(copy), std::move(exports),
                                                 std::move(*mem), bound_imports());
    if (auto st = inst->attach(); !st) return tl::unexpected(st.error());
    return inst;
  }

 private:
  fs::path so_;
  std::uint32_t max_pages_;  // the engine's memory limit (Engine::set_memory_limit)
  std::optional<LoadedCopy> spare_;
};

class NativeEngine final : public Engine {
 public:
  NativeEngine() {
    info_.id = "native";
    info_.name = "native";
    info_.version = fmt::format("{} {}", "host compiler", __VERSION__);
    info_.tier = "native";
    info_.description = "the script's source compiled natively (no sandbox)";
    info_.caps.sandboxed = false;
    info_.caps.loads_wasm = false;
    info_.caps.aot = true;
    info_.caps.any_thread = true;  // a private load of the script per instance
    info_.caps.host_functions = true;
    info_.caps.trap_scope = true;  // calls guarded by the host; under a scope the SDK's direct entries skip that
  }

  const EngineInfo& info() const noexcept override { return info_; }

  Result<std::unique_ptr<Module>> load(const fs::path& path) override {
    fs::path so = path;
    if (path.extension() == ".wasm") so = path.parent_path() / (path.stem().string() + ".native.so");
    std::error_code ec;
    if (!fs::exists(so, ec)) {
      return fail(ErrorKind::io_error,
                  fmt::format("native engine: no native build '{}' for '{}' (scripts built with "
                              "wasmhop_add_guest have one next to the .wasm)",
                              so.string(), path.string()));
    }
    std::string name = path.stem().string();
    if (name.ends_with(".native")) name.resize(name.size() - 7);
    std::uint32_t max_pages = detail::LinearMemory::kMaxPages;
    if (memory_limit() != 0) {
      max_pages = static_cast<std::uint32_t>(std::min<std::uint64_t>(memory_limit() / 65536, max_pages));
      if (max_pages < kInitialPages) {
        return fail(ErrorKind::resource_limit,
                    fmt::format("module '{}': its memory needs {} pages at start; the memory limit is {} pages",
                                name, kInitialPages, max_pages));
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto module = std::make_unique<NativeModule>(name, so, max_pages);
    auto copy = load_copy(so, name);
    if (!copy) return tl::unexpected(copy.error());
    if (auto st = module->read_exports(*copy); !st) return tl::unexpected(st.error());
    module->keep_spare(std::move(*copy));
    set_compile_seconds(*module, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    set_capabilities(*module, info_.caps);
    return std::unique_ptr<Module>(std::move(module));
  }

 protected:
  Result<std::unique_ptr<Module>> do_compile(std::span<const std::uint8_t>,
                                             std::string_view name) override {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("module '{}': the native engine runs a script's native build; load it "
                            "from a file (Engine::load) instead of wasm bytes",
                            name));
  }

 private:
  EngineInfo info_;
};

}  // namespace

Result<std::unique_ptr<Engine>> make_native_engine() {
  return std::unique_ptr<Engine>(std::make_unique<NativeEngine>());
}

}  // namespace wasmhop
