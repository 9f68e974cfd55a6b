// wasmhop run --engine ID MODULE.wasm EXPORT [ARGS...]: try a script on one engine.
//
// --timeout SECONDS bounds the guest's running time (instantiation, with `_initialize` or a start
// function, and the call; not compilation). Engines that can stop a call (interruptible) run it
// here with InstanceOptions::call_timeout; for the others this command runs itself again in a
// child process that it kills at the deadline (run/child.hpp, run_child_with_timeout). The
// child writes marks: 'c' compiled (the clock starts), 'i' instantiated.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/bench/value_text.hpp"
#include "cli/commands.hpp"
#include "cli/exit_status.hpp"
#include "run/child.hpp"
#include "run/program.hpp"
#include "sim/size_parse.hpp"
#include "wasmhop/registry.hpp"
#include "wasmhop/wasi.hpp"

namespace wasmhop::cli {
namespace {

std::string format_value(RawVal v, ValType t) {
  switch (t) {
    case ValType::i32: return fmt::format("{}", v.i32);
    case ValType::i64: return fmt::format("{}", v.i64);
    case ValType::f32: return fmt::format("{}", v.f32);
    case ValType::f64: return fmt::format("{}", v.f64);
  }
  return "?";
}

struct RunOptions {
  std::string engine = "wasm2c";
  std::string module;
  std::string export_name;
  std::vector<std::string> args;
  bool timing = false;
  double timeout = 0;   // seconds; 0: none
  std::string max_memory;  // Engine::set_memory_limit, a size ("64MiB"); empty: none
  int mark_fd = -1;     // child of a timed run: where to write progress marks
};

void mark(int fd, char c) {
  if (fd >= 0) static_cast<void>(!write(fd, &c, 1));
}

std::chrono::nanoseconds to_duration(double seconds) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(seconds * 1e9)));
}

// The export to call: the one named, else a WASI command's `_start`.
Result<std::string> export_to_call(const RunOptions& o, const Module& m) {
  if (!o.export_name.empty()) return o.export_name;
  for (const auto& e : m.exports()) {
    if (e.kind == ExportKind::function && e.name == "_start") return e.name;
  }
  return fail(ErrorKind::missing_export,
              fmt::format("module '{}' has no `_start` (it is not a WASI command): name the export to call", m.name()));
}

// Runs the export; returns the process's exit status (0, or what a WASI guest passed to proc_exit).
Result<int> run(const RunOptions& o) {
  const std::vector<std::string>& args = o.args;
  auto engine = create_engine(o.engine);
  if (!engine) return tl::unexpected(engine.error());
  if (!o.max_memory.empty()) {
    auto bytes = sim::parse_size(o.max_memory);
    if (!bytes) return fail(ErrorKind::invalid_argument, "--max-memory: " + bytes.error().message);
    (*engine)->set_memory_limit(*bytes);
  }
  // Native scripts run their static constructors when they are loaded: start the clock first.
  if (!(*engine)->info().caps.loads_wasm) mark(o.mark_fd, 'c');
  auto module = (*engine)->load(o.module);
  if (!module) return tl::unexpected(module.error());
  mark(o.mark_fd, 'c');
  auto export_name = export_to_call(o, **module);
  if (!export_name) return tl::unexpected(export_name.error());
  InstanceOptions options;
  if (o.timeout > 0) options.call_timeout = to_duration(o.timeout);
  const wasi::Context wasi;
  if (wasi::Context::needed_by(**module)) options.imports = wasi.imports_for(**module);
  auto instance = (*module)->instantiate(options);
  if (!instance) {
    Error e = instance.error();
    if (e.kind == ErrorKind::signature_mismatch) e.kind = ErrorKind::instantiation_failed;  // a mistyped import
    return tl::unexpected(std::move(e));
  }
  mark(o.mark_fd, 'i');
  auto func = (*instance)->func(*export_name);
  if (!func) return tl::unexpected(func.error());
  const FuncType& type = *func->type;
  if (args.size() != type.params.size()) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("export '{}' has type {}: it takes {} argument(s), {} given", *export_name,
                            type.to_string(), type.params.size(), args.size()));
  }
  std::vector<RawVal> in;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto v = bench::parse_value(args[i], type.params[i], i);
    if (!v) return tl::unexpected(v.error());
    in.push_back(*v);
  }
  std::vector<RawVal> out(type.results.size());
  if (auto st = (*instance)->call(*func, in, out); !st) {
    if (auto code = wasi.exit_code()) return *code;  // proc_exit: the guest's status is the process's
    return tl::unexpected(st.error());
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    fmt::print("{}{}", i ? " " : "", format_value(out[i], type.results[i]));
  }
  if (!out.empty()) fmt::print("\n");
  if (o.timing) {
    fmt::print(stderr, "compile {:.6f} s, instantiate {:.6f} s ({})\n", (*module)->compile_seconds(),
               (*instance)->instantiate_seconds(), (*engine)->info().id);
  }
  return kExitOk;
}

