// Children whose stdout wasmhop reads: helper commands, `engines --json`, and the timed children of
// `run` and `bench` (child.hpp).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "run/child.hpp"
#include "run/program.hpp"
#include "run/spawn.hpp"

namespace wasmhop::run {
namespace {

Result<std::array<int, 2>> make_pipe() {
  std::array<int, 2> fds{};
  if (pipe2(fds.data(), O_CLOEXEC) != 0) return fail(ErrorKind::io_error, fmt::format("pipe: {}", std::strerror(errno)));
  return fds;
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  return out;
}

// Runs argv with stdout into a pipe (stderr to err_fd, -1: ours); returns what it wrote and its status.
Result<ChildResult> capture(const std::vector<std::string>& argv, int err_fd, bool null_stdin) {
  auto fds = make_pipe();
  if (!fds) return tl::unexpected(fds.error());
  auto pid = detail::spawn(argv, {.out_fd = (*fds)[1], .err_fd = err_fd, .null_stdin = null_stdin, .own_group = false});
  close((*fds)[1]);
  if (!pid) {
    close((*fds)[0]);
    return tl::unexpected(pid.error());
  }
  ChildResult result;
  result.out = read_all((*fds)[0]);
  close((*fds)[0]);
  result.exit_status = detail::wait_exit(*pid);
  return result;
}

}  // namespace

Result<ChildResult> run_child(const std::vector<std::string>& argv) {
  if (argv.empty()) return fail(ErrorKind::invalid_argument, "run_child: empty command");
  if (access(argv[0].c_str(), X_OK) != 0) {
    return fail(ErrorKind::io_error, fmt::format("cannot start '{}': {}", argv[0], std::strerror(errno)));
  }
  return capture(argv, -1, false);
}

Result<std::string> capture_output(const std::vector<std::string>& argv) {
  if (argv.empty()) return fail(ErrorKind::invalid_argument, "capture_output: empty command");
  const std::string program = find_program(argv[0]);
  if (program.empty() || access(program.c_str(), X_OK) != 0) {
    return fail(ErrorKind::io_error, fmt::format("'{}' not found", argv[0]));
  }
  std::vector<std::string> full = argv;
  full[0] = program;
  const int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  auto r = capture(full, devnull, true);
  if (devnull >= 0) close(devnull);
  if (!r) return tl::unexpected(r.error());
  if (r->exit_status != 0) {
    return fail(ErrorKind::io_error, fmt::format("'{}' failed (exit status {})", shell_join(argv), r->exit_status));
  }
  return std::move(r->out);
}

namespace {

// Reads the child's stdout and marks until both close or the deadline (which the first mark resets
// to `timeout` from then) passes; kills the child at the deadline. Returns whether it was reaped.
bool watch_marks(pid_t pid, int out_fd, int marks_fd, std::chrono::nanoseconds timeout,
                 std::chrono::nanoseconds before_mark, TimedChildResult& result, int& status) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point deadline = Clock::now() + before_mark + timeout;
  bool marked = false;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {marks_fd, POLLIN, 0}};
  int open_fds = 2;
  char buf[4096];
  for (;;) {
    const auto now = Clock::now();
    if (now >= deadline) {
      kill(pid, SIGKILL);
      result.timed_out = true;
      return false;
    }
    if (open_fds == 0) {
      // Both pipes closed: the child has exited or closed them; poll its status until the deadline.
      if (waitpid(pid, &status, WNOHANG) == pid) return true;
      usleep(1000);
      continue;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    const int n = poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (n < 0 && errno != EINTR) {
      kill(pid, SIGKILL);  // cannot watch it any more: it must not outlive its deadline
      return false;
    }
    for (int i = 0; n > 0 && i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0 && i == 0) {
        result.child.out.append(buf, static_cast<std::size_t>(got));
      } else if (got > 0) {
        result.last_mark = buf[got - 1];
        if (!marked) deadline = Clock::now() + timeout;
        marked = true;
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;  // the caller closes the descriptors
        --open_fds;
      }
    }
  }
}

}  // namespace

Result<TimedChildResult> run_child_with_timeout(const std::vector<std::string>& argv,
                                                std::chrono::nanoseconds timeout,
                                                std::chrono::nanoseconds before_mark) {
  auto out = make_pipe();
  if (!out) return tl::unexpected(out.error());
  auto marks = make_pipe();
  if (!marks) {
    close((*out)[0]);
    close((*out)[1]);
    return tl::unexpected(marks.error());
  }
  // The child's end must survive exec: a duplicate without O_CLOEXEC, numbered before the fork.
  const int child_marks = fcntl((*marks)[1], F_DUPFD, 3);
  std::vector<std::string> args = argv;
  for (auto& a : args) {
    if (a == "{mark-fd}") a = std::to_string(child_marks);
  }
  Result<pid_t> pid = child_marks < 0 ? fail(ErrorKind::io_error, fmt::format("cannot start '{}': dup: {}", argv[0],
                                                                               std::strerror(errno)))
                                      : detail::spawn(args, {.out_fd = (*out)[1], .null_stdin = false, .own_group = false});
  close((*out)[1]);
  close((*marks)[1]);
  if (child_marks >= 0) close(child_marks);
  TimedChildResult result;
  int status = 0;
  const bool reaped = pid && watch_marks(*pid, (*out)[0], (*marks)[0], timeout, before_mark, result, status);
  close((*out)[0]);
  close((*marks)[0]);
  if (!pid) return tl::unexpected(pid.error());
  result.child.exit_status = reaped ? detail::decode_status(status) : detail::wait_exit(*pid);
  return result;
}

}  // namespace wasmhop::run
