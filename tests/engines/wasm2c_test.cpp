// wasm2c engine specifics: the object cache (hits, directory override, corrupt entries,
// concurrent builders). The glue's corners and other threads: wasm2c_glue_test.cpp.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "engines/wasm2c/wasm2c_engine.hpp"
#include "wasm2c_test_util.hpp"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::testing {
namespace {

TEST(Wasm2c, EngineInfo) {
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  const EngineInfo& info = engine->info();
  EXPECT_EQ(info.id, "wasm2c");
  EXPECT_EQ(info.tier, "aot");
  EXPECT_TRUE(info.caps.aot);
  EXPECT_TRUE(info.caps.traps_recoverable);
  EXPECT_TRUE(info.caps.sandboxed);
  EXPECT_TRUE(info.caps.any_thread);  // per-instance state
  EXPECT_FALSE(info.caps.jit);
  EXPECT_NE(info.version.find("wabt 1.0."), std::string::npos) << info.version;
  EXPECT_NE(info.version.find("C compiler"), std::string::npos) << info.version;
  EXPECT_NE(info.description.find("-O2"), std::string::npos) << info.description;
}

TEST(Wasm2c, SecondLoadIsACacheHitAndFaster) {
  TempDir dir;
  ScopedEnv env("WASMHOP_CACHE_DIR", dir.path().c_str());
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  const auto bytes = conformance_bytes();

  auto cold = engine->compile(bytes, "conformance");
  ASSERT_TRUE(cold) << cold.error().describe();
  const wasm2c::ModuleInfo* ci = wasm2c::module_info(**cold);
  ASSERT_NE(ci, nullptr);
  EXPECT_FALSE(ci->cache_hit);
  EXPECT_GT(ci->translate_seconds, 0.0);
  EXPECT_GT(ci->cc_seconds, 0.0);
  EXPECT_EQ(ci->object.parent_path(), dir.path());
  EXPECT_TRUE(fs::exists(ci->object));
  EXPECT_EQ(entries(dir.path()).size(), 1u);  // the object only: no build directory left behind

  auto hit = engine->compile(bytes, "conformance");
  ASSERT_TRUE(hit) << hit.error().describe();
  const wasm2c::ModuleInfo* hi = wasm2c::module_info(**hit);
  ASSERT_NE(hi, nullptr);
  EXPECT_TRUE(hi->cache_hit);
  EXPECT_EQ(hi->key, ci->key);
  EXPECT_EQ(hi->cc_seconds, 0.0);
  EXPECT_LT((*hit)->compile_seconds(), (*cold)->compile_seconds() / 5)
      << "cold " << (*cold)->compile_seconds() << " s, hit " << (*hit)->compile_seconds() << " s";
  EXPECT_EQ((*hit)->exports().size(), (*cold)->exports().size());

  // Both modules work, and their instances are separate.
  auto a = (*cold)->instantiate();
  auto b = (*hit)->instantiate();
  ASSERT_TRUE(a && b);
  auto bump_a = (*a)->typed<std::int32_t()>("bump");
  auto bump_b = (*b)->typed<std::int32_t()>("bump");
  ASSERT_TRUE(bump_a && bump_b);
  EXPECT_EQ(*(*bump_a)(), 1);
  EXPECT_EQ(*(*bump_a)(), 2);
  EXPECT_EQ(*(*bump_b)(), 1);

  // Another module is another key.
  auto other = engine->compile(wat_to_wasm("(module (func (export \"f\") (result i32) i32.const 3))"), "other");
  ASSERT_TRUE(other) << other.error().describe();
  EXPECT_NE(wasm2c::module_info(**other)->key, ci->key);
  EXPECT_EQ(entries(dir.path()).size(), 2u);
}

TEST(Wasm2c, CacheDirectoryOverrideAndDefaults) {
  TempDir dir;
  {
    ScopedEnv cache("WASMHOP_CACHE_DIR", dir.path().c_str());
    EXPECT_EQ(*wasm2c::cache_directory(), dir.path());
  }
  {
    ScopedEnv cache("WASMHOP_CACHE_DIR", nullptr);
    ScopedEnv xdg("XDG_CACHE_HOME", "/some/xdg");
    EXPECT_EQ(*wasm2c::cache_directory(), fs::path("/some/xdg/wasmhop/wasm2c"));
  }
  {
    ScopedEnv cache("WASMHOP_CACHE_DIR", nullptr);
    ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
    ScopedEnv home("HOME", "/home/someone");
    EXPECT_EQ(*wasm2c::cache_directory(), fs::path("/home/someone/.cache/wasmhop/wasm2c"));
  }
  {
    // Compiling with XDG_CACHE_HOME puts the object under it.
    ScopedEnv cache("WASMHOP_CACHE_DIR", nullptr);
    ScopedEnv xdg("XDG_CACHE_HOME", dir.path().c_str());
    auto engine = wasm2c_engine();
    ASSERT_TRUE(engine);
    auto m = engine->compile(wat_to_wasm("(module (func (export \"f\")))"), "xdg");
    ASSERT_TRUE(m) << m.error().describe();
    EXPECT_EQ(wasm2c::module_info(**m)->object.parent_path(), dir.path() / "wasmhop" / "wasm2c");
  }
}

TEST(Wasm2c, CorruptedEntryIsRebuilt) {
  TempDir dir;
  ScopedEnv env("WASMHOP_CACHE_DIR", dir.path().c_str());
  auto engine = wasm2c_engine();
  ASSERT_TRUE(engine);
  const auto bytes = wat_to_wasm(R"((module (func (export "seven") (result i32) i32.const 7)))");
  const auto other = wat_to_wasm(R"((module (func (export "eight") (result i32) i32.const 8)))");
  fs::path object;
  {
    auto m = engine->compile(bytes, "seven");
    ASSERT_TRUE(m) << m.error().describe();
    object = wasm2c::module_info(**m)->object;
  }
  fs::path other_object;
  {
    auto m = engine->compile(other, "eight");
    ASSERT_TRUE(m) << m.error().describe();
    other_object = wasm2c::module_info(**m)->object;
  }
  auto check_rebuilt = [&](const char* what) {
    auto m = engine->compile(bytes, "seven");
    ASSERT_TRUE(m) << what << ": " << m.error().describe();
    const auto* info = wasm2c::module_info(**m);
    EXPECT_FALSE(info->cache_hit) << what;
    EXPECT_TRUE(info->rebuilt) << what;
    EXPECT_NE(info->note.find("unusable"), std::string::npos) << info->note;
    auto inst = (*m)->instantiate();
    ASSERT_TRUE(inst) << inst.error().describe();
    EXPECT_EQ(*(*inst)->call_by_name<std::int32_t>("seven"), 7) << what;
    auto again = engine->compile(bytes, "seven");
    ASSERT_TRUE(again);
    EXPECT_TRUE(wasm2c::module_info(**again)->cache_hit) << what;
  };
  // Garbage.
  std::ofstream(object, std::ios::binary | std::ios::trunc) << "this is not an ELF object";
  check_rebuilt("garbage");
  // Truncated.
  const auto size = fs::file_size(object);
  fs::resize_file(object, size / 2);
  check_rebuilt("truncated");
  // A valid object built for another module (wrong key inside).
  fs::copy_file(other_object, object, fs::copy_options::overwrite_existing);
  check_rebuilt("foreign object");
}

TEST(Wasm2c, ConcurrentProcessesShareTheCache) {
  TempDir dir;
  ScopedEnv env("WASMHOP_CACHE_DIR", dir.path().c_str());
  const auto bytes = wat_to_wasm(R"((module (func (export "mul") (param i32 i32) (result i32)
      (i32.mul (local.get 0) (local.get 1)))))");
  constexpr int kProcesses = 3;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: compile the same module into the same (empty) cache, call it, report by status.
      auto engine = create_engine("wasm2c");
      if (!engine) _exit(10);
      auto m = (*engine)->compile(bytes, "mul");
      if (!m) _exit(11);
      auto inst = (*m)->instantiate();
      if (!inst) _exit(12);
      auto r = (*inst)->call_by_name<std::int32_t>("mul", 6, 7);
      _exit(r && *r == 42 ? 0 : 13);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  // One object, no build directories or temporary files left.
  const auto left = entries(dir.path());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].extension(), ".so");
  auto engine = wasm2c_engine();
  auto m = engine->compile(bytes, "mul");
  ASSERT_TRUE(m);
  EXPECT_TRUE(wasm2c::module_info(**m)->cache_hit);
}

TEST(Wasm2c, NoCompilerIsEngineUnavailable) {
  ScopedEnv cc("CC", "/nonexistent/bin/no-such-cc");
  auto e = create_engine("wasm2c");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::engine_unavailable);
  EXPECT_NE(e.error().message.find("no-such-cc"), std::string::npos) << e.error().message;
}

}  // namespace
}  // namespace wasmhop::testing
