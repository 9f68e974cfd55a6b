#include "wasmhop/engine.hpp"

#include <chrono>
#include <fstream>

#include <fmt/format.h>

namespace wasmhop {
namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
}  // namespace

Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::io_error, fmt::format("cannot open '{}'", path.string()));
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) return fail(ErrorKind::io_error, fmt::format("cannot read '{}'", path.string()));
  return bytes;
}

Result<std::unique_ptr<Module>> Engine::compile(std::span<const std::uint8_t> wasm,
                                                std::string_view name) {
  const auto t0 = Clock::now();
  auto m = do_compile(wasm, name);
  if (m) {
    set_compile_seconds(**m, seconds_since(t0));
    (*m)->interruptible_ = info().caps.interruptible;
  }
  return m;
}

Result<std::unique_ptr<Module>> Engine::load(const std::filesystem::path& path) {
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  return compile(*bytes, path.stem().string());
}

namespace {
Error cannot_interrupt(const std::string& module) {
  return Error{ErrorKind::engine_unavailable,
               fmt::format("module '{}': this engine cannot stop a running call (its capabilities say "
                           "interruptible = false); run untrusted code on it in a child process "
                           "that is killed at the deadline, as `wasmhop run --timeout` does",
                           module)};
}
}  // namespace

Result<std::unique_ptr<Instance>> Module::instantiate(const InstanceOptions& options) {
  if (options.call_timeout.count() < 0) {
    return fail(ErrorKind::invalid_argument, fmt::format("module '{}': negative call timeout", name_));
  }
  if (options.call_timeout.count() > 0 && !interruptible_) return tl::unexpected(cannot_interrupt(name_));
  const auto t0 = Clock::now();
  instantiate_timeout_ = options.call_timeout;
  auto inst = do_instantiate();
  instantiate_timeout_ = {};
  if (!inst) return inst;
  (*inst)->module_name_ = name_;
  (*inst)->interruptible_ = interruptible_;
  (*inst)->call_timeout_ = options.call_timeout;
  // A reactor module (clang -mexec-model=reactor) runs its static constructors here.
  for (const auto& e : exports_) {
    if (e.kind == ExportKind::function && e.name == "_initialize") {
      auto init = (*inst)->typed<void()>("_initialize");
      if (!init) return tl::unexpected(init.error());
      auto r = (*init)();
      if (!r) {
        Error err = r.error();
        err.message = "during _initialize: " + err.message;
        return tl::unexpected(std::move(err));
      }
      break;
    }
  }
  for (const auto& e : exports_) {
    if (e.kind == ExportKind::function && e.name == "wasmhop_reset_stack" && e.type == FuncType{}) {
      if (auto f = (*inst)->func(e.name)) (*inst)->reset_stack_ = *f;
    }
  }
  (*inst)->instantiate_seconds_ = seconds_since(t0);
  return inst;
}

Result<Func> Instance::func(std::string_view name) { return lookup(name); }

Status Instance::set_call_timeout(std::chrono::nanoseconds limit) {
  if (limit.count() < 0) {
    return fail(ErrorKind::invalid_argument, fmt::format("module '{}': negative call timeout", module_name_));
  }
  if (limit.count() > 0 && !interruptible_) return tl::unexpected(cannot_interrupt(module_name_));
  call_timeout_ = limit;
  return {};
}

void Instance::recover_after_trap() const noexcept {
  if (!reset_stack_) return;
  RawVal io[1];
  (void)reset_stack_.call(reset_stack_.ctx, io);  // cannot trap: one global.set
}

Status Instance::check_type(const Func& f, const FuncType& wanted) const {
  if (*f.type == wanted) return {};
  return fail(ErrorKind::signature_mismatch,
              fmt::format("module '{}', export '{}': has type {}, the host asked for {}",
                          module_name_, f.name, f.type->to_string(), wanted.to_string()));
}

Error Instance::arity_error(const Func& f, std::size_t args, std::size_t results) const {
  return Error{ErrorKind::signature_mismatch,
               fmt::format("module '{}', export '{}' has type {}: given {} argument(s), {} result slot(s)",
                           module_name_, f.name, f.type->to_string(), args, results)};
}

// Calls with more than a handful of values: the io array on the heap.
Status Instance::call_wide(const Func& f, std::span<const RawVal> args, std::span<RawVal> results) {
  std::vector<RawVal> io(std::max<std::size_t>({1, args.size(), results.size()}));
  std::copy(args.begin(), args.end(), io.begin());
  if (const TrapKind t = f.call(f.ctx, io.data()); t != TrapKind::none) return tl::unexpected(trap_error(f, t));
  std::copy_n(io.begin(), results.size(), results.begin());
  return {};
}

}  // namespace wasmhop
