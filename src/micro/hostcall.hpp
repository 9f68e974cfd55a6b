// The guest-to-host hop (guest/micro/hostcall.cpp): one guest call runs N calls of a host
// function, with scalar arguments ("host-pair") or a buffer in the caller's memory that the host
// reads ("host-buffer", several sizes); every result is checked. Records: experiment "hostcall";
// host-pair has Table 1's replications, the buffer sizes a sweep's.
#pragma once

#include "micro/runner.hpp"
#include "wasmhop/engine.hpp"

namespace wasmhop::micro {

// Buffer sizes of the host-buffer configuration.
inline constexpr std::uint32_t kHostBufferSizes[] = {16, 1024, 16384};

[[nodiscard]] Status run_hostcall_sweep(Engine& engine, const MicroOptions& o, const RecordSink& sink,
                                        const ProgressFn& progress);

}  // namespace wasmhop::micro
