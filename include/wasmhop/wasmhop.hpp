// Everything a host needs: engines, modules, instances, typed handles, guest memory.
#pragma once

#include "wasmhop/engine.hpp"
#include "wasmhop/func.hpp"
#include "wasmhop/guest_memory.hpp"
#include "wasmhop/registry.hpp"
#include "wasmhop/result.hpp"
#include "wasmhop/values.hpp"
