#include "cli/subprocess.hpp"

#include <fstream>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

extern char** environ;

namespace wasmhop::cli {

std::vector<std::string> command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> argv;
  std::string arg;
  while (std::getline(in, arg, '\0')) argv.push_back(arg);
  return argv;
}

std::string self_executable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("wasmhop") : p.string();
}

Result<ChildResult> run_child(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe(fds) != 0) return fail(ErrorKind::io_error, fmt::format("pipe: {}", std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return fail(ErrorKind::io_error, fmt::format("cannot start '{}': {}", argv[0], std::strerror(rc)));
  }
  ChildResult result;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) {
      result.out.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

Result<TimedChildResult> run_child_with_timeout(const std::vector<std::string>& argv,
                                                std::chrono::nanoseconds timeout,
                                                std::chrono::nanoseconds before_mark) {
  using Clock = std::chrono::steady_clock;
  int out[2], marks[2];
  if (pipe2(out, O_CLOEXEC) != 0) return fail(ErrorKind::io_error, fmt::format("pipe: {}", std::strerror(errno)));
  if (pipe2(marks, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return fail(ErrorKind::io_error, fmt::format("pipe: {}", std::strerror(errno)));
  }
  // The child's end must survive exec: a duplicate without O_CLOEXEC, numbered before the fork.
  const int child_marks = fcntl(marks[1], F_DUPFD, 3);
  std::vector<std::string> args_text = argv;
  for (auto& a : args_text) {
    if (a == "{mark-fd}") a = std::to_string(child_marks);
  }
  std::vector<char*> args;
  for (auto& a : args_text) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = child_marks < 0 ? -1 : fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(out[1], STDOUT_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  const int fork_errno = errno;
  close(out[1]);
  close(marks[1]);
  if (child_marks >= 0) close(child_marks);
  if (pid < 0) {
    close(out[0]);
    close(marks[0]);
    return fail(ErrorKind::io_error, fmt::format("cannot start '{}': {}", argv[0], std::strerror(fork_errno)));
  }

  TimedChildResult result;
  const auto started = Clock::now();
  Clock::time_point deadline = started + before_mark + timeout;
  bool marked = false;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {marks[0], POLLIN, 0}};
  int open_fds = 2;
  int status = 0;
  bool reaped = false;
  char buf[4096];
  while (!reaped) {
    const auto now = Clock::now();
    if (now >= deadline) {
      kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    if (open_fds == 0) {
      // Both pipes closed: the child has exited or closed them; poll its status until the deadline.
      const pid_t w = waitpid(pid, &status, WNOHANG);
      if (w == pid) {
        reaped = true;
        break;
      }
      usleep(1000);
      continue;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    const int n = poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (n < 0 && errno != EINTR) {
      kill(pid, SIGKILL);  // cannot watch it any more: it must not outlive its deadline
      break;
    }
    if (n <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        if (i == 0) {
          result.child.out.append(buf, static_cast<std::size_t>(got));
        } else {
          result.last_mark = buf[got - 1];
          if (!marked) {
            marked = true;
            deadline = Clock::now() + timeout;
          }
        }
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  if (!reaped) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  result.child.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace wasmhop::cli
