// wasm2c: ahead-of-time. wabt's binary reader + validator + C writer (in-process), the system C
// compiler to a shared object, loaded near the host's code (engines/common/guest_object.hpp; dlopen
// where that cannot be done). Objects are cached on disk under a SHA-256 key (module
// bytes, wabt version, compiler identity, flags, runtime shim); writes are atomic (build in a
// private directory, rename into place), so concurrent processes share the cache safely.
//
// Each object carries its own runtime (runtime_shim.c) that calls back into the host only through
// the table given to wasmhop_w2c_attach(): traps unwind to the host's guarded call
// (detail::raise_trap), memories are detail::LinearMemory reservations, so out-of-bounds accesses
// and stack overflow (guard pages) fault into the trap guard's signal handler.
//
// Calls: every function export gets, in the object, a packed wrapper (unpack io, call wasm2c's
// Z_mZ_x<i>, store results) and, on x86-64, a guarded entry (a small assembly trampoline that
// arms the host's trap frame, links it into the host's thread-local frame chain, calls the
// wrapper): Func::call is that entry and Func::ctx the instance, so a guest call is one indirect
// call. Elsewhere the host's detail::guarded_target_call wraps the packed wrapper. Exports of at
// most four parameters and one result also get a direct entry (arguments in registers), which
// under a TrapScope calls the export with no guard and otherwise arms its own (scoped_direct).
//
// Host functions: the generated code calls each function import through glue that forwards it to
// its binding (import_glue.hpp, imports.hpp); a failing host function traps like the runtime does.
//
// Stack exhaustion: the generated code counts wasm call depth per instance (wasm2c's
// WASM_RT_USE_STACK_DEPTH_COUNT, redirected to a counter in front of the instance struct) and
// traps beyond kMaxCallDepth; the native stack's guard page is the backstop for big frames.
#include "engines/wasm2c/wasm2c_engine.hpp"

#include <unistd.h>

#include <wasm-rt.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "engines/common/linear_memory.hpp"
#include "engines/common/trap_guard.hpp"
#include "engines/factories.hpp"
#include "engines/wasm2c/compiler.hpp"
#include "engines/wasm2c/embedded.hpp"
#include "engines/wasm2c/host_runtime.hpp"
#include "engines/wasm2c/imports.hpp"
#include "engines/wasm2c/library.hpp"
#include "engines/wasm2c/object_files.hpp"
#include "engines/wasm2c/sha256.hpp"
#include "engines/wasm2c/translate.hpp"
#include "engines/wasm2c/w2c_abi.h"

namespace wasmhop {
namespace wasm2c {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The cache directory (cache_directory()), created when missing.
Result<fs::path> created_cache_directory(const std::string& name) {
  auto dir = cache_directory();
  if (!dir) return tl::unexpected(dir.error());
  std::error_code ec;
  fs::create_directories(*dir, ec);
  if (ec) {
    return fail(ErrorKind::io_error, fmt::format("module '{}': cannot create the wasm2c cache "
                                                 "directory '{}': {} (set WASMHOP_CACHE_DIR)",
                                                 name, dir->string(), ec.message()));
  }
  return dir;
}

class Wasm2cInstance final : public Instance {
 public:
  Wasm2cInstance(std::string module, std::shared_ptr<Library> lib, void* block,
                 std::unique_ptr<ImportTable> imports)
      : Instance(std::move(module)),
        lib_(std::move(lib)),
        imports_(std::move(imports)),
        block_(block),
        raw_(static_cast<char*>(block) + lib_->desc().instance_offset) {
    // One target per export (index-aligned), built once: Func::ctx points into this vector.
    targets_.reserve(lib_->exports().size());
    for (const auto& e : lib_->exports()) targets_.push_back({e.packed, raw_});
    memory_ = static_cast<wasm_rt_memory_t*>(lib_->desc().exported_memory(raw_));
  }
  ~Wasm2cInstance() override {
    lib_->desc().free_instance(raw_);  // memories and tables; cannot trap
    std::free(block_);
  }