// An engine that cannot stop a call: the same command in a child process, killed at the deadline.
Result<int> run_in_child(const RunOptions& o) {
  std::vector<std::string> argv = {run::self_executable(), "run", "--engine", o.engine, "--mark-fd", "{mark-fd}"};
  if (o.timing) argv.emplace_back("--timing");
  if (!o.max_memory.empty()) argv.insert(argv.end(), {"--max-memory", o.max_memory});
  argv.emplace_back("--");
  argv.push_back(o.module);
  argv.push_back(o.export_name);
  argv.insert(argv.end(), o.args.begin(), o.args.end());
  // Compiling (wasm2c: the C compiler, on a cold cache) is not the guest's time: the clock starts
  // at the child's first mark, and the child gets this much more before it.
  constexpr std::chrono::minutes kCompileAllowance{10};
  auto r = run::run_child_with_timeout(argv, to_duration(o.timeout), kCompileAllowance);
  if (!r) return tl::unexpected(r.error());
  fmt::print("{}", r->child.out);
  std::fflush(stdout);
  const std::string module = std::filesystem::path(o.module).stem().string();
  if (r->timed_out) {
    const std::string where = r->last_mark == 'i'   ? fmt::format("export '{}'", o.export_name)
                              : r->last_mark == 'c' ? std::string("instantiation (_initialize or a start function)")
                                                    : std::string("loading");
    return fail(ErrorKind::timeout,
                fmt::format("module '{}', {}: still running after its time limit of {} s; the child process "
                            "running it was killed (engine '{}' cannot stop a call in-process)",
                            module, where, o.timeout, o.engine));
  }
  // A crash (signal) is reported here; any other status is the child's own: its error line is
  // printed already, or it is a WASI guest's proc_exit status.
  if (r->child.exit_status > 128) {
    return fail(ErrorKind::internal, fmt::format("module '{}': the child process running it died with signal {}",
                                                 module, r->child.exit_status - 128));
  }
  return r->child.exit_status;
}

}  // namespace

void register_run(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "run", "Load a module on one engine, call an export with scalar arguments, print the results");
  auto opt = std::make_shared<RunOptions>();
  cmd->add_option("--engine,-e", opt->engine, "Engine id (see 'wasmhop engines')")->capture_default_str();
  cmd->add_option("module", opt->module, "Module file (.wasm; the native engine uses the .native.so next to it)")
      ->required();
  cmd->add_option("export", opt->export_name,
                  "Exported function to call (default: `_start` of a WASI command, whose proc_exit status "
                  "becomes this command's)");
  cmd->add_option("args", opt->args, "Arguments, parsed by the export's parameter types");
  cmd->add_flag("--timing", opt->timing, "Print compile and instantiate times on stderr");
  cmd->add_option("--timeout", opt->timeout,
                  "Stop the guest after this many seconds (instantiation and the call; not compilation): "
                  "in-process on engines that can interrupt a call, else in a child process that is killed")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-memory", opt->max_memory,
                  "Largest linear memory the module may have, e.g. 64MiB (memory.grow past it fails)");
  cmd->add_option("--mark-fd", opt->mark_fd)->group("");  // internal: the child of a timed run
  cmd->callback([&status, opt] {
    if (opt->mark_fd >= 0) static_cast<void>(fcntl(opt->mark_fd, F_SETFD, FD_CLOEXEC));
    Result<int> r = kExitOk;
    if (opt->timeout > 0 && opt->mark_fd < 0) {
      auto engine = create_engine(opt->engine);
      if (!engine) r = tl::unexpected(engine.error());
      else if ((*engine)->info().caps.interruptible) r = run(*opt);
      else r = run_in_child(*opt);
    } else {
      r = run(*opt);
    }
    if (!r) {
      fmt::print(stderr, "error: {}\n", r.error().describe());
      status = exit_status_for(r.error());
    } else {
      status = *r;
    }
  });
}

}  // namespace wasmhop::cli
