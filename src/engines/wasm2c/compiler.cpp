#include "engines/wasm2c/compiler.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

extern char** environ;

namespace wasmhop::wasm2c {
namespace fs = std::filesystem;

namespace {

#ifndef WASMHOP_WASM2C_CC
#define WASMHOP_WASM2C_CC ""
#endif

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > start) words.emplace_back(s.substr(start, i - start));
  }
  return words;
}

bool is_executable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

// The absolute path of `program` (searched in PATH when it has no slash), or empty.
fs::path resolve_program(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return is_executable(program) ? fs::absolute(program) : fs::path();
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const std::size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    const fs::path candidate = fs::path(dir.empty() ? "." : std::string(dir)) / program;
    if (is_executable(candidate)) return candidate;
    if (colon == std::string_view::npos) return {};
    dirs.remove_prefix(colon + 1);
  }
}

struct RunResult {
  int status = -1;     // exit status, or -1 when it did not run / was killed
  std::string output;  // stdout + stderr
};

// Runs argv (no shell) in `dir`, capturing its output through a temporary file.
Result<RunResult> run(const std::vector<std::string>& argv, const fs::path& dir) {
  std::error_code ec;
  fs::path tmp_dir = dir.empty() ? fs::temp_directory_path(ec) : dir;
  if (ec) tmp_dir = "/tmp";
  std::string log_template = (tmp_dir / "wasmhop-cc-XXXXXX").string();
  const int log_fd = mkstemp(log_template.data());
  if (log_fd < 0) {
    return fail(ErrorKind::io_error, fmt::format("cannot create a log file in '{}': {}",
                                                 tmp_dir.string(), std::strerror(errno)));
  }
  unlink(log_template.c_str());  // the descriptor keeps it alive
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
  if (!dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  RunResult result;
  if (rc == 0) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    lseek(log_fd, 0, SEEK_SET);
    char buf[4096];
    ssize_t n;
    while ((n = read(log_fd, buf, sizeof buf)) > 0) result.output.append(buf, static_cast<std::size_t>(n));
  } else {
    result.output = fmt::format("cannot run '{}': {}", argv[0], std::strerror(rc));
  }
  close(log_fd);
  return result;
}

std::string first_lines(const std::string& text, int max_lines) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (n++ == max_lines) {
      out += "  ...\n";
      break;
    }
    out += "  " + line + "\n";
  }
  return out;
}

Result<CCompiler> probe(std::vector<std::string> command, std::string source) {
  const fs::path program = resolve_program(command.at(0));
  if (program.empty()) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("engine 'wasm2c': no C compiler: '{}' (from {}) is not an executable",
                            command[0], source));
  }
  command[0] = program.string();
  std::vector<std::string> argv = command;
  argv.emplace_back("--version");
  auto r = run(argv, {});
  if (!r) return tl::unexpected(r.error());
  if (r->status != 0) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("engine 'wasm2c': the C compiler '{}' (from {}) does not run: {}",
                            fmt::join(command, " "), source, first_lines(r->output, 3)));
  }
  CCompiler cc;
  cc.command = std::move(command);
  cc.source = std::move(source);
  cc.version_line = r->output.substr(0, r->output.find('\n'));
  cc.identity = fmt::format("{}\n{}", fmt::join(cc.command, " "), r->output);
  return cc;
}

}  // namespace

Result<CCompiler> find_c_compiler() {
  if (const char* env = std::getenv("CC"); env != nullptr && *env != '\0') {
    auto words = split_words(env);
    if (!words.empty()) return probe(std::move(words), "$CC");
  }
  if (auto words = split_words(WASMHOP_WASM2C_CC); !words.empty()) {
    auto cc = probe(std::move(words), "WASMHOP_WASM2C_CC, recorded at build time");
    if (cc) return cc;
  }
  for (const char* name : {"cc", "gcc", "clang"}) {
    if (auto cc = probe({name}, "PATH"); cc) return cc;
  }
  return fail(ErrorKind::engine_unavailable,
              "engine 'wasm2c': no C compiler found (tried $CC, the build's compiler " WASMHOP_WASM2C_CC
              ", and cc, gcc, clang in PATH); install one or set CC");
}

const std::vector<std::string>& c_flags() {
  static const std::vector<std::string> flags = {
      "-O2", "-fPIC", "-shared", "-fvisibility=hidden", "-fno-semantic-interposition",
      "-fno-optimize-sibling-calls", "-fstack-clash-protection",
      // Traps under a TrapScope unwind the generated code with its unwind tables: exact at every
      // instruction, since a fault can stop it anywhere (the default on x86-64; said, not assumed).
      "-fasynchronous-unwind-tables", "-w", "-Wl,-z,defs"};
  return flags;
}

std::string c_flags_text() { return fmt::format("{} -lm", fmt::join(c_flags(), " ")); }

Status compile_shared_object(const CCompiler& cc, const fs::path& dir, const fs::path& source,
                             const fs::path& out, std::string_view module_name) {
  std::vector<std::string> argv = cc.command;
  argv.insert(argv.end(), c_flags().begin(), c_flags().end());
  argv.emplace_back("-o");
  argv.push_back(out.string());
  argv.push_back(source.string());
  argv.emplace_back("-lm");
  auto r = run(argv, dir);
  if (!r) return tl::unexpected(r.error());
  if (r->status != 0) {
    return fail(ErrorKind::internal,
                fmt::format("module '{}': the C compiler failed on wasm2c's output ({}):\n{}",
                            module_name, fmt::join(argv, " "), first_lines(r->output, 20)));
  }
  return {};
}

}  // namespace wasmhop::wasm2c