  GuestMemory memory() override {
    if (memory_ == nullptr || memory_->data == nullptr) return {};
    return {memory_->data, std::uint64_t{memory_->pages} * detail::LinearMemory::kPageSize};
  }

 protected:
  // The engine's by-name lookup, done on every call: a scan of the export table.
  Result<Func> lookup(std::string_view name) override {
    const auto& exports = lib_->exports();
    for (std::size_t i = 0; i < exports.size(); ++i) {
      const ExportEntry& e = exports[i];
      if (e.name != name) continue;
      if (e.kind == ExportKind::function) {
        // The object's guarded entry, called directly (ctx = the instance); elsewhere the host's
        // guard around the packed wrapper.
        if (e.guarded != nullptr) {
          return Func{e.guarded, raw_, &e.type, this, e.name.c_str(), e.direct, e.direct != nullptr};
        }
        return Func{&detail::guarded_target_call, &targets_[i], &e.type, this, e.name.c_str()};
      }
      return fail(ErrorKind::missing_export,
                  fmt::format("module '{}': export '{}' is not a function the host can call ({})",
                              module_name(), name,
                              e.packed == nullptr && e.kind == ExportKind::other
                                  ? "its type uses funcref/externref"
                                  : "it is a memory, table or global"));
    }
    return fail(ErrorKind::missing_export,
                fmt::format("module '{}' has no exported function '{}'", module_name(), name));
  }

 private:
  std::shared_ptr<Library> lib_;
  std::unique_ptr<ImportTable> imports_;  // what the object's import functions read (null: none)
  void* block_;  // header + instance struct (one zeroed allocation)
  void* raw_;    // wasm2c's Z_m_instance_t inside it
  std::vector<detail::GuardedTarget> targets_;
  wasm_rt_memory_t* memory_ = nullptr;
};

class Wasm2cModule final : public Module {
 public:
  Wasm2cModule(std::string name, std::shared_ptr<Library> lib, std::vector<ExportDesc> exports,
               std::vector<std::string> unresolvable, ModuleInfo info)
      : Module(std::move(name)), lib_(std::move(lib)), unresolvable_(std::move(unresolvable)), info_(std::move(info)) {
    exports_ = std::move(exports);
  }

  [[nodiscard]] const ModuleInfo& info() const noexcept { return info_; }

 protected:
  Result<std::unique_ptr<Instance>> do_instantiate() override {
    if (!unresolvable_.empty()) {
      return fail(ErrorKind::instantiation_failed,
                  fmt::format("module '{}': unresolved import{} {} (the wasm2c engine provides only "
                              "host functions)",
                              name(), unresolvable_.size() > 1 ? "s" : "", fmt::join(unresolvable_, ", ")));
    }
    detail::prepare_thread_for_guarded_calls();
    const wasmhop_w2c_module_desc& desc = lib_->desc();
    if (bound_imports().size() != desc.import_count) {
      return fail(ErrorKind::internal, fmt::format("module '{}': {} bound imports for an object with {}", name(),
                                                   bound_imports().size(), desc.import_count));
    }
    void* block = std::calloc(1, desc.instance_size);
    if (block == nullptr) {
      return fail(ErrorKind::resource_limit, fmt::format("module '{}': out of memory for an instance", name()));
    }
    void* raw = static_cast<char*>(block) + desc.instance_offset;
    // The imports first: a start function may call them (and read the memory, created by then).
    std::unique_ptr<ImportTable> imports;
    if (desc.import_count > 0) {
      imports = std::make_unique<ImportTable>(
          bound_imports(), static_cast<const wasm_rt_memory_t*>(desc.exported_memory(raw)));
      static_cast<wasmhop_w2c_instance_header*>(block)->imports = imports->c();
    }
    // Memories, tables, data and element segments, then the start function: may trap.
    const TrapKind trap = detail::guarded_call([&desc, raw] { desc.instantiate(raw); });
    if (trap != TrapKind::none) {
      desc.free_instance(raw);  // whatever was allocated before the trap
      std::free(block);
      if (trap == TrapKind::host_error) {
        return fail(ErrorKind::resource_limit,
                    fmt::format("module '{}': instantiation failed: {}", name(),
                                [] {
                                  std::string why = take_host_error();
                                  return why.empty() ? std::string("out of memory for a table") : why;
                                }()));
      }
      return fail(ErrorKind::trap,
                  fmt::format("module '{}': instantiation trapped (start function or segment "
                              "initialisation): {}",
                              name(), to_string(trap)),
                  trap);
    }
    return std::unique_ptr<Instance>(std::make_unique<Wasm2cInstance>(name(), lib_, block, std::move(imports)));
  }

