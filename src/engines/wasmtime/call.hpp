// The call path: the function every call of a resolved export goes through (plugin_abi.h's
// whp_call_fn), one per arity up to 6 parameters and 2 results, a general one beyond; and the
// direct entries up to 4 parameters and 1 result.
#pragma once

#include <cstdint>

#include "engines/plugin/plugin_abi.h"

namespace wasmhop::wasmtime_plugin {

// The call function for an export with `nparams` parameters and `nresults` results; its context
// is the export's WtFunc (objects.hpp).
whp_call_fn pick_call(std::uint32_t nparams, std::uint32_t nresults);

// The direct entry (plugin_abi.h) for an export of this type, same context; nullptr past
// WHP_DIRECT_MAX_PARAMS parameters or one result.
whp_direct_fn pick_direct(const whp_functype& type);

}  // namespace wasmhop::wasmtime_plugin
