// Engine -> Module -> Instance: one interface over every WebAssembly engine (and native mode).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasmhop/component.hpp"
#include "wasmhop/func.hpp"
#include "wasmhop/guest_memory.hpp"
#include "wasmhop/host.hpp"
#include "wasmhop/result.hpp"
#include "wasmhop/trap_scope.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop {

// What an engine can do, as data: code asks these, never the engine's name.
struct Capabilities {
  bool sandboxed = true;            // guest memory isolated from the host (false: native)
  bool loads_wasm = true;           // compiles .wasm bytes (native loads the script's native build)
  bool jit = false;                 // compiles to machine code at load time
  bool aot = false;                 // compiles ahead of time to a cached shared object
  bool interpreter = false;
  bool tier_fixed_per_process = false;  // its tier is a process-global setting
  bool traps_recoverable = true;    // a trap returns an error and the host carries on
  bool interruptible = false;       // a running call can be stopped (InstanceOptions::call_timeout)
  bool any_thread = false;          // instances may be called from any thread (one call at a time per
                                    // instance); false: only from the thread that created the engine
  bool host_functions = false;      // instantiates modules that import functions (InstanceOptions::imports)
  bool component = false;           // compiles components (Engine::compile_component, wasmhop/component.hpp)
  bool call_many = false;           // Instance::call_many runs its calls inside the engine, one host entry
                                    // for many calls; false: wasmhop calls them one by one
  bool trap_scope = false;          // the host guards its calls against traps: a TrapScope arms that
                                    // guard once for many calls (wasmhop/trap_scope.hpp)
};

// Limits for one instance, given to Module::instantiate.
struct InstanceOptions {
  // The longest one guest call may run: every export call, `_initialize` and a start function.
  // A call past it is stopped and returns ErrorKind::timeout naming the export; the instance stays
  // usable, as after a trap. Zero: no limit (the default; calls then pay nothing for the feature).
  // Needs Capabilities::interruptible: other engines cannot stop guest code in-process and refuse
  // a limit (engine_unavailable); run such code in a child process that is killed at the deadline
  // (`wasmhop run --timeout`).
  std::chrono::nanoseconds call_timeout{0};

  // The host functions the module's function imports are bound to, by module and field name;
  // each is checked against the import's type. Functions the module does not import are ignored.
  // Needs Capabilities::host_functions when the module imports anything.
  Imports imports{};
};

namespace detail {
struct HostState;  // an instance's bound imports (src/core/host_state.hpp)
}

struct EngineInfo {
  std::string id;        // registry id: "wasm2c", "v8-liftoff", ...
  std::string name;      // the engine: "wabt", "V8", ...
  std::string version;   // the engine's own version string
  std::string tier;      // "interpreter", "baseline", "optimizing", "dynamic", "aot", "native"
  std::string description;
  Capabilities caps;
};

struct ExportDesc {
  std::string name;
  ExportKind kind = ExportKind::other;
  FuncType type;  // for functions
};

class Instance;

class Module {
 public:
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::vector<ExportDesc>& exports() const noexcept { return exports_; }
  [[nodiscard]] const std::vector<ImportDesc>& imports() const noexcept { return imports_; }
  [[nodiscard]] double compile_seconds() const noexcept { return compile_seconds_; }

  // Creates an instance and runs the reactor's `_initialize` when it is exported. Timed.
  [[nodiscard]] Result<std::unique_ptr<Instance>> instantiate(const InstanceOptions& options = {});

 protected:
  explicit Module(std::string name) : name_(std::move(name)) {}
  [[nodiscard]] virtual Result<std::unique_ptr<Instance>> do_instantiate() = 0;

  // During do_instantiate: the limit a start function must be stopped at (zero: none).
  [[nodiscard]] std::chrono::nanoseconds instantiate_timeout() const noexcept { return instantiate_timeout_; }

  // During do_instantiate: one entry per function import of the module, in import order, each
  // bound to its host function (empty when it imports none). Live as long as the instance.
  [[nodiscard]] std::span<const BoundImport> bound_imports() const noexcept;

  std::vector<ExportDesc> exports_;
  std::vector<ImportDesc> imports_;  // set by Engine::compile from the binary (native: by its engine)

 private:
  friend class Engine;
  std::string name_;
  double compile_seconds_ = 0;
  bool interruptible_ = false;  // the engine's Capabilities::interruptible (set by Engine::compile)
  bool host_functions_ = false;  // the engine's Capabilities::host_functions (set by Engine::compile)
  bool trap_scope_ = false;  // the engine's Capabilities::trap_scope (set by Engine::compile)
  std::chrono::nanoseconds instantiate_timeout_{0};
  const detail::HostState* instantiating_ = nullptr;  // bound_imports() during do_instantiate
};

class Instance {
 public:
  virtual ~Instance() = default;
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  [[nodiscard]] const std::string& module_name() const noexcept { return module_name_; }
  [[nodiscard]] double instantiate_seconds() const noexcept { return instantiate_seconds_; }

  // Resolves an exported function once. The handle stays valid while the instance lives.
  [[nodiscard]] Result<Func> func(std::string_view name);

