#include "suite/json_files.hpp"

#include <fstream>

#include <fmt/format.h>

namespace wasmhop::suite {

namespace fs = std::filesystem;
using nlohmann::json;

Result<json> read_json_file(const fs::path& p) {
  std::ifstream in(p);
  if (!in) return fail(ErrorKind::io_error, fmt::format("cannot read '{}'", p.string()));
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    return fail(ErrorKind::invalid_argument, fmt::format("{}: {}", p.string(), e.what()));
  }
}

Status write_json_file(const fs::path& p, const json& j) {
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", tmp.string()));
    out << j.dump(2) << '\n';
    if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) return fail(ErrorKind::io_error, fmt::format("cannot rename '{}': {}", tmp.string(), ec.message()));
  return {};
}

}  // namespace wasmhop::suite
