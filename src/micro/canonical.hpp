// The component model's canonical ABI beside Table 1 and the payload sweep (micro.component.wasm,
// world `micro` of guest/component/wasmhop.wit): the same work, the data declared in WIT and
// lifted/lowered by the engine. Records use Table 1's and the payload sweep's schema, with
// abi "canonical", so the summary, report and plots place them beside the hand-rolled ABIs.
#pragma once

#include "micro/runner.hpp"
#include "wasmhop/engine.hpp"

namespace wasmhop::micro {

// Configurations 20 (two scalars) and 21 (a record), Table 1's replications and calls; and the
// payload sweep's sizes as config "payload-canonical". engine_unavailable with the reason on an
// engine without Capabilities::component (the caller reports the skip).
[[nodiscard]] Status run_canonical(Engine& engine, const MicroOptions& o, const RecordSink& sink,
                                   const ProgressFn& progress);

// Why an engine cannot run the canonical configurations ("" when it can).
[[nodiscard]] std::string canonical_skip_reason(const EngineInfo& info);

}  // namespace wasmhop::micro
