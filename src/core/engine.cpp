#include "wasmhop/engine.hpp"

#include <chrono>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "core/component_errors.hpp"
#include "core/host_state.hpp"
#include "core/memory_limit.hpp"
#include "engines/common/wasm_module_info.hpp"

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

namespace detail {
namespace {

// LEB128 (unsigned, at most 32 bits) at `pos`; nullopt when malformed or past the end.
std::optional<std::uint32_t> read_u32(std::span<const std::uint8_t> in, std::size_t& pos) {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (pos >= in.size()) return std::nullopt;
    const std::uint8_t b = in[pos++];
    v |= std::uint64_t{b & 0x7Fu} << shift;
    if ((b & 0x80) == 0) {
      if (v > UINT32_MAX) return std::nullopt;
      return static_cast<std::uint32_t>(v);
    }
  }
  return std::nullopt;
}

void write_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  do {
    std::uint8_t b = v & 0x7Fu;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}

// The rewritten memory section payload; nullopt when it does not parse (or is memory64).
std::optional<std::vector<std::uint8_t>> limit_section(std::span<const std::uint8_t> payload, std::uint32_t max_pages,
                                                       std::uint32_t& too_big) {
  std::size_t pos = 0;
  const auto count = read_u32(payload, pos);
  if (!count) return std::nullopt;
  std::vector<std::uint8_t> out;
  write_u32(out, *count);
  for (std::uint32_t i = 0; i < *count; ++i) {
    if (pos >= payload.size()) return std::nullopt;
    const std::uint8_t flags = payload[pos++];
    if (flags > 0x03) return std::nullopt;  // memory64 or unknown flags: the validator decides
    const auto min = read_u32(payload, pos);
    if (!min) return std::nullopt;
    std::uint32_t max = max_pages;
    if (flags & 0x01) {
      const auto declared = read_u32(payload, pos);
      if (!declared) return std::nullopt;
      max = std::min(*declared, max_pages);
    }
    if (*min > max_pages) too_big = std::max(too_big, *min);
    out.push_back(static_cast<std::uint8_t>(flags | 0x01));
    write_u32(out, *min);
    write_u32(out, max);
  }
  if (pos != payload.size()) return std::nullopt;
  return out;
}

}  // namespace

Result<std::vector<std::uint8_t>> limit_memory_pages(std::span<const std::uint8_t> wasm, std::uint32_t max_pages,
                                                     std::string_view module_name) {
  std::vector<std::uint8_t> same(wasm.begin(), wasm.end());
  constexpr std::uint8_t kHeader[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  if (wasm.size() < 8 || !std::equal(kHeader, kHeader + 8, wasm.begin())) return same;
  std::size_t pos = 8;
  while (pos < wasm.size()) {
    const std::size_t section_start = pos;
    const std::uint8_t id = wasm[pos++];
    const auto size = read_u32(wasm, pos);
    if (!size || *size > wasm.size() - pos) return same;
    const std::size_t payload_start = pos;
    pos += *size;
    if (id != 5) continue;
    std::uint32_t too_big = 0;
    auto payload = limit_section(wasm.subspan(payload_start, *size), max_pages, too_big);
    if (!payload) return same;
    if (too_big != 0) {
      return fail(ErrorKind::resource_limit,
                  fmt::format("module '{}': its memory needs {} pages ({} KiB) at start; the memory limit is {} "
                              "pages ({} KiB)",
                              module_name, too_big, std::uint64_t{too_big} * 64, max_pages,
                              std::uint64_t{max_pages} * 64));
    }
    std::vector<std::uint8_t> out(wasm.begin(), wasm.begin() + static_cast<std::ptrdiff_t>(section_start));
    out.push_back(id);
    write_u32(out, static_cast<std::uint32_t>(payload->size()));
    out.insert(out.end(), payload->begin(), payload->end());
    out.insert(out.end(), wasm.begin() + static_cast<std::ptrdiff_t>(pos), wasm.end());
    return out;
  }
  return same;
}

}  // namespace detail

