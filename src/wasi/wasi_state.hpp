// What the WASI host functions share: the output sink and the exit status.
#pragma once

#include <optional>

#include "wasmhop/wasi.hpp"

namespace wasmhop::wasi {

struct Context::State {
  OutputSink output;
  std::optional<int> exit_code;
};

// WASI errno values (wasi_snapshot_preview1) the functions return.
enum Errno : std::int32_t { kSuccess = 0, kBadf = 8, kInval = 28, kNosys = 52, kSpipe = 70 };

// Adds the functions this WASI implements to `imports` (all of them; the caller keeps those the
// module imports).
void add_implemented(Imports& imports, const std::shared_ptr<Context::State>& state);

}  // namespace wasmhop::wasi
