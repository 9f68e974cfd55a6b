// Host functions (plugin_abi.h's whp_import) as Wasmtime functions in an instance's store.
#pragma once

#include <wasmtime.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engines/plugin/plugin_abi.h"
#include "engines/wasmtime/objects.hpp"

namespace wasmhop::wasmtime_plugin {

// One host function per import, in inst's store, appended to `externs` in import order (what
// wasmtime_instance_new takes). False with `why` naming the import when one cannot be made.
[[nodiscard]] bool define_host_functions(WtInstance& inst, const whp_import* imports, std::uint32_t n,
                                         std::vector<wasmtime_extern_t>& externs, std::string& why);

}  // namespace wasmhop::wasmtime_plugin
