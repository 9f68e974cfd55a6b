// Shared fixture: every engine-facing test is parameterized over the engines under test.
// WASMHOP_ENGINES (comma-separated ids) picks them; ctest runs one process per engine because a
// V8 tier is process-global. Without it: every engine that can share a process.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wasmhop/wasmhop.hpp"

namespace wasmhop::testing {

[[nodiscard]] std::vector<std::string> engines_under_test();
[[nodiscard]] std::string engine_param_name(const ::testing::TestParamInfo<std::string>& info);
[[nodiscard]] std::filesystem::path guest_path(const std::string& name);  // <dir>/<name>.wasm
// host_calls.wasm's seven imports as plain stand-ins (add: a + b, checked: v, the others do
// nothing or return 0): a test replaces the ones it is about (Imports::func replaces by name).
[[nodiscard]] Imports host_calls_stubs();
// The engine was left out of this build on purpose and says why (not built here): its tests skip.
[[nodiscard]] bool left_out_by_build(const Error& e);

class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;

  Engine& engine() { return *engine_; }
  const Capabilities& caps() const { return engine_->info().caps; }

  // Loads and instantiates a guest built by the build (fails the test on error).
  std::unique_ptr<Module> load(const std::string& guest);
  std::unique_ptr<Instance> instantiate(const std::string& guest);

  // Writes `bytes` where the engine looks for a module (x.wasm and, for native, x.native.so)
  // and loads it: the same bad input reaches every engine.
  Result<std::unique_ptr<Module>> load_bytes(const std::vector<std::uint8_t>& bytes);

 private:
  Engine* engine_ = nullptr;
};

#define WASMHOP_INSTANTIATE_ENGINE_TESTS(suite)                                         \
  INSTANTIATE_TEST_SUITE_P(Engines, suite,                                             \
                           ::testing::ValuesIn(::wasmhop::testing::engines_under_test()), \
                           ::wasmhop::testing::engine_param_name)

}  // namespace wasmhop::testing
