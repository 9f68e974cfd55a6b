#include "suite/build_info.hpp"

#include <string>

#include "run/records.hpp"

namespace wasmhop::suite {

nlohmann::json build_info() {
  nlohmann::json j = nlohmann::json::object();
  j["host_build"] = run::host_build();
  j["build_type"] = WASMHOP_SUITE_BUILD_TYPE;
  j["cxx_compiler"] = std::string(WASMHOP_SUITE_CXX_COMPILER) + " (" + WASMHOP_SUITE_CXX_COMPILER_VERSION + ")";
  j["cxx_flags"] = WASMHOP_SUITE_CXX_FLAGS;
  j["c_compiler"] = std::string(WASMHOP_SUITE_C_COMPILER) + " (" + WASMHOP_SUITE_C_COMPILER_VERSION + ")";
  j["c_flags"] = WASMHOP_SUITE_C_FLAGS;
  j["wasm2c_cc"] = WASMHOP_SUITE_WASM2C_CC;
  j["source_dir"] = WASMHOP_SUITE_SOURCE_DIR;
  j["guest_dir"] = WASMHOP_SUITE_GUEST_DIR;
  j["tools_dir"] = WASMHOP_SUITE_TOOLS_DIR;
  return j;
}

}  // namespace wasmhop::suite
