// An instance's bound imports: the host functions its engine calls, and the error of the one
// that failed, kept until the trapped guest call reports it.
#pragma once

#include <optional>
#include <vector>

#include "wasmhop/engine.hpp"
#include "wasmhop/host.hpp"

namespace wasmhop::detail {

struct HostState;

// The ctx of one BoundImport.
struct HostBinding {
  HostFunc fn;
  HostState* state = nullptr;
  std::size_t import = 0;  // index into HostState::descs
};

struct HostState {
  std::vector<ImportDesc> descs;      // the module's imports (the instance may outlive the Module)
  std::vector<HostBinding> bindings;  // one per function import; stable once built
  std::vector<BoundImport> bound;     // what the engine is given
  std::optional<Error> failure;       // set by a failing host function, taken by the trapped call
};

// Binds every function import of `module_imports` to its function in `imports`: a missing one
// (instantiation_failed), a mistyped one (signature_mismatch) or a non-function import
// (instantiation_failed) is an error naming module, field and type.
[[nodiscard]] Result<std::shared_ptr<HostState>> bind_imports(const std::vector<ImportDesc>& module_imports,
                                                              const Imports& imports, std::string_view module_name);

}  // namespace wasmhop::detail
