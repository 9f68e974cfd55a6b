#include "engines/plugin/plugin_loader.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>

#include <fmt/format.h>

namespace wasmhop::plugin {
namespace fs = std::filesystem;

std::vector<fs::path> search_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("WASMHOP_ENGINE_DIR"); env != nullptr && *env != '\0') dirs.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(exe.parent_path().parent_path() / "lib" / "wasmhop" / "engines");
  for (const fs::path d : {WASMHOP_ENGINE_PLUGIN_BUILD_DIR, WASMHOP_ENGINE_PLUGIN_INSTALL_DIR}) {
    if (std::find(dirs.begin(), dirs.end(), d) == dirs.end()) dirs.push_back(d);
  }
  return dirs;
}

namespace {

// Why the build left this plugin out (cmake: wasmhop_engine_unavailable), when it said.
std::string recorded_reason(const std::vector<fs::path>& dirs, std::string_view stem) {
  for (const auto& d : dirs) {
    std::ifstream in(d / fmt::format("{}.unavailable", stem));
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) return line;
  }
  return {};
}

struct Loaded {
  void* handle = nullptr;
  std::string error;  // why it could not be loaded (remembered: dlopen is tried once)
};

}  // namespace

Result<void*> load_symbol(std::string_view file_stem, const char* entry, std::string_view id) {
  static std::mutex mu;
  static std::map<std::string, Loaded, std::less<>> loaded;  // never unloaded: engines keep code alive
  const std::lock_guard lock(mu);
  auto it = loaded.find(file_stem);
  if (it == loaded.end()) {
    Loaded l;
    const auto dirs = search_dirs();
    std::string tried;
    for (const auto& d : dirs) {
      const fs::path so = d / fmt::format("{}.so", file_stem);
      if (!fs::exists(so)) {
        tried += (tried.empty() ? "" : ", ") + d.string();
        continue;
      }
      l.handle = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (l.handle == nullptr) l.error = fmt::format("cannot load {}: {}", so.string(), dlerror());
      break;
    }
    if (l.handle == nullptr && l.error.empty()) {
      const std::string why = recorded_reason(dirs, file_stem);
      l.error = why.empty() ? fmt::format("{}.so not found (looked in {}; set WASMHOP_ENGINE_DIR)", file_stem, tried)
                            : fmt::format("not built here: {}", why);
    }
    it = loaded.emplace(std::string(file_stem), std::move(l)).first;
  }
  if (it->second.handle == nullptr) {
    return fail(ErrorKind::engine_unavailable, fmt::format("engine '{}': {}", id, it->second.error));
  }
  void* sym = dlsym(it->second.handle, entry);
  if (sym == nullptr) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("engine '{}': {}.so exports no {}", id, file_stem, entry));
  }
  return sym;
}

Result<const whp_plugin_v1*> load_engine_plugin(std::string_view plugin, std::string_view id) {
  auto sym = load_symbol(fmt::format("wasmhop-engine-{}", plugin), WHP_PLUGIN_ENTRY, id);
  if (!sym) return tl::unexpected(sym.error());
  const auto entry = reinterpret_cast<whp_plugin_entry_fn>(*sym);
  const whp_plugin_v1* table = entry();
  // A plugin built before the table grew (func_direct) reports the base size: still this ABI.
  if (table == nullptr || table->abi_version != WHP_ABI_VERSION || table->struct_size < WHP_PLUGIN_V1_BASE_SIZE) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("engine '{}': plugin {} speaks another plugin ABI (version {}, this wasmhop {}): "
                            "rebuild it",
                            id, plugin, table == nullptr ? 0 : table->abi_version, WHP_ABI_VERSION));
  }
  return table;
}

}  // namespace wasmhop::plugin
