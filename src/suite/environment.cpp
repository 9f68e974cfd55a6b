#include "suite/environment.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "run/jsonl.hpp"
#include "run/child.hpp"
#include "run/program.hpp"

namespace wasmhop::suite {
namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  const auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string first_line(const std::string& s) { return trim(s.substr(0, s.find('\n'))); }

// "key: value" of the first line starting with key in a /proc-style file.
std::string proc_field(const char* file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return trim(line.substr(colon + 1));
    }
  }
  return {};
}

nlohmann::json tool_version(const std::vector<std::string>& argv) {
  auto out = run::capture_output(argv);
  if (!out) return nlohmann::json{{"command", run::shell_join(argv)}, {"error", out.error().message}};
  return first_line(*out);
}

std::string os_release() {
  std::ifstream in("/etc/os-release");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("PRETTY_NAME=", 0) == 0) {
      std::string v = line.substr(12);
      if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  }
  return {};
}

}  // namespace

std::string cpu_model() { return proc_field("/proc/cpuinfo", "model name"); }

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a.empty() ? std::string() : a + " " + b + " " + c;
}

std::string git_revision(const std::filesystem::path& source_dir) {
  auto rev = run::capture_output({"git", "-C", source_dir.string(), "rev-parse", "HEAD"});
  return rev ? trim(*rev) : std::string();
}

nlohmann::json collect_environment(const std::vector<HostBinary>& hosts, const std::vector<std::string>& argv,
                                   const std::filesystem::path& source_dir) {
  nlohmann::json env;
  env["recorded_at"] = run::utc_timestamp_now();
  utsname u{};
  uname(&u);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  env["machine"] = {{"cpu_model", cpu_model()},
                    {"cores_online", run::usable_processors()},
                    {"cores_configured", sysconf(_SC_NPROCESSORS_CONF)},
                    {"cpu_mhz", proc_field("/proc/cpuinfo", "cpu MHz")},
                    {"memory", proc_field("/proc/meminfo", "MemTotal")},
                    {"load_average_at_start", load_average()},
                    {"hostname", host}};
  env["os"] = {{"name", os_release()}, {"kernel", std::string(u.sysname) + " " + u.release},
               {"arch", u.machine}};
  nlohmann::json builds = nlohmann::json::object();
  for (const auto& h : hosts) {
    builds[h.build] = {{"binary", h.path}, {"build_info", h.info}, {"engines", h.engines}};
  }
  env["host_builds"] = builds;
  std::string wasm2c_cc = "cc";
  if (!hosts.empty()) wasm2c_cc = hosts.front().info.value("wasm2c_cc", std::string("cc"));
  env["toolchain"] = {{"c++", tool_version({"c++", "--version"})},
                      {"guest clang", tool_version({"clang", "--version"})},
                      {"wasm2c cc", tool_version({wasm2c_cc, "--version"})},
                      {"cmake", tool_version({"cmake", "--version"})},
                      {"python3", tool_version({"/usr/bin/python3", "--version"})},
                      {"matplotlib", tool_version({"/usr/bin/python3", "-c",
                                                   "import matplotlib; print(matplotlib.__version__)"})}};
  const std::string rev = git_revision(source_dir);
  auto status = run::capture_output({"git", "-C", source_dir.string(), "status", "--porcelain", "--untracked-files=no"});
  std::size_t dirty = 0;
  if (status) {
    std::istringstream in(*status);
    std::string line;
    while (std::getline(in, line)) dirty += !trim(line).empty();
  }
  auto branch = run::capture_output({"git", "-C", source_dir.string(), "rev-parse", "--abbrev-ref", "HEAD"});
  env["source"] = {{"dir", source_dir.string()},
                   {"git_revision", rev.empty() ? nlohmann::json() : nlohmann::json(rev)},
                   {"git_branch", branch ? trim(*branch) : std::string()},
                   {"modified_tracked_files", status ? nlohmann::json(dirty) : nlohmann::json()}};
  char cwd[4096] = {};
  env["command_line"] = {{"argv", argv}, {"cwd", getcwd(cwd, sizeof cwd - 1) ? cwd : ""},
                         {"shell", run::shell_join(argv)}};
  return env;
}

}  // namespace wasmhop::suite
