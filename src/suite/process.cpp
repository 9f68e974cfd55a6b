#include "suite/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace wasmhop::suite {
namespace {

std::atomic<int> g_stop{0};

extern "C" void on_stop_signal(int sig) { g_stop.store(sig); }

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void sleep_for(std::chrono::milliseconds ms) {
  timespec ts{static_cast<time_t>(ms.count() / 1000), static_cast<long>((ms.count() % 1000) * 1000000)};
  nanosleep(&ts, nullptr);  // a signal ends the sleep early: fine
}

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  return args;
}

// In the forked child: never returns.
[[noreturn]] void exec_child(const std::vector<char*>& args, int out_fd, int err_fd, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl
  const int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, STDIN_FILENO);
  if (out_fd >= 0) dup2(out_fd, STDOUT_FILENO);
  if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
  execv(args[0], args.data());
  const char msg[] = "wasmhop suite: exec failed\n";
  [[maybe_unused]] auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
  _exit(127);
}

int decode_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a waiting system call returns and the loop looks at the flag
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int stop_requested() noexcept { return g_stop.load(); }
const std::atomic<int>& stop_flag() noexcept { return g_stop; }
void clear_stop_request() noexcept { g_stop.store(0); }

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= p.size()) {
    const std::size_t colon = p.find(':', start);
    const std::string dir = p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    // (fmt, not string assignment: that trips a false GCC 12 -Wrestrict warning here)
    const std::string candidate = fmt::format("{}/{}", dir.empty() ? std::string_view(".") : std::string_view(dir), name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return {};
}

Result<ChildOutcome> run_logged(const std::vector<std::string>& argv, const ChildOptions& options) {
  if (argv.empty()) return fail(ErrorKind::invalid_argument, "run_logged: empty command");
  int log_fd = -1;
  if (!options.log.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.log.parent_path(), ec);
    log_fd = open(options.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      return fail(ErrorKind::io_error, fmt::format("cannot open log '{}': {}", options.log.string(), std::strerror(errno)));
    }
  }
  if (access(argv[0].c_str(), X_OK) != 0) {
    if (log_fd >= 0) close(log_fd);
    return fail(ErrorKind::io_error, fmt::format("cannot run '{}': {}", argv[0], std::strerror(errno)));
  }
  const auto args = c_argv(argv);
  const pid_t parent = getpid();
  const auto t0 = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    if (log_fd >= 0) close(log_fd);
    return fail(ErrorKind::io_error, fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) exec_child(args, log_fd, log_fd, parent);
  setpgid(pid, pid);  // also done by the child; whichever runs first
  if (log_fd >= 0) close(log_fd);

  ChildOutcome out;
  int status = 0;
  rusage ru{};
  auto last_tick = Clock::now();
  for (;;) {
    const pid_t r = wait4(pid, &status, WNOHANG, &ru);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return fail(ErrorKind::io_error, fmt::format("waitpid: {}", std::strerror(errno)));
    const bool deadline = options.timeout.count() > 0 && Clock::now() - t0 >= options.timeout;
    if ((stop_requested() != 0 || deadline) && !out.stopped && !out.timed_out) {
      (deadline && stop_requested() == 0 ? out.timed_out : out.stopped) = true;
      kill(-pid, SIGTERM);
      kill(pid, SIGTERM);
      const auto t_kill = Clock::now();
      for (;;) {
        const pid_t w = wait4(pid, &status, WNOHANG, &ru);
        if (w == pid) break;
        if (since(t_kill) > 3.0) {
          kill(-pid, SIGKILL);
          kill(pid, SIGKILL);
          while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
          }
          break;
        }
        sleep_for(std::chrono::milliseconds(50));
      }
      break;
    }
    if (options.on_tick && Clock::now() - last_tick >= options.tick) {
      last_tick = Clock::now();
      options.on_tick(since(t0));
    }
    sleep_for(std::chrono::milliseconds(std::min<long>(options.tick.count(), 100)));
  }
  out.exit_status = decode_status(status);
  out.wall_s = since(t0);
  out.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
              static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  return out;
}

Result<std::string> capture_output(const std::vector<std::string>& argv) {
  if (argv.empty()) return fail(ErrorKind::invalid_argument, "capture_output: empty command");
  const std::string program = find_program(argv[0]);
  if (program.empty() || access(program.c_str(), X_OK) != 0) {
    return fail(ErrorKind::io_error, fmt::format("'{}' not found", argv[0]));
  }
  std::vector<std::string> full = argv;
  full[0] = program;
  const auto args = c_argv(full);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return fail(ErrorKind::io_error, fmt::format("pipe: {}", std::strerror(errno)));
  const int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    if (devnull >= 0) close(devnull);
    return fail(ErrorKind::io_error, fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) exec_child(args, fds[1], devnull, parent);
  close(fds[1]);
  if (devnull >= 0) close(devnull);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) out.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const int code = decode_status(status);
  if (code != 0) return fail(ErrorKind::io_error, fmt::format("'{}' failed (exit status {})", shell_join(argv), code));
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_not_of(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%") == std::string::npos;
    if (plain) {
      out += a;
    } else {
      out += '\'';
      for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
}

}  // namespace wasmhop::suite

namespace wasmhop::suite {

std::vector<int> run_parallel(const std::vector<std::vector<std::string>>& commands,
                              const std::vector<std::filesystem::path>& logs) {
  std::vector<int> status(commands.size(), 127);
  std::vector<pid_t> pids(commands.size(), -1);
  const pid_t parent = getpid();
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].empty() || access(commands[i][0].c_str(), X_OK) != 0) continue;
    int fd = -1;
    if (i < logs.size() && !logs[i].empty()) {
      std::error_code ec;
      std::filesystem::create_directories(logs[i].parent_path(), ec);
      fd = open(logs[i].c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    std::vector<char*> args;
    for (const auto& a : commands[i]) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      const int devnull = open("/dev/null", O_RDONLY);
      if (devnull >= 0) dup2(devnull, STDIN_FILENO);
      if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
      }
      execv(args[0], args.data());
      _exit(127);
    }
    if (fd >= 0) close(fd);
    pids[i] = pid;
  }
  std::size_t left = 0;
  for (pid_t p : pids) left += p > 0;
  bool stopping = false;
  while (left > 0) {
    for (std::size_t i = 0; i < pids.size(); ++i) {
      if (pids[i] <= 0) continue;
      int st = 0;
      const pid_t r = waitpid(pids[i], &st, WNOHANG);
      if (r == pids[i]) {
        status[i] = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        pids[i] = -1;
        --left;
      }
    }
    if (!stopping && stop_requested() != 0) {
      stopping = true;
      for (pid_t p : pids) {
        if (p > 0) kill(-p, SIGTERM);
      }
    }
    if (left > 0) {
      timespec ts{0, 50'000'000};
      nanosleep(&ts, nullptr);
    }
  }
  return status;
}

}  // namespace wasmhop::suite
