#include "cli/bench/module_probe.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/ir.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

#include "wasmhop/engine.hpp"

namespace wasmhop::cli::bench {
namespace {

wabt::Features all_features() {
  wabt::Features f;
  f.EnableAll();
  return f;
}

// The first of wabt's errors as one line, with its place ("m.wat:3:7" or "offset 0x1a").
std::string first_error(const wabt::Errors& errors, const std::string& name) {
  if (errors.empty()) return fmt::format("{}: not a valid module", name);
  const wabt::Error& e = errors.front();
  std::string where = name;
  if (e.loc.filename.size() != 0 && e.loc.line > 0) {
    where = fmt::format("{}:{}:{}", name, e.loc.line, e.loc.first_column);
  } else if (e.loc.offset != wabt::kInvalidOffset) {
    where = fmt::format("{} at offset {:#x}", name, e.loc.offset);
  }
  const std::string more = errors.size() > 1 ? fmt::format(" (and {} more)", errors.size() - 1) : "";
  return fmt::format("{}: {}{}", where, e.message, more);
}

Result<ValType> to_valtype(wabt::Type t) {
  switch (t) {
    case wabt::Type::I32: return ValType::i32;
    case wabt::Type::I64: return ValType::i64;
    case wabt::Type::F32: return ValType::f32;
    case wabt::Type::F64: return ValType::f64;
    default: return fail(ErrorKind::invalid_argument, t.GetName());
  }
}

ProbedExport describe_function(const wabt::Module& module, const wabt::Export& ex) {
  ProbedExport out{ex.name, {}, {}};
  const wabt::Func* f = module.GetFunc(ex.var);
  if (f == nullptr) return out;
  for (const auto& [types, into] : {std::pair{&f->decl.sig.param_types, &out.type.params},
                                    std::pair{&f->decl.sig.result_types, &out.type.results}}) {
    for (wabt::Type t : *types) {
      auto v = to_valtype(t);
      if (v) into->push_back(*v);
      else if (out.unsupported.empty()) out.unsupported = v.error().message;
    }
  }
  return out;
}

bool looks_like_text(const std::vector<std::uint8_t>& bytes) {
  for (std::uint8_t b : bytes) {
    if (b == '(' || b == ';') return true;  // a module or a comment
    if (!std::isspace(b)) return false;
  }
  return false;
}

}  // namespace

Result<std::vector<std::uint8_t>> wat_to_wasm(std::string_view text, const std::string& name) {
  wabt::Errors errors;
  const wabt::Features features = all_features();
  auto lexer = wabt::WastLexer::CreateBufferLexer(name, text.data(), text.size(), &errors);
  std::unique_ptr<wabt::Module> module;
  wabt::WastParseOptions parse_options(features);
  if (wabt::Failed(wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options)) ||
      wabt::Failed(wabt::ValidateModule(module.get(), &errors, wabt::ValidateOptions(features)))) {
    return fail(ErrorKind::malformed_module, first_error(errors, name));
  }
  wabt::MemoryStream stream;
  const wabt::WriteBinaryOptions write_options(features, /*canonicalize_lebs=*/true, /*relocatable=*/false,
                                               /*write_debug_names=*/true);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options))) {
    return fail(ErrorKind::internal, fmt::format("{}: wabt could not write the binary module", name));
  }
  return std::move(stream.output_buffer().data);
}

Result<ProbedModule> probe_module(const std::filesystem::path& path) {
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  const std::string name = path.filename().string();
  ProbedModule out;
  static constexpr std::uint8_t kMagic[4] = {0, 'a', 's', 'm'};
  if (bytes->size() < 4 || !std::equal(kMagic, kMagic + 4, bytes->begin())) {
    if (!looks_like_text(*bytes)) {
      return fail(ErrorKind::malformed_module,
                  fmt::format("{}: not a WebAssembly module (neither the binary format, which starts with "
                              "\\0asm, nor the text format)", name));
    }
    auto wasm = wat_to_wasm({reinterpret_cast<const char*>(bytes->data()), bytes->size()}, name);
    if (!wasm) return tl::unexpected(wasm.error());
    out.wasm = std::move(*wasm);
    out.from_text = true;
  } else {
    out.wasm = std::move(*bytes);
  }
  wabt::Errors errors;
  wabt::Module module;
  const wabt::Features features = all_features();
  const wabt::ReadBinaryOptions read_options(features, nullptr, /*read_debug_names=*/false,
                                             /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr(name.c_str(), out.wasm.data(), out.wasm.size(), read_options, &errors,
                                      &module)) ||
      wabt::Failed(wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(features)))) {
    return fail(ErrorKind::malformed_module, first_error(errors, name));
  }
  for (const wabt::Export* ex : module.exports) {
    if (ex->kind == wabt::ExternalKind::Func) out.functions.push_back(describe_function(module, *ex));
  }
  for (const wabt::Import* im : module.imports) out.imports.push_back(im->module_name + "." + im->field_name);
  return out;
}

Result<FuncType> find_function(const ProbedModule& m, std::string_view name, const std::string& module_name) {
  for (const auto& f : m.functions) {
    if (f.name != name) continue;
    if (!f.unsupported.empty()) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("module '{}', export '{}': its type has a {} value; bench passes and compares "
                              "i32, i64, f32 and f64 only", module_name, name, f.unsupported));
    }
    return f.type;
  }
  std::string names;
  for (const auto& f : m.functions) names += (names.empty() ? "" : ", ") + f.name;
  return fail(ErrorKind::missing_export,
              fmt::format("module '{}' has no function export '{}' (its function exports: {})", module_name, name,
                          names.empty() ? "none" : names));
}

}  // namespace wasmhop::cli::bench
