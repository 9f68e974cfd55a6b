#include "engines/wasm2c/translate.hpp"

#include <fmt/format.h>

#include "wabt/apply-names.h"
#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/c-writer.h"
#include "wabt/config.h"
#include "wabt/error-formatter.h"
#include "wabt/feature.h"
#include "wabt/generate-names.h"
#include "wabt/interp/binary-reader-interp.h"
#include "wabt/interp/interp.h"
#include "wabt/ir.h"
#include "wabt/stream.h"
#include "wabt/validator.h"

#include "engines/common/guest_object.hpp"
#include "engines/wasm2c/import_glue.hpp"
#include "engines/wasm2c/module_glue.hpp"

namespace wasmhop::wasm2c {
namespace {

// wasm2c in wabt 1.0.32 supports the default feature set except SIMD (its C writer has no
// v128 support yet): turning SIMD off makes such modules fail cleanly while reading.
wabt::Features features() {
  wabt::Features f;
  f.disable_simd();
  return f;
}

char type_code(wabt::Type t) {
  switch (t) {
    case wabt::Type::I32: return 'i';
    case wabt::Type::I64: return 'I';
    case wabt::Type::F32: return 'f';
    case wabt::Type::F64: return 'F';
    default: return 'r';
  }
}

FuncType to_func_type(const std::string& params, const std::string& results) {
  return *parse_type_codes(params.c_str(), results.c_str());
}

std::string describe_type(const wabt::FuncSignature& sig) {
  auto list = [](const wabt::TypeVector& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::string(v[i].GetName());
    return s + ")";
  };
  return list(sig.param_types) + " -> " + list(sig.result_types);
}

std::string describe_import(const wabt::Import& import) {
  std::string what;
  switch (import.kind()) {
    case wabt::ExternalKind::Func:
      what = "function " + describe_type(static_cast<const wabt::FuncImport&>(import).func.decl.sig);
      break;
    case wabt::ExternalKind::Table: what = "table"; break;
    case wabt::ExternalKind::Memory: what = "memory"; break;
    case wabt::ExternalKind::Global: what = "global"; break;
    case wabt::ExternalKind::Tag: what = "tag"; break;
  }
  return fmt::format("{}.{} ({})", import.module_name, import.field_name, what);
}

// When every import is a function of value types: renames them kImportModule.i<k> (import_glue.hpp)
// and gives their types. False (nothing renamed) otherwise.
bool rename_function_imports(wabt::Module& module, std::vector<GlueImport>& out) {
  for (const wabt::Import* i : module.imports) {
    if (i->kind() != wabt::ExternalKind::Func) return false;
  }
  std::vector<GlueImport> types;
  for (const wabt::Import* i : module.imports) {
    const wabt::FuncSignature& sig = static_cast<const wabt::FuncImport*>(i)->func.decl.sig;
    GlueImport g;
    for (const wabt::Type t : sig.param_types) g.params += type_code(t);
    for (const wabt::Type t : sig.result_types) g.results += type_code(t);
    if ((g.params + g.results).find('r') != std::string::npos) return false;
    types.push_back(std::move(g));
  }
  for (std::size_t k = 0; k < module.imports.size(); ++k) {
    module.imports[k]->module_name = kImportModule;
    module.imports[k]->field_name = fmt::format("i{}", k);
  }
  out = std::move(types);
  return true;
}

// wabt's messages so far as one malformed_module error naming the module and the failed stage.
tl::unexpected<Error> malformed(const wabt::Errors& errors, std::string_view module_name, std::string_view stage) {
  std::string text = wabt::FormatErrorsToString(errors, wabt::Location::Type::Binary);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) text = "unknown error";
  return fail(ErrorKind::malformed_module, fmt::format("module '{}': {}: {}", module_name, stage, text));
}

// wabt 1.0.32's IR reader fails an assertion, aborting the process, on some malformed modules
// its interpreter's reader rejects (fuzz_module_wasm2c: `nop` in a global's initializer in a C++
// guest; Debian's wasm-validate aborts on it too). That reader decodes first; SIMD is allowed
// there so that SIMD modules still get their own message (uses_simd).
bool interpreter_decodes(std::span<const std::uint8_t> wasm, const std::string& filename, wabt::Errors& errors) {
  wabt::Features any_simd = features();
  any_simd.enable_simd();
  const wabt::ReadBinaryOptions check_options(any_simd, nullptr, false, true, false);
  wabt::interp::ModuleDesc desc;
  return wabt::Succeeded(
      wabt::interp::ReadBinaryInterp(filename, wasm.data(), wasm.size(), check_options, &errors, &desc));
}

// Whether wasm that features() rejects reads with SIMD on: valid wasm that only the missing SIMD
// support rejects deserves its own message.
bool uses_simd(std::span<const std::uint8_t> wasm, const std::string& filename) {
  wabt::Features with_simd = features();
  with_simd.enable_simd();
  wabt::Errors simd_errors;
  wabt::Module simd_module;
  const wabt::ReadBinaryOptions simd_options(with_simd, nullptr, false, true, false);
  return wabt::Succeeded(wabt::ReadBinaryIr(filename.c_str(), wasm.data(), wasm.size(), simd_options,
                                            &simd_errors, &simd_module));
}

// Decodes and validates `wasm` into `module`; `errors` collects wabt's messages.
Status read_module(std::span<const std::uint8_t> wasm, std::string_view module_name, wabt::Errors& errors,
                   wabt::Module& module) {
  if (wasm.empty()) {
    return fail(ErrorKind::malformed_module, fmt::format("module '{}': empty input (0 bytes)", module_name));
  }
  const std::string filename = fmt::format("{}.wasm", module_name);
  if (!interpreter_decodes(wasm, filename, errors)) return malformed(errors, module_name, "not a valid WebAssembly binary");
  const wabt::Features feats = features();
  const wabt::ReadBinaryOptions read_options(feats, nullptr, /*read_debug_names=*/false,
                                             /*stop_on_first_error=*/true,
                                             /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr(filename.c_str(), wasm.data(), wasm.size(), read_options,
                                      &errors, &module))) {
    if (uses_simd(wasm, filename)) {
      return fail(ErrorKind::malformed_module,
                  fmt::format("module '{}': uses SIMD (v128), which wasm2c in wabt {} cannot translate "
                              "(the other engines run it)",
                              module_name, WABT_VERSION_STRING));
    }
    return malformed(errors, module_name, "not a valid WebAssembly binary");
  }
  if (wabt::Failed(wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(feats)))) {
    return malformed(errors, module_name, "invalid module");
  }
  return {};
}

