// wasmhop run --engine ID MODULE.wasm EXPORT [ARGS...]: try a script on one engine.
#include <charconv>
#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "wasmhop/registry.hpp"

namespace wasmhop::cli {
namespace {

Result<RawVal> parse_arg(const std::string& text, ValType type, std::size_t index) {
  RawVal v{};
  auto bad = [&] {
    return fail(ErrorKind::invalid_argument,
                fmt::format("argument {} '{}' is not a valid {}", index + 1, text, to_string(type)));
  };
  try {
    std::size_t used = 0;
    switch (type) {
      case ValType::i32: {
        const long long x = std::stoll(text, &used, 0);
        if (x < INT32_MIN || x > UINT32_MAX) return bad();
        v.i32 = static_cast<std::int32_t>(x);
        break;
      }
      case ValType::i64: {
        if (!text.empty() && text[0] != '-') v.i64 = static_cast<std::int64_t>(std::stoull(text, &used, 0));
        else v.i64 = std::stoll(text, &used, 0);
        break;
      }
      case ValType::f32: v.f32 = std::stof(text, &used); break;
      case ValType::f64: v.f64 = std::stod(text, &used); break;
    }
    if (used != text.size()) return bad();
  } catch (const std::exception&) {
    return bad();
  }
  return v;
}

std::string format_value(RawVal v, ValType t) {
  switch (t) {
    case ValType::i32: return fmt::format("{}", v.i32);
    case ValType::i64: return fmt::format("{}", v.i64);
    case ValType::f32: return fmt::format("{}", v.f32);
    case ValType::f64: return fmt::format("{}", v.f64);
  }
  return "?";
}

Status run(const std::string& engine_id, const std::string& module_path, const std::string& export_name,
           const std::vector<std::string>& args, bool timing) {
  auto engine = create_engine(engine_id);
  if (!engine) return tl::unexpected(engine.error());
  auto module = (*engine)->load(module_path);
  if (!module) return tl::unexpected(module.error());
  auto instance = (*module)->instantiate();
  if (!instance) return tl::unexpected(instance.error());
  auto func = (*instance)->func(export_name);
  if (!func) return tl::unexpected(func.error());
  const FuncType& type = *func->type;
  if (args.size() != type.params.size()) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("export '{}' has type {}: it takes {} argument(s), {} given", export_name,
                            type.to_string(), type.params.size(), args.size()));
  }
  std::vector<RawVal> in;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto v = parse_arg(args[i], type.params[i], i);
    if (!v) return tl::unexpected(v.error());
    in.push_back(*v);
  }
  std::vector<RawVal> out(type.results.size());
  if (auto st = (*instance)->call(*func, in, out); !st) return st;
  for (std::size_t i = 0; i < out.size(); ++i) {
    fmt::print("{}{}", i ? " " : "", format_value(out[i], type.results[i]));
  }
  if (!out.empty()) fmt::print("\n");
  if (timing) {
    fmt::print(stderr, "compile {:.6f} s, instantiate {:.6f} s ({})\n", (*module)->compile_seconds(),
               (*instance)->instantiate_seconds(), (*engine)->info().id);
  }
  return {};
}

}  // namespace

void register_run(CLI::App& app, int& status) {
  auto* cmd = app.add_subcommand(
      "run", "Load a module on one engine, call an export with scalar arguments, print the results");
  struct Options {
    std::string engine = "wasm2c";
    std::string module;
    std::string export_name;
    std::vector<std::string> args;
    bool timing = false;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("--engine,-e", opt->engine, "Engine id (see 'wasmhop engines')")->capture_default_str();
  cmd->add_option("module", opt->module, "Module file (.wasm; the native engine uses the .native.so next to it)")
      ->required();
  cmd->add_option("export", opt->export_name, "Exported function to call")->required();
  cmd->add_option("args", opt->args, "Arguments, parsed by the export's parameter types");
  cmd->add_flag("--timing", opt->timing, "Print compile and instantiate times on stderr");
  cmd->callback([&status, opt] {
    auto st = run(opt->engine, opt->module, opt->export_name, opt->args, opt->timing);
    if (!st) {
      fmt::print(stderr, "error: {}\n", st.error().describe());
      status = 1;
    }
  });
}

}  // namespace wasmhop::cli
