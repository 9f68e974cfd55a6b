// Shared by the harnesses: inputs that must live in a file (the trace readers open paths), and a
// check that aborts with a message (a finding) when an invariant breaks.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace wasmhop::fuzz {

// A per-process scratch file in /dev/shm (memory) when it exists, else /tmp; rewritten per input.
inline const std::string& scratch_path(const char* suffix) {
  static const std::string path = [&] {
    const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    return std::string(dir) + "/wasmhop-fuzz-" + std::to_string(getpid()) + suffix;
  }();
  return path;
}

inline void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size != 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
}

#define WASMHOP_FUZZ_CHECK(cond, ...)                                   \
  do {                                                                  \
    if (!(cond)) {                                                      \
      std::fprintf(stderr, "invariant broken: %s: ", #cond);            \
      std::fprintf(stderr, __VA_ARGS__);                                \
      std::fprintf(stderr, "\n");                                       \
      std::abort();                                                     \
    }                                                                   \
  } while (0)

}  // namespace wasmhop::fuzz
