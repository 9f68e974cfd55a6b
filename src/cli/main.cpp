// wasmhop: one CLI, one subcommand per file (see commands.hpp).
#include <cstdio>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "wasmhop: measure and reduce the cost of calling WebAssembly scripts from a host.\n"
      "Run 'wasmhop <command> --help' for a command's options."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "wasmhop 0.1.0");
  int status = 0;
  wasmhop::cli::register_engines(app, status);
  wasmhop::cli::register_run(app, status);
  wasmhop::cli::register_bench(app, status);
  wasmhop::cli::register_demo(app, status);
  wasmhop::cli::register_micro(app, status);
  wasmhop::cli::register_sim(app, status);
  wasmhop::cli::register_gen(app, status);
  wasmhop::cli::register_suite(app, status);
  wasmhop::cli::register_report(app, status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return status;
}
