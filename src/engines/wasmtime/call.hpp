// The call path: the function every call of a resolved export goes through (plugin_abi.h's
// whp_call_fn), one per arity up to 6 parameters and 2 results, a general one beyond.
#pragma once

#include <cstdint>

#include "engines/plugin/plugin_abi.h"

namespace wasmhop::wasmtime_plugin {

// The call function for an export with `nparams` parameters and `nresults` results; its context
// is the export's WtFunc (objects.hpp).
whp_call_fn pick_call(std::uint32_t nparams, std::uint32_t nresults);

}  // namespace wasmhop::wasmtime_plugin
