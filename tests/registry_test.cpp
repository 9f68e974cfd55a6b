// The engine-parameterized tests run once per id that tests/CMakeLists.txt read from the
// registry's lines; this fails when the two disagree (an id the parse missed is an untested engine).
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "wasmhop/registry.hpp"

namespace {

std::set<std::string> split(const std::string& s) {
  std::set<std::string> out;
  std::stringstream in(s);
  for (std::string id; std::getline(in, id, ',');) out.insert(id);
  return out;
}

TEST(Registry, EveryEngineIdIsTestedOnEveryEngineSuite) {
  const std::set<std::string> tested = split(WASMHOP_TESTED_ENGINE_IDS);
  std::set<std::string> registered;
  for (const auto& id : wasmhop::engine_ids()) registered.insert(id);
  EXPECT_EQ(tested, registered) << "tests/CMakeLists.txt reads ids from the lines of src/core/registry.cpp "
                                   "that start with {\"<id>\", -- keep each entry in that form";
  EXPECT_EQ(registered.size(), wasmhop::engine_ids().size()) << "an id is registered twice";
}

TEST(Registry, UnavailableEnginesSayWhy) {
  for (const auto& entry : wasmhop::engine_registry()) {
    auto engine = entry.create();
    if (engine) {
      EXPECT_EQ((*engine)->info().id, entry.id);
      continue;
    }
    EXPECT_EQ(engine.error().kind, wasmhop::ErrorKind::engine_unavailable) << entry.id;
    EXPECT_NE(engine.error().message.find(entry.id), std::string::npos) << engine.error().message;
  }
}

}  // namespace
