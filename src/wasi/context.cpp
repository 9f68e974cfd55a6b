// Context: the WASI functions a module imports, the implemented ones and, for the rest, one that
// fails when called, naming it.
#include <fmt/format.h>

#include "wasi/wasi_state.hpp"

namespace wasmhop::wasi {
namespace {

// A WASI function this WASI lacks, of the type the module declares: fails when called.
Status not_provided(void* ctx, Caller&, RawVal*) {
  const auto& name = *static_cast<const std::string*>(ctx);
  return fail(ErrorKind::engine_unavailable,
              fmt::format("the module called {}.{}, which wasmhop's minimal WASI does not provide (it has fd_write "
                          "to stdout/stderr, clock_time_get, random_get, proc_exit, empty args and environ)",
                          kModule, name));
}

}  // namespace

Context::Context(OutputSink output) : state_(std::make_shared<State>()) { state_->output = std::move(output); }

bool Context::needed_by(const Module& module) noexcept {
  for (const ImportDesc& d : module.imports()) {
    if (d.module == kModule) return true;
  }
  return false;
}

Imports Context::imports_for(const Module& module) const {
  Imports all;
  add_implemented(all, state_);
  Imports out;
  for (const ImportDesc& d : module.imports()) {
    if (d.module != kModule || d.kind != ExportKind::function) continue;
    if (const HostFunc* f = all.find(d.module, d.field)) {
      out.add(f->module, f->field, f->type, f->call, f->ctx);
    } else {
      out.add(d.module, d.field, d.type, &not_provided, std::make_shared<std::string>(d.field));
    }
  }
  return out;
}

std::optional<int> Context::exit_code() const noexcept { return state_->exit_code; }

}  // namespace wasmhop::wasi
