// The parent side of `wasmhop bench`: which engines run (and why others are skipped), and each
// engine's run in a child process of its own (V8's tier is process-global; a crash or a hang of one
// engine must not take the others with it).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cli/bench/engine_row.hpp"
#include "cli/bench/settings.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::cli::bench {

// The rows to fill, in registry order: every engine of this build, or `requested` in its order.
// Engines that cannot run are rows already marked skipped, with the reason: not built here (as
// `wasmhop engines` says), or native without a native build of the module (X.native.so next to
// X.wasm). Errors: an id the registry does not know (invalid_argument naming the valid ids), or
// `wasmhop engines --json` failing.
[[nodiscard]] Result<std::vector<EngineRow>> plan_engines(const std::vector<std::string>& requested,
                                                          const std::filesystem::path& module, bool from_text);

// Runs `r` (its engine) in a child process (`wasmhop bench --child`), killed after `timeout_s`.
// Never fails: a crash, a timeout or unreadable output is the row's status and message.
[[nodiscard]] EngineRow run_engine(EngineRow row, const ChildRequest& r, double timeout_s);

}  // namespace wasmhop::cli::bench