  // Resolves and checks the export's real signature against Sig, once.
  template <class Sig>
  [[nodiscard]] Result<TypedFunc<Sig>> typed(std::string_view name) {
    return func(name).and_then([&](Func f) -> Result<TypedFunc<Sig>> {
      auto st = check_signature<Sig>(f);
      if (!st) return tl::unexpected(st.error());
      return TypedFunc<Sig>(f);
    });
  }

  // The deliberate uncached path (the paper's "uncached" configurations): looks the export up
  // by name through the engine on every call, checks its type, then calls it. Inlined into the
  // call loop, as a cached call is: the uncached configurations measure the lookup, not a call more.
  template <class R, class... A>
  [[nodiscard, gnu::always_inline]] Result<R> call_by_name(std::string_view name, A... args) {
    auto f = func(name);
    if (!f) return tl::unexpected(f.error());
    auto st = check_signature<R(A...)>(*f);
    if (!st) return tl::unexpected(st.error());
    return TypedFunc<R(A...)>(*f)(args...);
  }

  // Untyped call with arguments and results as values (the paper's dynamic "Value array" calls,
  // the CLI). Checks the arity against the export's type on every call.
  [[nodiscard]] Status call(const Func& f, std::span<const RawVal> args, std::span<RawVal> results) {
    constexpr std::size_t kInline = 8;
    if (args.size() != f.type->params.size() || results.size() != f.type->results.size()) [[unlikely]]
      return tl::unexpected(arity_error(f, args.size(), results.size()));
    // The engines whose calls a TrapScope covers: their direct entry, inside a scope or not.
    if (detail::kScopedCalls && f.scoped_direct && args.size() <= kDirectMaxParams && results.size() <= 1)
      return call_scoped_direct(f, args, results);
    if (args.size() > kInline || results.size() > kInline) [[unlikely]] return call_wide(f, args, results);
    RawVal io[kInline];
    std::copy(args.begin(), args.end(), io);
    if (const TrapKind t = f.call(f.ctx, io); t != TrapKind::none) [[unlikely]]
      return tl::unexpected(trap_error(f, t));
    std::copy_n(io, results.size(), results.begin());
    return {};
  }

  // Calls f `count` times, in order: call k takes its arguments from args[k*P, k*P+P) and writes
  // its results to results[k*R, k*R+R) (P, R: f's parameter and result counts). The same calls,
  // values and traps as `count` calls of `call`. Engines with Capabilities::call_many make them
  // from inside the engine with one entry from the host for many calls (V8: a loop in JS that V8
  // compiles, docs/engines.md); the others in a loop here. A trap in call k ends it: the calls
  // before k have run and written their results, the error names the export and k, the calls
  // after k do not run. signature_mismatch when the spans do not hold count * P and count * R
  // values; invalid_argument when f belongs to another instance.
  [[nodiscard]] Status call_many(const Func& f, std::span<const RawVal> args, std::span<RawVal> results,
                                 std::size_t count);

  // The current view of the exported linear memory (empty view when the module has none).
  // Take a fresh one after every guest call: memory may grow, and on some engines move.
  [[nodiscard]] virtual GuestMemory memory() = 0;

  // Text for a trapped or failed call that the engine captured (V8 exception messages).
  [[nodiscard]] virtual std::string last_error_detail() const { return {}; }

  // The limit of one call (InstanceOptions::call_timeout); zero: none. Changing it needs
  // Capabilities::interruptible (engine_unavailable otherwise; negative: invalid_argument).
  [[nodiscard]] Status set_call_timeout(std::chrono::nanoseconds limit);
  [[nodiscard]] std::chrono::nanoseconds call_timeout() const noexcept { return call_timeout_; }

  // Called after a trap: scripts built with the guest SDK export wasmhop_reset_stack, which puts
  // their C stack pointer (in linear memory, not unwound by a trap) back at the top, so the
  // instance stays usable. Nothing else is reset: memory and globals stay as the trap left them.
  void recover_after_trap() const noexcept;

  // The error of the host function that failed during the last guest call, taken once (the
  // trapped call's Result carries it); nullopt when none did.
  [[nodiscard]] std::optional<Error> take_host_failure() const noexcept;

 protected:
  explicit Instance(std::string module_name) : module_name_(std::move(module_name)) {}

  // Engine hook: find a function export by name (the engine's own lookup, every time).
  [[nodiscard]] virtual Result<Func> lookup(std::string_view name) = 0;

  // Engine hook of call_many (spans checked, f is this instance's): makes the calls, sets `done`
  // to how many completed and returns the trap that ended call `done` (none when all ran). The
  // default calls f once per call, through its direct entry when it has one (as TypedFunc does),
  // else through f.call.
  [[nodiscard]] virtual TrapKind run_many(const Func& f, const RawVal* args, RawVal* results, std::size_t count,
                                          std::size_t& done) noexcept;

  // Engine hook: the call limit changed (instantiation with a limit, set_call_timeout). Engines
  // that read call_timeout() on their call path need not override it.
  [[nodiscard]] virtual Status apply_call_timeout(std::chrono::nanoseconds) { return {}; }

