// The exit status of `run` and `bench` for each kind of failure, so that scripts can tell bad
// input apart from a guest that trapped (README "Exit status" lists them).
#pragma once

#include "wasmhop/result.hpp"

namespace wasmhop::cli {

enum ExitStatus : int {
  kExitOk = 0,
  kExitOther = 1,            // I/O, resource limits, internal errors
  kExitUsage = 2,            // wrong number or type of ARGS, bad option values
  kExitEngine = 3,           // unknown engine, or the engine cannot run this here
  kExitNotAModule = 4,       // the file is not a valid module
  kExitMissingExport = 5,    // no such export, or not of a callable type
  kExitInstantiation = 6,    // an import the host does not satisfy, a start function that failed
  kExitTrap = 7,             // the guest trapped (or a host function it called failed)
  kExitTimeout = 8,          // the guest ran past --timeout
  kExitMismatch = 9,         // bench: engines returned different results
};

[[nodiscard]] inline int exit_status_for(const Error& e) noexcept {
  switch (e.kind) {
    case ErrorKind::invalid_argument: return kExitUsage;
    case ErrorKind::engine_unavailable: return kExitEngine;
    case ErrorKind::malformed_module: return kExitNotAModule;
    case ErrorKind::missing_export:
    case ErrorKind::signature_mismatch: return kExitMissingExport;
    case ErrorKind::instantiation_failed: return kExitInstantiation;
    case ErrorKind::trap: return kExitTrap;
    case ErrorKind::timeout: return kExitTimeout;
    default: return e.trap != TrapKind::none ? kExitTrap : kExitOther;
  }
}

}  // namespace wasmhop::cli
