// (internal to src/run) fork + exec with the descriptors and process group a caller asks for.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::run::detail {

struct SpawnOptions {
  int out_fd = -1;          // the child's stdout (-1: ours)
  int err_fd = -1;          // the child's stderr (-1: ours)
  bool null_stdin = true;   // stdin from /dev/null (else ours: `wasmhop run` may read it)
  bool own_group = true;    // a process group of its own (a terminal's Ctrl-C reaches only us)
};

// Starts argv[0] (a path). The child dies with this process (PR_SET_PDEATHSIG); an exec failure
// exits it with status 127. Errors: fork failed.
[[nodiscard]] Result<pid_t> spawn(const std::vector<std::string>& argv, const SpawnOptions& options);

// Exit code, or 128 + signal number, of a wait status.
[[nodiscard]] int decode_status(int status) noexcept;

// waitpid, retried on EINTR; returns the decoded status.
[[nodiscard]] int wait_exit(pid_t pid) noexcept;

}  // namespace wasmhop::run::detail
