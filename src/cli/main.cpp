// wasmhop: one CLI, one subcommand per file (see commands.hpp).
#include <cstdio>
#include <cstring>

#include "cli/commands.hpp"

namespace {

struct Command {
  const char* name;  // as the command's file registers it
  void (*add)(CLI::App&, int&);
};

constexpr Command kCommands[] = {
    {"engines", wasmhop::cli::register_engines}, {"run", wasmhop::cli::register_run},
    {"bench", wasmhop::cli::register_bench},     {"demo", wasmhop::cli::register_demo},
    {"micro", wasmhop::cli::register_micro},     {"sim", wasmhop::cli::register_sim},
    {"gen", wasmhop::cli::register_gen},         {"suite", wasmhop::cli::register_suite},
    {"report", wasmhop::cli::register_report},
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "wasmhop: measure and reduce the cost of calling WebAssembly scripts from a host.\n"
      "Run 'wasmhop <command> --help' for a command's options."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "wasmhop 0.1.0");
  int status = 0;
  // When the first argument names a command, only that command is built: building all ~120 options
  // was a third of the work of a short `wasmhop sim` before it opened its trace. Otherwise (help,
  // --version, a typo) every command is built, so the listing and the errors name them all.
  const Command* chosen = nullptr;
  for (const Command& c : kCommands)
    if (argc > 1 && std::strcmp(argv[1], c.name) == 0) chosen = &c;
  if (chosen != nullptr) {
    chosen->add(app, status);
  } else {
    for (const Command& c : kCommands) c.add(app, status);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return status;
}