// Export `e` as the glue sees it and as the host's ExportDesc.
std::pair<GlueExport, ExportDesc> describe_export(const wabt::Module& module, const wabt::Export& e) {
  GlueExport g;
  g.name = e.name;
  ExportDesc d;
  d.name = e.name;
  switch (e.kind) {
    case wabt::ExternalKind::Func: {
      g.kind = 'f';
      const wabt::Func* f = module.GetFunc(e.var);
      for (const wabt::Type t : f->decl.sig.param_types) g.params += type_code(t);
      for (const wabt::Type t : f->decl.sig.result_types) g.results += type_code(t);
      g.callable = g.params.find('r') == std::string::npos && g.results.find('r') == std::string::npos;
      // A function whose type uses references is listed as `other`: callers cannot reach it.
      d.kind = g.callable ? ExportKind::function : ExportKind::other;
      if (g.callable) d.type = to_func_type(g.params, g.results);
      break;
    }
    case wabt::ExternalKind::Memory: g.kind = 'm'; d.kind = ExportKind::memory; break;
    case wabt::ExternalKind::Table: g.kind = 't'; d.kind = ExportKind::table; break;
    case wabt::ExternalKind::Global: g.kind = 'g'; d.kind = ExportKind::global; break;
    default: g.kind = 'o'; d.kind = ExportKind::other; break;
  }
  return {std::move(g), std::move(d)};
}

// The module's exports in order: the glue's view, and the host's (appended to `descs`).
std::vector<GlueExport> collect_exports(const wabt::Module& module, std::vector<ExportDesc>& descs) {
  std::vector<GlueExport> glue_exports;
  for (const wabt::Export* e : module.exports) {
    auto [g, d] = describe_export(module, *e);
    glue_exports.push_back(std::move(g));
    descs.push_back(std::move(d));
  }
  return glue_exports;
}