 private:
  friend class Module;
  friend class TrapScope;
  template <class Sig>
  struct sig_traits;
  template <class R, class... A>
  struct sig_traits<R(A...)> {
    // Built once per signature: by-name calls check it on every call.
    static const FuncType& type() {
      static const FuncType t = functype_of<R, A...>();
      return t;
    }
  };
  template <class Sig>
  [[nodiscard]] Status check_signature(const Func& f) const {
    return check_type(f, sig_traits<Sig>::type());
  }
  [[nodiscard]] Status check_type(const Func& f, const FuncType& wanted) const;
  [[nodiscard]] Error arity_error(const Func& f, std::size_t args, std::size_t results) const;
  [[nodiscard]] Status call_wide(const Func& f, std::span<const RawVal> args, std::span<RawVal> results);

  // Instance::call through a scoped_direct entry, arguments as their slots' bits (such entries
  // read only the low 4 bytes of i32 and f32).
  [[nodiscard]] static Status call_scoped_direct(const Func& f, std::span<const RawVal> args,
                                                 std::span<RawVal> results) {
    static_assert(kDirectMaxParams == 4);
    DirectResult r;
    switch (args.size()) {
      case 0: r = detail::call_direct(f); break;
      case 1: r = detail::call_direct(f, args[0].bits); break;
      case 2: r = detail::call_direct(f, args[0].bits, args[1].bits); break;
      case 3: r = detail::call_direct(f, args[0].bits, args[1].bits, args[2].bits); break;
      default: r = detail::call_direct(f, args[0].bits, args[1].bits, args[2].bits, args[3].bits); break;
    }
    if (r.trap != 0) [[unlikely]] return tl::unexpected(trap_error(f, static_cast<TrapKind>(r.trap)));
    if (!results.empty()) results[0].bits = r.value;
    return {};
  }

  std::string module_name_;
  double instantiate_seconds_ = 0;
  Func reset_stack_{};  // the guest's wasmhop_reset_stack, when exported
  // A base-class member: the engine's own (derived) instance is destroyed first, so the host
  // functions it may call outlive it.
  std::shared_ptr<detail::HostState> host_;
  std::chrono::nanoseconds call_timeout_{0};  // engines read it on their call path
  bool interruptible_ = false;
  bool trap_scope_ = false;  // a TrapScope arms the host's trap guard for this instance's calls
};

class Engine {
 public:
  virtual ~Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  [[nodiscard]] virtual const EngineInfo& info() const noexcept = 0;

  // Validates and compiles a module. Timed (Module::compile_seconds). `name` names it in errors.
  [[nodiscard]] Result<std::unique_ptr<Module>> compile(std::span<const std::uint8_t> wasm,
                                                        std::string_view name);

  // Validates and compiles a component (the component model's binary, not a core module). Timed.
  // engine_unavailable on an engine without Capabilities::component; malformed_module for a core
  // module or bytes that are neither.
  [[nodiscard]] Result<std::unique_ptr<Component>> compile_component(std::span<const std::uint8_t> bytes,
                                                                     std::string_view name);
  [[nodiscard]] Result<std::unique_ptr<Component>> load_component(const std::filesystem::path& path);

  // Loads a script file: a .wasm for sandboxed engines; the native engine resolves the
  // script's native build next to it (foo.wasm -> foo.native.so).
  [[nodiscard]] virtual Result<std::unique_ptr<Module>> load(const std::filesystem::path& path);

  // Linear memory of modules compiled or loaded from now on stays within `bytes` (whole 64 KiB
  // pages, rounded down; 0: no limit but the module's and the engine's own). memory.grow past it
  // answers -1 to the guest, as at a declared maximum (the module's maximum is lowered to the
  // limit before compiling), so a guest allocator returns null and the host reports
  // resource_limit where it asked for a buffer; a module that needs more memory at start fails to
  // compile with resource_limit. Memory the host never touches costs nothing on most engines, but
  // wabt-interp's is a std::vector: without a limit a guest may make it allocate 4 GiB.
  void set_memory_limit(std::uint64_t bytes) noexcept;
  [[nodiscard]] std::uint64_t memory_limit() const noexcept { return memory_limit_; }

 protected:
  Engine() = default;
  [[nodiscard]] virtual Result<std::unique_ptr<Module>> do_compile(
      std::span<const std::uint8_t> wasm, std::string_view name) = 0;
  // Engines with Capabilities::component override it (only called for component bytes).
  [[nodiscard]] virtual Result<std::unique_ptr<Component>> do_compile_component(std::span<const std::uint8_t> bytes,
                                                                                std::string_view name);
  static void set_compile_seconds(Module& m, double s) noexcept { m.compile_seconds_ = s; }
  // What instantiate checks of the engine: set by compile, and by a load that bypasses it.
  static void set_capabilities(Module& m, const Capabilities& c) noexcept {
    m.interruptible_ = c.interruptible;
    m.host_functions_ = c.host_functions;
    m.trap_scope_ = c.trap_scope;
  }

 private:
  std::uint64_t memory_limit_ = 0;
};

// Reads a whole file (errors name the path).
[[nodiscard]] Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path);

}  // namespace wasmhop
