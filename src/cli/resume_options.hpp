// --resume DIR continues a run with the options recorded in DIR/run.json: any other option given
// with it is refused (one line naming it), except those that only change what is shown.
#pragma once

#include <set>
#include <string>

#include <CLI/CLI.hpp>

namespace wasmhop::cli {

// The first option given besides --resume and `allowed` ("" when none).
[[nodiscard]] inline std::string option_besides_resume(const CLI::App& cmd, const std::set<std::string>& allowed) {
  for (const CLI::Option* opt : cmd.get_options()) {
    const std::string name = opt->get_name();
    if (opt->count() > 0 && name != "--resume" && !allowed.contains(name)) return name;
  }
  return {};
}

}  // namespace wasmhop::cli