// module.h: the runtime first (hidden, with everything else: -fvisibility=hidden), then wasm2c's
// declarations with default visibility, so that Z_m* stay wasm2c's public API (dlsym-able: the
// raw benchmark calls them).
std::string module_header(const std::vector<std::uint8_t>& declarations) {
  std::string header;
  if (kCountCallDepth) {
    // wasm2c's depth counting (FUNC_PROLOGUE/EPILOGUE around every function), redirected from
    // wasm-rt's one process-wide counter to a per-instance one: every generated function has its
    // instance in a parameter named `instance`, and the counter sits in the header before it.
    header = fmt::format("#define WASM_RT_USE_STACK_DEPTH_COUNT 1\n#define WASM_RT_MAX_CALL_STACK_DEPTH {}\n",
                         kMaxCallDepth);
  } else {
    header = "#define WASM_RT_USE_STACK_DEPTH_COUNT 0\n";
  }
  header += "#include \"wasm-rt.h\"\n#include \"wasmhop_w2c_abi.h\"\n"
            "#define WASMHOP_W2C_HEADER(instance) (((wasmhop_w2c_instance_header*)(void*)(instance)) - 1)\n";
  if (kCountCallDepth) header += "#define wasm_rt_call_stack_depth (WASMHOP_W2C_HEADER(instance)->call_depth)\n";
  header += "#pragma GCC visibility push(default)\n";
  header.append(declarations.begin(), declarations.end());
  header += "#pragma GCC visibility pop\n";
  return header;
}

// wasm2c's C for `module` into out.source and out.header (before the glue). `errors`: what
// reading left, for a naming failure's message.
Status write_c(wabt::Module& module, std::string_view module_name, const wabt::Errors& errors, Translation& out) {
  // Generated names come from the exports: rename them x0, x1, ... (in order) so that every C
  // symbol is predictable (Z_mZ_x3) whatever bytes the real names contain. The real names live
  // in the glue's export table.
  for (std::size_t i = 0; i < module.exports.size(); ++i) module.exports[i]->name = fmt::format("x{}", i);
  if (wabt::Failed(wabt::GenerateNames(&module))) return malformed(errors, module_name, "naming");
  (void)wabt::ApplyNames(&module);  // as wasm2c does: a name that cannot be applied is skipped

  wabt::MemoryStream c_stream;
  wabt::MemoryStream h_stream;
  wabt::WriteCOptions options;
  options.module_name = kCModuleName;
  if (wabt::Failed(wabt::WriteC(&c_stream, &h_stream, kHeaderName, &module, options))) {
    return fail(ErrorKind::internal, fmt::format("module '{}': wasm2c's C writer failed", module_name));
  }
  const auto& c_buf = c_stream.output_buffer().data;
  out.source.assign(c_buf.begin(), c_buf.end());
  out.header = module_header(h_stream.output_buffer().data);
  return {};
}

}  // namespace

const char* wabt_version() noexcept { return WABT_VERSION_STRING; }

Result<FuncType> parse_type_codes(const char* params, const char* results) {
  FuncType t;
  if (!wasmhop::detail::read_type_codes(params, t.params) || !wasmhop::detail::read_type_codes(results, t.results)) {
    return fail(ErrorKind::internal, "a reference type (funcref/externref) cannot cross wasmhop's call interface");
  }
  return t;
}

Result<Translation> translate(std::span<const std::uint8_t> wasm, std::string_view module_name,
                              std::string_view key) {
  wabt::Errors errors;
  wabt::Module module;
  if (auto st = read_module(wasm, module_name, errors, module); !st) return tl::unexpected(st.error());
  Translation out;
  const std::vector<GlueExport> glue_exports = collect_exports(module, out.exports);
  // Function imports become calls of the host's bindings; any other import cannot be provided.
  std::vector<GlueImport> glue_imports;
  if (!rename_function_imports(module, glue_imports)) {
    for (const wabt::Import* i : module.imports) out.imports.push_back(describe_import(*i));
    return out;
  }
  if (auto st = write_c(module, module_name, errors, out); !st) return tl::unexpected(st.error());
  out.source += module_glue(glue_exports, glue_imports, key);
  return out;
}

}  // namespace wasmhop::wasm2c
