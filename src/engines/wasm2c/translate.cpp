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

#include "engines/wasm2c/c_types.hpp"
#include "engines/wasm2c/import_glue.hpp"

namespace wasmhop::wasm2c {
namespace {


// The C writer's module name: every generated symbol starts with Z_m (Z_m_instantiate, ...).
constexpr const char* kCModuleName = "m";

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

// A C string literal for arbitrary bytes (octal escapes: never ambiguous, never a trigraph).
std::string c_literal(std::string_view bytes) {
  std::string out = "\"";
  for (const char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' ||
        b == '.' || b == '-' || b == ' ') {
      out += ch;
    } else {
      out += fmt::format("\\{:03o}", b);
    }
  }
  return out + "\"";
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

struct GlueExport {
  std::string name;
  char kind;
  std::string params, results;
  bool callable = false;
};

// At most this many parameters (and one result) get a direct entry: the host's kDirectMaxParams.
constexpr std::size_t kDirectMaxParams = 4;

// The direct entry of export i (x86-64; Func::direct with scoped_direct, w2c_abi.h): a body that
// calls wasm2c's export with the arguments in registers, its per-call guard, and the entry that
// picks one of the two by the host's innermost trap frame.
std::string direct_entry(std::size_t i, const std::string& symbol, const std::string& params,
                         const std::string& results) {
  std::string decl = "void* instance";
  std::string pass = "instance";
  std::string args = fmt::format("(Z_{}_instance_t*)instance", kCModuleName);
  for (std::size_t p = 0; p < params.size(); ++p) {
    decl += fmt::format(", uint64_t a{}", p);
    pass += fmt::format(", a{}", p);
    args += fmt::format(", wasmhop_w2c_arg_{}(a{})", slot_field(params[p]), p);
  }
  std::string g = "#if defined(__x86_64__)\n";
  g += fmt::format("__attribute__((used)) static wasmhop_w2c_direct_result wasmhop_body_{}({}) {{\n", i, decl);
  if (kCountCallDepth) g += "  WASMHOP_W2C_HEADER(instance)->call_depth = 0; /* an entry from the host */\n";
  g += "  wasmhop_w2c_direct_result r = {0, 0};\n";
  if (results.empty()) {
    g += fmt::format("  {}({});\n", symbol, args);
  } else {
    g += fmt::format("  r.value = wasmhop_w2c_bits_{}({}({}));\n", slot_field(results[0]), symbol, args);
  }
  g += "  return r;\n}\n";
  g += fmt::format("__attribute__((visibility(\"hidden\"))) wasmhop_w2c_direct_result wasmhop_guarded_{}({});\n", i, decl);
  g += fmt::format("WASMHOP_GUARDED_DIRECT(wasmhop_guarded_{0}, wasmhop_body_{0})\n", i);
  // A sibling call into the guard, although the object is built without them (compiler.hpp).
  g += fmt::format("__attribute__((optimize(\"optimize-sibling-calls\"))) static wasmhop_w2c_direct_result "
                   "wasmhop_direct_{}({}) {{\n", i, decl);
  g += fmt::format("  if (__builtin_expect(wasmhop_w2c_in_scope(), 1)) return wasmhop_body_{}({});\n", i, pass);
  g += fmt::format("  return wasmhop_guarded_{}({});\n}}\n#endif\n", i, pass);
  return g;
}

// The packed wrapper of export i (Func::call's convention: arguments and results in an io array)
// and its guarded entry: unpack io, call wasm2c's export, store its results.
std::string packed_entry(std::size_t i, const std::string& symbol, const GlueExport& e) {
  std::string args = fmt::format("(Z_{}_instance_t*)instance", kCModuleName);
  for (std::size_t p = 0; p < e.params.size(); ++p) {
    args += fmt::format(", ({})io[{}].{}", c_type(e.params[p]), p, slot_field(e.params[p]));
  }
  std::string body;
  if (e.results.empty()) {
    body = fmt::format("{}({});", symbol, args);
  } else if (e.results.size() == 1) {
    body = fmt::format("io[0].{} = ({}){}({});", slot_field(e.results[0]), slot_type(e.results[0]), symbol, args);
  } else {
    std::string multi = "wasm_multi_";
    for (const char c : e.results) multi += multi_code(c);
    body = fmt::format("struct {} r = {}({});", multi, symbol, args);
    for (std::size_t r = 0; r < e.results.size(); ++r) {
      body += fmt::format(" io[{}].{} = ({})r.{}{};", r, slot_field(e.results[r]), slot_type(e.results[r]),
                          multi_code(e.results[r]), r);
    }
  }
  std::string g = fmt::format("__attribute__((used)) static void wasmhop_packed_{}(void* instance, void* io_) {{\n", i);
  g += "  wasmhop_w2c_val* io = (wasmhop_w2c_val*)io_;\n";
  if (kCountCallDepth) g += "  WASMHOP_W2C_HEADER(instance)->call_depth = 0; /* an entry from the host */\n";
  g += fmt::format("  {}\n}}\n", body);
  g += fmt::format("#if defined(__x86_64__)\nWASMHOP_GUARDED_ENTRY(wasmhop_call_{0}, wasmhop_packed_{0})\n#endif\n", i);
  return g;
}

// The glue: packed wrappers, guarded and direct entries of the exports, the import functions,
// the module's description and its attach entry.
std::string glue(const std::vector<GlueExport>& exports, const std::vector<GlueImport>& imports,
                 std::string_view key) {
  std::string g;
  g += "\n/* ---- wasmhop: runtime shim and glue (generated) ---- */\n";
  g += "#include \"wasmhop_w2c_shim.c\"\n\n";
  g += "#if defined(__x86_64__)\n#define WASMHOP_GUARDED(f) f\n#define WASMHOP_DIRECT(f) (wasmhop_w2c_direct_fn)f\n"
       "#else\n#define WASMHOP_GUARDED(f) NULL\n#define WASMHOP_DIRECT(f) NULL\n#endif\n\n";
  std::string table;
  int memory_export = -1;
  for (std::size_t i = 0; i < exports.size(); ++i) {
    const GlueExport& e = exports[i];
    const std::string symbol = fmt::format("Z_{}Z_x{}", kCModuleName, i);
    std::string packed = "NULL";
    std::string guarded = "NULL";
    std::string direct = "NULL";
    if (e.kind == 'f' && e.callable) {
      packed = fmt::format("wasmhop_packed_{}", i);
      guarded = fmt::format("WASMHOP_GUARDED(wasmhop_call_{})", i);
      g += packed_entry(i, symbol, e);
      if (e.params.size() <= kDirectMaxParams && e.results.size() <= 1) {
        direct = fmt::format("WASMHOP_DIRECT(wasmhop_direct_{})", i);
        g += direct_entry(i, symbol, e.params, e.results);
      }
    }
    if (e.kind == 'm' && memory_export < 0) memory_export = static_cast<int>(i);
    table += fmt::format("  {{{}, {}u, '{}', {}, {}, {}, \"{}\", {}, {}}},\n", c_literal(e.name), e.name.size(),
                         e.kind, c_literal(e.params), c_literal(e.results), packed, symbol, guarded, direct);
  }
  if (!exports.empty()) {
    g += fmt::format("\nstatic const wasmhop_w2c_export wasmhop_exports[{}] = {{\n{}}};\n",
                     exports.size(), table);
  }
  g += import_glue(imports);
  // With imports, Z_m_instantiate takes the imported module's instance: the header's imports.
  const std::string import_arg =
      imports.empty() ? std::string()
                      : fmt::format(", (struct Z_{}_instance_t*)(void*)WASMHOP_W2C_HEADER(instance)->imports",
                                    kImportModule);
  g += fmt::format(
      "\nstatic void wasmhop_instantiate(void* instance) {{ Z_{0}_instantiate((Z_{0}_instance_t*)instance{1}); }}\n"
      "static void wasmhop_free_instance(void* instance) {{ Z_{0}_free((Z_{0}_instance_t*)instance); }}\n",
      kCModuleName, import_arg);
  if (memory_export >= 0) {
    g += fmt::format(
        "static void* wasmhop_exported_memory(void* instance) {{ return Z_{0}Z_x{1}((Z_{0}_instance_t*)instance); }}\n",
        kCModuleName, memory_export);
  } else {
    g += "static void* wasmhop_exported_memory(void* instance) { (void)instance; return NULL; }\n";
  }
  g += fmt::format(
      "\nstatic const wasmhop_w2c_module_desc wasmhop_desc = {{\n"
      "  WASMHOP_W2C_ABI_VERSION, {}, sizeof(wasmhop_w2c_instance_header) + sizeof(Z_{}_instance_t),\n"
      "  sizeof(wasmhop_w2c_instance_header), {}u, {}u, {}, {}u,\n"
      "  wasmhop_instantiate, wasmhop_free_instance, wasmhop_exported_memory}};\n\n"
      "__attribute__((visibility(\"default\"))) const wasmhop_w2c_module_desc* wasmhop_w2c_attach(\n"
      "    const wasmhop_w2c_host* host) {{\n"
      "  return wasmhop_w2c_shim_attach(host, &wasmhop_desc, Z_{}_init_module);\n"
      "}}\n",
      c_literal(key), kCModuleName, kCountCallDepth ? kMaxCallDepth : 0u, exports.size(),
      exports.empty() ? "NULL" : "wasmhop_exports", imports.size(),
      kCModuleName);
  return g;
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

}  // namespace

const char* wabt_version() noexcept { return WABT_VERSION_STRING; }

Result<FuncType> parse_type_codes(const char* params, const char* results) {
  FuncType t;
  auto parse = [](const char* codes, std::vector<ValType>& out) {
    for (const char* c = codes; *c != '\0'; ++c) {
      switch (*c) {
        case 'i': out.push_back(ValType::i32); break;
        case 'I': out.push_back(ValType::i64); break;
        case 'f': out.push_back(ValType::f32); break;
        case 'F': out.push_back(ValType::f64); break;
        default: return false;
      }
    }
    return true;
  };
  if (!parse(params, t.params) || !parse(results, t.results)) {
    return fail(ErrorKind::internal, "a reference type (funcref/externref) cannot cross wasmhop's call interface");
  }
  return t;
}

Result<Translation> translate(std::span<const std::uint8_t> wasm, std::string_view module_name,
                              std::string_view key) {
  const std::string filename = fmt::format("{}.wasm", module_name);
  wabt::Errors errors;
  wabt::Module module;
  const wabt::Features feats = features();
  const wabt::ReadBinaryOptions read_options(feats, nullptr, /*read_debug_names=*/false,
                                             /*stop_on_first_error=*/true,
                                             /*fail_on_custom_section_error=*/false);
  auto malformed = [&](std::string_view stage) {
    std::string text = wabt::FormatErrorsToString(errors, wabt::Location::Type::Binary);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.empty()) text = "unknown error";
    return fail(ErrorKind::malformed_module,
                fmt::format("module '{}': {}: {}", module_name, stage, text));
  };
  if (wasm.empty()) {
    return fail(ErrorKind::malformed_module, fmt::format("module '{}': empty input (0 bytes)", module_name));
  }
  // wabt 1.0.32's IR reader fails an assertion, aborting the process, on some malformed modules
  // its interpreter's reader rejects (fuzz_module_wasm2c: `nop` in a global's initializer in a C++
  // guest; Debian's wasm-validate aborts on it too). That reader decodes first; SIMD is allowed
  // there so that SIMD modules still get the message below.
  {
    wabt::Features any_simd = feats;
    any_simd.enable_simd();
    const wabt::ReadBinaryOptions check_options(any_simd, nullptr, false, true, false);
    wabt::interp::ModuleDesc desc;
    if (wabt::Failed(wabt::interp::ReadBinaryInterp(filename, wasm.data(), wasm.size(), check_options, &errors,
                                                    &desc))) {
      return malformed("not a valid WebAssembly binary");
    }
  }
  if (wabt::Failed(wabt::ReadBinaryIr(filename.c_str(), wasm.data(), wasm.size(), read_options,
                                      &errors, &module))) {
    // Valid wasm that only the missing SIMD support rejects deserves its own message.
    wabt::Features with_simd = feats;
    with_simd.enable_simd();
    wabt::Errors simd_errors;
    wabt::Module simd_module;
    const wabt::ReadBinaryOptions simd_options(with_simd, nullptr, false, true, false);
    if (wabt::Succeeded(wabt::ReadBinaryIr(filename.c_str(), wasm.data(), wasm.size(), simd_options,
                                           &simd_errors, &simd_module))) {
      return fail(ErrorKind::malformed_module,
                  fmt::format("module '{}': uses SIMD (v128), which wasm2c in wabt {} cannot translate "
                              "(the other engines run it)",
                              module_name, WABT_VERSION_STRING));
    }
    return malformed("not a valid WebAssembly binary");
  }
  if (wabt::Failed(wabt::ValidateModule(&module, &errors, wabt::ValidateOptions(feats)))) {
    return malformed("invalid module");
  }

