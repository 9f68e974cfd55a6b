#include "suite/hosts.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "run/child.hpp"
#include "run/program.hpp"
#include "run/records.hpp"

namespace wasmhop::suite {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<json> query_json(const std::vector<std::string>& argv) {
  auto out = run::capture_output(argv);
  if (!out) return tl::unexpected(out.error());
  try {
    return json::parse(*out);
  } catch (const json::exception& e) {
    return fail(ErrorKind::invalid_argument, fmt::format("'{}' printed no JSON: {}", run::shell_join(argv), e.what()));
  }
}

std::vector<fs::path> candidate_binaries(const std::string& build, const fs::path& source_dir) {
  std::vector<fs::path> out;
  const fs::path self = run::self_executable();
  const fs::path build_dir = self.parent_path().parent_path();     // build/<preset>
  const fs::path builds_root = build_dir.parent_path();             // build/
  out.push_back(builds_root / build / "bin" / "wasmhop");
  // build/<prefix>release -> build/<prefix>debug (and back)
  std::string name = build_dir.filename().string();
  const std::string self_build = run::host_build();
  if (const auto pos = name.rfind(self_build); pos != std::string::npos) {
    name.replace(pos, self_build.size(), build);
    out.push_back(builds_root / name / "bin" / "wasmhop");
  }
  out.push_back(source_dir / "build" / build / "bin" / "wasmhop");
  return out;
}

Result<std::string> build_host(const std::string& build, const fs::path& source_dir, const fs::path& log, Output& out) {
  const std::string cmake = run::find_program("cmake");
  if (cmake.empty()) return fail(ErrorKind::engine_unavailable, "cmake not found: cannot build the missing host");
  out.say("building the {} host: cmake --preset {} && cmake --build --preset {} (in {}; log: {})\n", build, build,
          build, source_dir.string(), log.string());
  // cmake --preset must run in the source directory: go through sh -c 'cd ... && ...'.
  const std::string script = fmt::format("cd {} && {} --preset {} && {} --build --preset {}",
                                         run::shell_join({source_dir.string()}), run::shell_join({cmake}), build,
                                         run::shell_join({cmake}), build);
  run::ChildOptions co;
  co.log = log;
  co.tick = std::chrono::seconds(15);
  co.on_tick = [&](double el) { out.say("  ... still building the {} host ({})\n", build, hms(el)); };
  auto r = run::run_logged({"/bin/sh", "-c", script}, co);
  if (!r) return tl::unexpected(r.error());
  if (auto st = run::to_status(*r); !st) {
    return fail(st.error().kind, fmt::format("building the {} host failed: {} (see {})", build, st.error().message,
                                             log.string()));
  }
  const fs::path bin = source_dir / "build" / build / "bin" / "wasmhop";
  std::error_code ec;
  if (!fs::exists(bin, ec)) return fail(ErrorKind::io_error, fmt::format("the {} build produced no {}", build, bin.string()));
  return bin.string();
}

Result<std::string> find_host(const HostQuery& q, Output& out) {
  std::error_code ec;
  if (!q.explicit_path.empty()) {
    if (!fs::exists(q.explicit_path, ec)) {
      return fail(ErrorKind::invalid_argument, fmt::format("--{}-binary '{}' does not exist", q.build, q.explicit_path));
    }
    return fs::absolute(q.explicit_path, ec).string();
  }
  if (!q.stored_path.empty() && fs::exists(q.stored_path, ec)) return q.stored_path;
  if (q.build == run::host_build()) return run::self_executable();
  for (const auto& c : candidate_binaries(q.build, q.source_dir)) {
    if (fs::exists(c, ec)) return fs::weakly_canonical(c, ec).string();
  }
  if (!q.build_missing) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("no {} build of wasmhop found (build it with 'cmake --preset {} && cmake --build "
                            "--preset {}', pass --{}-binary, or leave out --no-build)",
                            q.build, q.build, q.build, q.build));
  }
  return build_host(q.build, q.source_dir, q.log_dir / fmt::format("build-{}.log", q.build), out);
}

}  // namespace

Result<HostBinary> locate_host(const HostQuery& q, Output& out) {
  if (q.build != "release" && q.build != "debug") {
    return fail(ErrorKind::invalid_argument, fmt::format("unknown host build '{}' (valid: release, debug)", q.build));
  }
  auto path = find_host(q, out);
  if (!path) return tl::unexpected(path.error());
  HostBinary h;
  h.build = q.build;
  h.path = *path;
  auto info = query_json({h.path, "suite", "--build-info"});
  if (!info) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("'{}' does not answer 'suite --build-info' (an older wasmhop? rebuild it): {}", h.path,
                            info.error().message));
  }
  if (info->value("host_build", std::string()) != q.build) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("'{}' is a {} build, not {}", h.path, info->value("host_build", std::string("?")), q.build));
  }
  h.info = *info;
  auto engines = query_json({h.path, "engines", "--json"});
  if (!engines) return tl::unexpected(engines.error());
  h.engines = *engines;
  return h;
}

}  // namespace wasmhop::suite
