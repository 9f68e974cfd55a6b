// This process and the programs it starts: its executable and command line, the processors it may
// run on, PATH lookup, and argv quoted for a shell (for logs and the "how to resume" lines).
#pragma once

#include <string>
#include <vector>

namespace wasmhop::run {

// Path of the running executable (/proc/self/exe; "wasmhop" when it cannot be read).
[[nodiscard]] std::string self_executable();

// This process's command line, as the kernel has it (/proc/self/cmdline).
[[nodiscard]] std::vector<std::string> command_line();

// Processors this process may run on (its affinity mask: `taskset` narrows it), at least 1.
[[nodiscard]] unsigned usable_processors() noexcept;

// Searches PATH for a program name (returns "" when absent); a name with a '/' is returned as is.
[[nodiscard]] std::string find_program(const std::string& name);

// "a b 'c d'": argv quoted for a POSIX shell.
[[nodiscard]] std::string shell_join(const std::vector<std::string>& argv);

}  // namespace wasmhop::run
