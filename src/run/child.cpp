#include "run/child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "run/program.hpp"
#include "run/spawn.hpp"
#include "run/stop.hpp"

namespace wasmhop::run {
namespace detail {

Result<pid_t> spawn(const std::vector<std::string>& argv, const SpawnOptions& o) {
  std::vector<char*> args;  // built before fork: the child only makes async-signal-safe calls
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return fail(ErrorKind::io_error, fmt::format("cannot start '{}': fork: {}", argv[0], std::strerror(errno)));
  if (pid == 0) {
    if (o.own_group) setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    if (o.null_stdin) {
      const int devnull = open("/dev/null", O_RDONLY);
      if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    }
    if (o.out_fd >= 0) dup2(o.out_fd, STDOUT_FILENO);
    if (o.err_fd >= 0) dup2(o.err_fd, STDERR_FILENO);
    execv(args[0], args.data());
    const char msg[] = "wasmhop: exec failed\n";
    [[maybe_unused]] auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
  }
  if (o.own_group) setpgid(pid, pid);  // also done by the child; whichever runs first
  return pid;
}

int decode_status(int status) noexcept {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int wait_exit(pid_t pid) noexcept {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return decode_status(status);
}

}  // namespace detail

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void sleep_for(std::chrono::milliseconds ms) {
  timespec ts{static_cast<time_t>(ms.count() / 1000), static_cast<long>((ms.count() % 1000) * 1000000)};
  nanosleep(&ts, nullptr);  // a signal ends the sleep early: fine
}

// SIGTERM to the child's group, SIGKILL after 3 s; reaps it.
void stop_child(pid_t pid, int& status, rusage& ru) {
  kill(-pid, SIGTERM);
  kill(pid, SIGTERM);
  const auto t_kill = Clock::now();
  for (;;) {
    if (wait4(pid, &status, WNOHANG, &ru) == pid) return;
    if (since(t_kill) > 3.0) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
      }
      return;
    }
    sleep_for(std::chrono::milliseconds(50));
  }
}

Result<int> open_log(const std::filesystem::path& log, int flags) {
  if (log.empty()) return -1;
  std::error_code ec;
  std::filesystem::create_directories(log.parent_path(), ec);
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
  if (fd < 0) return fail(ErrorKind::io_error, fmt::format("cannot open log '{}': {}", log.string(), std::strerror(errno)));
  return fd;
}

}  // namespace

Result<ChildOutcome> run_logged(const std::vector<std::string>& argv, const ChildOptions& options) {
  if (argv.empty()) return fail(ErrorKind::invalid_argument, "run_logged: empty command");
  if (access(argv[0].c_str(), X_OK) != 0) {
    return fail(ErrorKind::io_error, fmt::format("cannot run '{}': {}", argv[0], std::strerror(errno)));
  }
  auto log_fd = open_log(options.log, O_APPEND);
  if (!log_fd) return tl::unexpected(log_fd.error());
  const auto t0 = Clock::now();
  auto pid = detail::spawn(argv, {.out_fd = *log_fd, .err_fd = *log_fd});
  if (*log_fd >= 0) close(*log_fd);
  if (!pid) return tl::unexpected(pid.error());

  ChildOutcome out;
  out.timeout_s = std::chrono::duration<double>(options.timeout).count();
  int status = 0;
  rusage ru{};
  auto last_tick = Clock::now();
  for (;;) {
    const pid_t r = wait4(*pid, &status, WNOHANG, &ru);
    if (r == *pid) break;
    if (r < 0 && errno != EINTR) return fail(ErrorKind::io_error, fmt::format("waitpid: {}", std::strerror(errno)));
    const bool deadline = options.timeout.count() > 0 && Clock::now() - t0 >= options.timeout;
    if (stop_requested() != 0 || deadline) {
      (deadline && stop_requested() == 0 ? out.timed_out : out.stopped) = true;
      stop_child(*pid, status, ru);
      break;
    }
    if (options.on_tick && Clock::now() - last_tick >= options.tick) {
      last_tick = Clock::now();
      options.on_tick(since(t0));
    }
    sleep_for(std::chrono::milliseconds(std::min<long>(options.tick.count(), 100)));
  }
  out.exit_status = detail::decode_status(status);
  out.wall_s = since(t0);
  out.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  return out;
}

Status to_status(const ChildOutcome& o) {
  if (o.timed_out) return fail(ErrorKind::timeout, fmt::format("killed after its time limit of {:.0f} s", o.timeout_s));
  if (o.stopped) return fail(ErrorKind::interrupted, "stopped on request");
  if (o.exit_status == 0) return {};
  if (o.exit_status > 128) {
    const int sig = o.exit_status - 128;
    const char* name = strsignal(sig);
    return fail(ErrorKind::internal, fmt::format("killed by signal {} ({})", sig, name ? name : "?"));
  }
  return fail(ErrorKind::internal, fmt::format("exit status {}", o.exit_status));
}

std::vector<int> run_parallel(const std::vector<std::vector<std::string>>& commands,
                              const std::vector<std::filesystem::path>& logs, std::size_t at_once) {
  if (at_once == 0) at_once = usable_processors();
  std::vector<int> status(commands.size(), 127);
  std::vector<pid_t> pids(commands.size(), -1);
  std::size_t next = 0, running = 0;
  bool stopping = false;
  while (true) {
    // More processes than processors only share them, and each pays its start-up again.
    for (; !stopping && running < at_once && next < commands.size(); ++next) {
      const auto& cmd = commands[next];
      if (cmd.empty() || access(cmd[0].c_str(), X_OK) != 0) continue;
      auto fd = open_log(next < logs.size() ? logs[next] : std::filesystem::path(), O_TRUNC);
      auto pid = detail::spawn(cmd, {.out_fd = fd.value_or(-1), .err_fd = fd.value_or(-1)});
      if (fd && *fd >= 0) close(*fd);
      if (pid) {
        pids[next] = *pid;
        ++running;
      }
    }
    if (running == 0) break;
    for (std::size_t i = 0; i < pids.size(); ++i) {
      int st = 0;
      if (pids[i] > 0 && waitpid(pids[i], &st, WNOHANG) == pids[i]) {
        status[i] = detail::decode_status(st);
        pids[i] = -1;
        --running;
      }
    }
    if (!stopping && stop_requested() != 0) {
      stopping = true;
      for (pid_t p : pids) {
        if (p > 0) kill(-p, SIGTERM);
      }
    }
    if (running > 0) sleep_for(std::chrono::milliseconds(50));
  }
  return status;
}

}  // namespace wasmhop::run
