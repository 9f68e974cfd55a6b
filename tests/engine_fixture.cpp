#include "engine_fixture.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <unistd.h>

namespace wasmhop::testing {

std::vector<std::string> engines_under_test() {
  std::vector<std::string> ids;
  if (const char* env = std::getenv("WASMHOP_ENGINES"); env != nullptr && *env != '\0') {
    std::string s = env;
    std::size_t start = 0;
    while (start <= s.size()) {
      const std::size_t comma = s.find(',', start);
      const std::string id = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!id.empty()) ids.push_back(id);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return ids;
  }
  for (const auto& id : engine_ids()) {
    if (id != "v8-liftoff" && id != "v8-turbofan") ids.push_back(id);  // one V8 tier per process
  }
  return ids;
}

std::string engine_param_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

std::filesystem::path guest_path(const std::string& name) {
  return std::filesystem::path(WASMHOP_GUEST_DIR) / (name + ".wasm");
}

Imports host_calls_stubs() {
  Imports im;
  im.func("env", "add", [](std::int32_t a, std::int32_t b) { return a + b; });
  im.func("env", "mix", [](std::int32_t, std::int64_t, float, double) { return 0.0; });
  im.func("env", "wide", [](std::int64_t a) { return a; });
  im.func("env", "note", [](std::int32_t) {});
  im.func("env", "sum_memory", [](std::uint32_t, std::uint32_t) { return 0; });
  im.func("env", "fill_memory", [](std::uint32_t, std::uint32_t, std::int32_t) {});
  im.func("env", "checked", [](std::int32_t v) { return v; });
  return im;
}

bool left_out_by_build(const Error& e) {
  return e.kind == ErrorKind::engine_unavailable && e.message.find("not built here") != std::string::npos;
}

namespace {
// Engines live for the whole process (V8 can be initialised once per process).
std::map<std::string, std::unique_ptr<Engine>>& engine_cache() {
  static std::map<std::string, std::unique_ptr<Engine>> cache;
  return cache;
}
}  // namespace

void EngineTest::SetUp() {
  auto& cache = engine_cache();
  auto it = cache.find(GetParam());
  if (it == cache.end()) {
    auto e = create_engine(GetParam());
    // An engine the build left out on purpose (say, no cargo here) is skipped with the reason
    // the build recorded; any other failure to start is a failure.
    if (!e && left_out_by_build(e.error())) GTEST_SKIP() << e.error().message;
    ASSERT_TRUE(e.has_value()) << e.error().describe();
    it = cache.emplace(GetParam(), std::move(*e)).first;
  }
  engine_ = it->second.get();
}

std::unique_ptr<Module> EngineTest::load(const std::string& guest) {
  auto m = engine_->load(guest_path(guest));
  EXPECT_TRUE(m.has_value()) << (m ? "" : m.error().describe());
  return m ? std::move(*m) : nullptr;
}

std::unique_ptr<Instance> EngineTest::instantiate(const std::string& guest) {
  auto m = load(guest);
  if (!m) return nullptr;
  auto i = m->instantiate();
  EXPECT_TRUE(i.has_value()) << (i ? "" : i.error().describe());
  // The module may go away: instances keep what they need alive.
  return i ? std::move(*i) : nullptr;
}

Result<std::unique_ptr<Module>> EngineTest::load_bytes(const std::vector<std::uint8_t>& bytes) {
  static int counter = 0;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("wasmhop-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  for (const char* name : {"bad.wasm", "bad.native.so"}) {
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  auto m = engine_->load(dir / "bad.wasm");
  std::filesystem::remove_all(dir);
  return m;
}

}  // namespace wasmhop::testing