  Translation out;
  std::vector<GlueExport> glue_exports;
  for (const wabt::Export* e : module.exports) {
    GlueExport g;
    g.name = e->name;
    ExportDesc d;
    d.name = e->name;
    switch (e->kind) {
      case wabt::ExternalKind::Func: {
        g.kind = 'f';
        const wabt::Func* f = module.GetFunc(e->var);
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
    glue_exports.push_back(std::move(g));
    out.exports.push_back(std::move(d));
  }
  // Function imports become calls of the host's bindings; any other import cannot be provided.
  std::vector<GlueImport> glue_imports;
  if (!rename_function_imports(module, glue_imports)) {
    for (const wabt::Import* i : module.imports) out.imports.push_back(describe_import(*i));
    return out;
  }

  // Generated names come from the exports: rename them x0, x1, ... (in order) so that every C
  // symbol is predictable (Z_mZ_x3) whatever bytes the real names contain. The real names live
  // in the glue's export table.
  for (std::size_t i = 0; i < module.exports.size(); ++i) module.exports[i]->name = fmt::format("x{}", i);
  if (wabt::Failed(wabt::GenerateNames(&module))) return malformed("naming");
  (void)wabt::ApplyNames(&module);  // as wasm2c does: a name that cannot be applied is skipped

  wabt::MemoryStream c_stream;
  wabt::MemoryStream h_stream;
  wabt::WriteCOptions options;
  options.module_name = kCModuleName;
  if (wabt::Failed(wabt::WriteC(&c_stream, &h_stream, kHeaderName, &module, options))) {
    return fail(ErrorKind::internal, fmt::format("module '{}': wasm2c's C writer failed", module_name));
  }
  const auto& c_buf = c_stream.output_buffer().data;
  const auto& h_buf = h_stream.output_buffer().data;
  out.source.assign(c_buf.begin(), c_buf.end());
  out.source += glue(glue_exports, glue_imports, key);
  // The header: the runtime first (hidden, with everything else: -fvisibility=hidden), then
  // wasm2c's declarations with default visibility, so that Z_m* stay wasm2c's public API
  // (dlsym-able: the raw benchmark calls them).
  if (kCountCallDepth) {
    // wasm2c's depth counting (FUNC_PROLOGUE/EPILOGUE around every function), redirected from
    // wasm-rt's one process-wide counter to a per-instance one: every generated function has its
    // instance in a parameter named `instance`, and the counter sits in the header before it.
    out.header = fmt::format("#define WASM_RT_USE_STACK_DEPTH_COUNT 1\n#define WASM_RT_MAX_CALL_STACK_DEPTH {}\n",
                             kMaxCallDepth);
  } else {
    out.header = "#define WASM_RT_USE_STACK_DEPTH_COUNT 0\n";
  }
  out.header += "#include \"wasm-rt.h\"\n#include \"wasmhop_w2c_abi.h\"\n"
                "#define WASMHOP_W2C_HEADER(instance) (((wasmhop_w2c_instance_header*)(void*)(instance)) - 1)\n";
  if (kCountCallDepth) out.header += "#define wasm_rt_call_stack_depth (WASMHOP_W2C_HEADER(instance)->call_depth)\n";
  out.header += "#pragma GCC visibility push(default)\n";
  out.header.append(h_buf.begin(), h_buf.end());
  out.header += "#pragma GCC visibility pop\n";
  return out;
}

}  // namespace wasmhop::wasm2c
