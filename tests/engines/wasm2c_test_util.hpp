// Helpers of the wasm2c engine's tests (wasm2c_test.cpp, wasm2c_glue_test.cpp): environment and
// cache directory per test, .wat to .wasm through wabt, the engine and the conformance module.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "wabt/binary-writer.h"
#include "wabt/stream.h"
#include "wabt/wast-lexer.h"
#include "wabt/wast-parser.h"
#include "wasmhop/wasmhop.hpp"

namespace wasmhop::testing {

namespace fs = std::filesystem;

// Sets an environment variable for one scope, restoring the previous value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) setenv(name, value, 1);
    else unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A fresh, empty cache directory per test.
class TempDir {
 public:
  TempDir() {
    std::string t = (fs::temp_directory_path() / "wasmhop-w2c-test-XXXXXX").string();
    path_ = mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::vector<std::uint8_t> wat_to_wasm(std::string_view wat) {
  wabt::Errors errors;
  auto lexer = wabt::WastLexer::CreateBufferLexer("test.wat", wat.data(), wat.size(), &errors);
  std::unique_ptr<wabt::Module> module;
  wabt::Features features;
  wabt::WastParseOptions options(features);
  if (wabt::Failed(wabt::ParseWatModule(lexer.get(), &module, &errors, &options))) {
    ADD_FAILURE() << "bad test wat";
    return {};
  }
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options(features, true, false, false);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options))) {
    ADD_FAILURE() << "cannot write test wasm";
    return {};
  }
  return stream.output_buffer().data;
}

inline std::vector<std::uint8_t> conformance_bytes() {
  auto bytes = read_file(fs::path(WASMHOP_GUEST_DIR) / "conformance.wasm");
  EXPECT_TRUE(bytes) << bytes.error().describe();
  return bytes ? *bytes : std::vector<std::uint8_t>{};
}

inline std::unique_ptr<Engine> wasm2c_engine() {
  auto e = create_engine("wasm2c");
  EXPECT_TRUE(e) << e.error().describe();
  return e ? std::move(*e) : nullptr;
}

inline std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  return out;
}

}  // namespace wasmhop::testing