void Engine::set_memory_limit(std::uint64_t bytes) noexcept { memory_limit_ = bytes; }

Result<std::unique_ptr<Module>> Engine::compile(std::span<const std::uint8_t> wasm,
                                                std::string_view name) {
  const auto t0 = Clock::now();
  if (binary_kind(wasm) == BinaryKind::component) return tl::unexpected(detail::component_not_module(name));
  std::vector<std::uint8_t> limited;
  if (memory_limit_ != 0 && info().caps.loads_wasm) {
    const auto pages = static_cast<std::uint32_t>(std::min<std::uint64_t>(memory_limit_ / 65536, 65536));
    auto rewritten = detail::limit_memory_pages(wasm, pages, name);
    if (!rewritten) return tl::unexpected(rewritten.error());
    limited = std::move(*rewritten);
    wasm = limited;
  }
  auto m = do_compile(wasm, name);
  if (!m) return m;
  if (info().caps.loads_wasm) {  // the engine validated the bytes: what they import, read once
    auto parsed = moduleinfo::read_module_info(wasm, name);
    if (!parsed) return tl::unexpected(parsed.error());
    (*m)->imports_ = std::move(parsed->imports);
  }
  set_compile_seconds(**m, seconds_since(t0));
  set_capabilities(**m, info().caps);
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
Error cannot_import(const std::string& module, const std::vector<ImportDesc>& imports) {
  const ImportDesc& first = imports.front();
  return Error{ErrorKind::engine_unavailable,
               fmt::format("module '{}' imports {}.{} (and {} more); this engine cannot provide imports "
                           "(its capabilities say host_functions = false)",
                           module, first.module, first.field, imports.size() - 1)};
}

// A host function failed while the start function ran.
Error start_failed(const std::string& module, Error host) {
  host.message = fmt::format("module '{}': during instantiation: {}", module, host.message);
  return host;
}
}  // namespace

std::span<const BoundImport> Module::bound_imports() const noexcept {
  if (instantiating_ == nullptr) return {};
  return instantiating_->bound;
}

std::optional<Error> Instance::take_host_failure() const noexcept {
  if (!host_ || !host_->failure) return std::nullopt;
  std::optional<Error> e = std::move(host_->failure);
  host_->failure.reset();
  return e;
}

Result<std::unique_ptr<Instance>> Module::instantiate(const InstanceOptions& options) {
  if (options.call_timeout.count() < 0) {
    return fail(ErrorKind::invalid_argument, fmt::format("module '{}': negative call timeout", name_));
  }
  if (options.call_timeout.count() > 0 && !interruptible_) return tl::unexpected(cannot_interrupt(name_));
  const auto t0 = Clock::now();
  auto host = detail::bind_imports(imports_, options.imports, name_);
  if (!host) return tl::unexpected(host.error());
  if (!imports_.empty() && !host_functions_) return tl::unexpected(cannot_import(name_, imports_));
  instantiate_timeout_ = options.call_timeout;
  instantiating_ = host->get();
  auto inst = do_instantiate();
  instantiate_timeout_ = {};
  instantiating_ = nullptr;
  if ((*host)->failure) return tl::unexpected(start_failed(name_, std::move(*(*host)->failure)));
  if (!inst) return inst;
  (*inst)->host_ = std::move(*host);
  (*inst)->module_name_ = name_;
  (*inst)->interruptible_ = interruptible_;
  (*inst)->trap_scope_ = trap_scope_;
  (*inst)->call_timeout_ = options.call_timeout;
  if (options.call_timeout.count() > 0) {
    if (auto st = (*inst)->apply_call_timeout(options.call_timeout); !st) return tl::unexpected(st.error());
  }
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
  if (auto st = apply_call_timeout(limit); !st) return st;
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
