// Where the suite says what it does (stderr by default): one flush per message, so progress shows
// at once even when stderr is a file.
#pragma once

#include <cstdio>
#include <utility>

#include <fmt/format.h>

namespace wasmhop::suite {

struct Output {
  std::FILE* f = stderr;
  template <class... A>
  void say(fmt::format_string<A...> format, A&&... args) {
    fmt::print(f, format, std::forward<A>(args)...);
    std::fflush(f);
  }
};

// "1m05s" / "1h02m03s".
[[nodiscard]] std::string hms(double seconds);

}  // namespace wasmhop::suite
