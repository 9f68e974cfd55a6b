// What this binary is: host build, compilers and flags, source and guest directories. Compiled in
// by src/suite/CMakeLists.txt; `wasmhop suite --build-info` prints it as JSON so the suite can ask
// the other host build's binary the same questions.
#pragma once

#include <nlohmann/json.hpp>

namespace wasmhop::suite {

// {"host_build", "build_type", "cxx_compiler", "cxx_flags", "c_compiler", "c_flags", "wasm2c_cc",
//  "source_dir", "guest_dir", "tools_dir", "binary"}
[[nodiscard]] nlohmann::json build_info();

}  // namespace wasmhop::suite