 private:
  std::shared_ptr<Library> lib_;  // null when it has imports wasmhop cannot provide
  std::vector<std::string> unresolvable_;  // those imports
  ModuleInfo info_;
};

class Wasm2cEngine final : public Engine {
 public:
  explicit Wasm2cEngine(CCompiler cc) : cc_(std::move(cc)) {
    info_.id = "wasm2c";
    info_.name = "wabt wasm2c";
    // wabt's version comes from wabt/config.h (WABT_VERSION_STRING) of the libwabt we link.
    info_.version = fmt::format("wabt {}; C compiler: {}", wabt_version(), cc_.version_line);
    info_.tier = "aot";
    auto dir = cache_directory();
    info_.description = fmt::format(
        "wabt's C writer in-process, then `{} {}`, loaded near the host's code; objects cached in {}",
        fmt::join(cc_.command, " "), c_flags_text(), dir ? dir->string() : std::string("(no cache directory)"));
    info_.caps.sandboxed = true;
    info_.caps.loads_wasm = true;
    info_.caps.aot = true;
    info_.caps.traps_recoverable = true;
    info_.caps.any_thread = true;  // per-instance state; the trap guard is per thread
    info_.caps.host_functions = true;  // generated import functions call the bindings (import_glue.hpp)
    info_.caps.trap_scope = true;      // its calls are guarded by the host (direct entries: module_glue.cpp)
    // Everything that shapes an object except the module's bytes.
    Sha256 h;
    h.field("wasmhop wasm2c object")
        .field(fmt::format("abi {} glue {} depth {}", WASMHOP_W2C_ABI_VERSION, kGlueVersion,
                           kCountCallDepth ? kMaxCallDepth : 0))
        .field(wabt_version()).field(cc_.identity).field(c_flags_text())
        .field(kEmbeddedWasmRtHeader).field(kEmbeddedAbiHeader).field(kEmbeddedShim);
    key_prefix_ = h.hex_digest();
  }

  const EngineInfo& info() const noexcept override { return info_; }

 protected:
  Result<std::unique_ptr<Module>> do_compile(std::span<const std::uint8_t> wasm,
                                             std::string_view name_view) override {
    const std::string name(name_view);
    ModuleInfo info;
    info.key = Sha256().field(key_prefix_).update(wasm).hex_digest();
    auto dir = created_cache_directory(name);
    if (!dir) return tl::unexpected(dir.error());
    info.object = *dir / (info.key + ".so");
    if (auto cached = open_cached(name, info)) return cached;

    const auto t0 = Clock::now();
    auto tr = translate(wasm, name, info.key);
    if (!tr) return tl::unexpected(tr.error());
    info.translate_seconds = seconds_since(t0);
    if (!tr->imports.empty()) {
      // Never instantiable here (it imports more than functions): validated, not compiled.
      info.object.clear();
      return std::unique_ptr<Module>(std::make_unique<Wasm2cModule>(
          name, nullptr, std::move(tr->exports), std::move(tr->imports), std::move(info)));
    }
    if (auto st = build_object(*dir, *tr, name, info); !st) return tl::unexpected(st.error());
    auto lib = Library::open(info.object, info.key);
    if (!lib) {
      return fail(ErrorKind::internal, fmt::format("module '{}': the freshly compiled object '{}' does "
                                                   "not load: {}",
                                                   name, info.object.string(), lib.error().message));
    }
    return std::unique_ptr<Module>(std::make_unique<Wasm2cModule>(
        name, std::move(*lib), std::move(tr->exports), std::vector<std::string>{}, std::move(info)));
  }

