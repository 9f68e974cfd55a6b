// A minimal WASI (wasi_snapshot_preview1) for modules built by ordinary toolchains
// (clang --target=wasm32-wasi): enough for a C program with a `main` that prints, reads the clock
// and asks for random bytes. Host functions only (include/wasmhop/host.hpp): it runs on every
// engine that has them.
//
// Provided:      fd_write to fd 1 and 2 (the output sink), clock_time_get (realtime, monotonic,
//                process and thread CPU time), random_get, proc_exit, args_* and environ_* (both
//                empty), and what wasi-libc's stdio needs of fd 0-2: fd_fdstat_get (a character
//                device), fd_seek (not seekable), fd_close.
// Anything else: the module still instantiates; the call fails when the guest makes it, with an
//                error naming the WASI function (no file system, sockets, polling or threads).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "wasmhop/engine.hpp"
#include "wasmhop/host.hpp"

namespace wasmhop::wasi {

inline constexpr std::string_view kModule = "wasi_snapshot_preview1";

// Where fd 1 (stdout) and fd 2 (stderr) go. Default: the host process's own stdout / stderr.
using OutputSink = std::function<void(int fd, std::string_view bytes)>;

class Context {
 public:
  explicit Context(OutputSink output = {});

  // The WASI functions `module` imports, ready for InstanceOptions::imports (merge them with
  // the host's own). Those of the module that this WASI lacks fail when called, naming the call.
  [[nodiscard]] Imports imports_for(const Module& module) const;

  // True when the module imports anything from wasi_snapshot_preview1.
  [[nodiscard]] static bool needed_by(const Module& module) noexcept;

  // The status the guest passed to proc_exit, once it has; the call that exited then failed with
  // an error saying so (proc_exit does not return).
  [[nodiscard]] std::optional<int> exit_code() const noexcept;

  struct State;

 private:
  std::shared_ptr<State> state_;  // shared with the host functions (they may outlive this object)
};

}  // namespace wasmhop::wasi
