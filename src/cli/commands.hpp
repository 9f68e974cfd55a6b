// Each subcommand lives in its own cmd_*.cpp and registers itself on the CLI11 app here.
#pragma once

#include <CLI/CLI.hpp>

namespace wasmhop::cli {

// Each register_* adds one subcommand; its callback stores the exit status in `status`.
void register_engines(CLI::App& app, int& status);
void register_run(CLI::App& app, int& status);
void register_demo(CLI::App& app, int& status);
void register_micro(CLI::App& app, int& status);
void register_sim(CLI::App& app, int& status);
void register_gen(CLI::App& app, int& status);
void register_suite(CLI::App& app, int& status);
void register_report(CLI::App& app, int& status);
void register_bench(CLI::App& app, int& status);


}  // namespace wasmhop::cli