 private:
  // A hit: the object proves the bytes were valid and were translated with this very setup.
  // Null on a miss, and when the cached object is unusable (info says so: it is rebuilt).
  static std::unique_ptr<Module> open_cached(const std::string& name, ModuleInfo& info) {
    std::error_code ec;
    if (!fs::exists(info.object, ec)) return nullptr;
    auto lib = verify_seal(info.object).and_then([&] { return Library::open(info.object, info.key); });
    if (lib) {
      info.cache_hit = true;
      std::vector<ExportDesc> exports;
      for (const auto& e : (*lib)->exports()) exports.push_back({e.name, e.kind, e.type});
      return std::make_unique<Wasm2cModule>(name, std::move(*lib), std::move(exports), std::vector<std::string>{},
                                            std::move(info));
    }
    // Corrupt, truncated or foreign: replace it (atomically, like any other write).
    info.rebuilt = true;
    info.note = fmt::format("cached object '{}' was unusable ({}); rebuilt", info.object.string(),
                            lib.error().message);
    return nullptr;
  }

  // Compiles the translation in a private build directory inside `dir`, seals the object and
  // publishes it at info.object.
  Status build_object(const fs::path& dir, const Translation& tr, const std::string& name, ModuleInfo& info) const {
    auto build = BuildDir::create(dir);
    if (!build) return tl::unexpected(build.error());
    const fs::path& b = build->path();
    const std::pair<const char*, std::string_view> files[] = {
        {kSourceName, tr.source},
        {kHeaderName, tr.header},
        {"wasm-rt.h", kEmbeddedWasmRtHeader},
        {"wasmhop_w2c_abi.h", kEmbeddedAbiHeader},
        {"wasmhop_w2c_shim.c", kEmbeddedShim}};
    for (const auto& [file, text] : files) {
      if (auto st = write_text(b / file, text); !st) return tl::unexpected(st.error());
    }
    const auto t1 = Clock::now();
    if (auto st = compile_shared_object(cc_, b, b / kSourceName, b / "module.so", name); !st) {
      return tl::unexpected(st.error());
    }
    info.cc_seconds = seconds_since(t1);
    if (auto st = seal_object(b / "module.so"); !st) return tl::unexpected(st.error());
    // Atomic publish: readers see the old entry, no entry, or the complete new one.
    if (std::rename((b / "module.so").c_str(), info.object.c_str()) != 0) {
      return fail(ErrorKind::io_error, fmt::format("module '{}': cannot move the compiled object to '{}': {}",
                                                   name, info.object.string(), std::strerror(errno)));
    }
    return {};
  }

  CCompiler cc_;
  EngineInfo info_;
  std::string key_prefix_;
};

}  // namespace

const ModuleInfo* module_info(const Module& module) noexcept {
  const auto* m = dynamic_cast<const Wasm2cModule*>(&module);
  return m != nullptr ? &m->info() : nullptr;
}

Result<std::filesystem::path> cache_directory() {
  if (const char* dir = std::getenv("WASMHOP_CACHE_DIR"); dir != nullptr && *dir != '\0') {
    return fs::absolute(dir);
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return fs::path(xdg) / "wasmhop" / "wasm2c";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return fs::path(home) / ".cache" / "wasmhop" / "wasm2c";
  }
  return fail(ErrorKind::io_error,
              "no wasm2c cache directory: none of WASMHOP_CACHE_DIR, XDG_CACHE_HOME, HOME is set");
}

}  // namespace wasm2c

Result<std::unique_ptr<Engine>> make_wasm2c_engine() {
  auto cc = wasm2c::find_c_compiler();
  if (!cc) return tl::unexpected(cc.error());
  return std::unique_ptr<Engine>(std::make_unique<wasm2c::Wasm2cEngine>(std::move(*cc)));
}

}  // namespace wasmhop
