// Host functions: the Imports set, binding a module's imports to it, and the one function every
// engine calls for a bound import (it turns a failing or throwing host function into a flag the
// engine raises as a trap, and keeps the error for the guest call's caller).
#include <exception>

#include <fmt/format.h>

#include "core/host_state.hpp"

namespace wasmhop {

Imports& Imports::add(std::string module, std::string field, FuncType type, HostCallFn call,
                      std::shared_ptr<void> ctx) {
  HostFunc f{std::move(module), std::move(field), std::move(type), call, std::move(ctx)};
  for (auto& existing : funcs_) {
    if (existing.module == f.module && existing.field == f.field) {
      existing = std::move(f);
      return *this;
    }
  }
  funcs_.push_back(std::move(f));
  return *this;
}

Imports& Imports::merge(const Imports& other) {
  for (const auto& f : other.funcs_) add(f.module, f.field, f.type, f.call, f.ctx);
  return *this;
}

const HostFunc* Imports::find(std::string_view module, std::string_view field) const noexcept {
  for (const auto& f : funcs_) {
    if (f.module == module && f.field == field) return &f;
  }
  return nullptr;
}

namespace detail {
namespace {

const char* kind_name(ExportKind k) {
  switch (k) {
    case ExportKind::function: return "function";
    case ExportKind::memory: return "memory";
    case ExportKind::table: return "table";
    case ExportKind::global: return "global";
    case ExportKind::other: break;
  }
  return "tag or other item";
}

// A host function failed: keeps its error, named, for the guest call's caller. Out of line: the
// call path of a host function that succeeds stays free of Error objects.
[[gnu::cold, gnu::noinline]] std::uint8_t host_failed(HostBinding* b, Error err) noexcept {
  const ImportDesc& d = b->state->descs[b->import];
  err.message = fmt::format("host function {}.{} failed: {}", d.module, d.field, err.message);
  err.trap = TrapKind::host_error;
  if (!b->state->failure) b->state->failure = std::move(err);  // the first failure is the cause
  return 1;
}

std::uint8_t call_bound(void* ctx, const CallerView* view, RawVal* io) noexcept {
  auto* b = static_cast<HostBinding*>(ctx);
  try {
    Caller caller(*view);
    auto st = b->fn.call(b->fn.ctx.get(), caller, io);
    if (st) [[likely]] return 0;
    return host_failed(b, std::move(st.error()));
  } catch (const std::exception& e) {
    return host_failed(b, Error{ErrorKind::internal, fmt::format("threw {}", e.what())});
  } catch (...) {
    return host_failed(b, Error{ErrorKind::internal, "threw an exception that is not a std::exception"});
  }
}

}  // namespace

Result<std::shared_ptr<HostState>> bind_imports(const std::vector<ImportDesc>& module_imports, const Imports& imports,
                                                std::string_view module_name) {
  auto state = std::make_shared<HostState>();
  state->descs = module_imports;
  for (std::size_t i = 0; i < state->descs.size(); ++i) {
    const ImportDesc& d = state->descs[i];
    if (d.kind != ExportKind::function) {
      return fail(ErrorKind::instantiation_failed,
                  fmt::format("module '{}' imports {} {}.{}; wasmhop provides only functions", module_name,
                              kind_name(d.kind), d.module, d.field));
    }
    if (!d.unsupported.empty()) {
      return fail(ErrorKind::signature_mismatch,
                  fmt::format("module '{}' imports function {}.{} with {}, which wasmhop cannot pass",
                              module_name, d.module, d.field, d.unsupported));
    }
    const HostFunc* f = imports.find(d.module, d.field);
    if (f == nullptr) {
      return fail(ErrorKind::instantiation_failed,
                  fmt::format("module '{}' imports function {}.{} of type {}, which the host does not provide",
                              module_name, d.module, d.field, d.type.to_string()));
    }
    if (f->type != d.type) {
      return fail(ErrorKind::signature_mismatch,
                  fmt::format("module '{}' imports function {}.{} of type {}; the host's has type {}", module_name,
                              d.module, d.field, d.type.to_string(), f->type.to_string()));
    }
    state->bindings.push_back(HostBinding{*f, state.get(), i});
  }
  for (auto& b : state->bindings) state->bound.push_back(BoundImport{&state->descs[b.import], &call_bound, &b});
  return state;
}

}  // namespace detail
}  // namespace wasmhop
