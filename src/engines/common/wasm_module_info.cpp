#include "engines/common/wasm_module_info.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace wasmhop::moduleinfo {
namespace {

// A bounds-checked reader over the module bytes. Every read reports failure through ok().
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> bytes) : p_(bytes.data()), end_(p_ + bytes.size()) {}

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] bool at_end() const noexcept { return p_ >= end_; }
  [[nodiscard]] std::size_t offset(const std::uint8_t* base) const noexcept {
    return static_cast<std::size_t>(p_ - base);
  }

  std::uint8_t byte() {
    if (p_ >= end_) return fail_zero();
    return *p_++;
  }

  std::uint64_t uleb(int max_bits = 32) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < max_bits + 7; shift += 7) {
      if (p_ >= end_) return fail_zero();
      const std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail_zero();
  }

  std::string name() {
    const std::uint64_t n = uleb();
    if (!ok_ || n > static_cast<std::uint64_t>(end_ - p_)) {
      fail_zero();
      return {};
    }
    std::string s(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
    p_ += n;
    return s;
  }

  // A sub-reader over the next n bytes (a section body); this reader skips past them.
  std::optional<Reader> sub(std::uint64_t n) {
    if (!ok_ || n > static_cast<std::uint64_t>(end_ - p_)) {
      fail_zero();
      return std::nullopt;
    }
    Reader r(std::span<const std::uint8_t>(p_, static_cast<std::size_t>(n)));
    p_ += n;
    return r;
  }

  void limits() {
    const std::uint8_t flags = byte();
    uleb(64);
    if (flags & 1) uleb(64);
  }

 private:
  std::uint8_t fail_zero() {
    ok_ = false;
    p_ = end_;
    return 0;
  }

  const std::uint8_t* p_;
  const std::uint8_t* end_;
  bool ok_ = true;
};

std::optional<ValType> valtype(std::uint8_t code) {
  switch (code) {
    case 0x7f: return ValType::i32;
    case 0x7e: return ValType::i64;
    case 0x7d: return ValType::f32;
    case 0x7c: return ValType::f64;
    default: return std::nullopt;
  }
}

const char* valtype_name(std::uint8_t code) {
  switch (code) {
    case 0x7b: return "v128";
    case 0x70: return "funcref";
    case 0x6f: return "externref";
    default: return "a reference or unknown type";
  }
}

struct TypeEntry {
  FuncType type;
  std::string unsupported;  // empty when every value type is one wasmhop passes
};

struct RawExport {
  std::string name;
  std::uint8_t kind;
  std::uint32_t index;
};

// What the sections say, before exports are resolved against the function index space.
struct Sections {
  std::vector<TypeEntry> types;
  std::vector<std::uint32_t> func_types;  // function index -> type index (imports first)
  std::vector<RawExport> exports;
  WasmModuleInfo info;

  // The type of function type index ti, or why wasmhop cannot call it.
  void describe(std::uint32_t ti, FuncType& type, std::string& unsupported) const {
    if (ti >= types.size()) {
      unsupported = "a type wasmhop cannot read";
      return;
    }
    type = types[ti].type;
    unsupported = types[ti].unsupported;
  }
};

void read_types(Reader& s, Sections& m) {
  const std::uint64_t n = s.uleb();
  for (std::uint64_t i = 0; i < n && s.ok(); ++i) {
    TypeEntry t;
    const std::uint8_t form = s.byte();
    if (form != 0x60) {  // not a function type (GC proposal): nothing we can call
      t.unsupported = fmt::format("type form 0x{:02x}", form);
      m.types.push_back(std::move(t));
      return;  // its layout is unknown to us: later entries cannot be located
    }
    for (std::vector<ValType>* list : {&t.type.params, &t.type.results}) {
      const std::uint64_t count = s.uleb();
      for (std::uint64_t k = 0; k < count && s.ok(); ++k) {
        const std::uint8_t code = s.byte();
        if (auto v = valtype(code)) list->push_back(*v);
        else if (t.unsupported.empty()) t.unsupported = valtype_name(code);
      }
    }
    m.types.push_back(std::move(t));
  }
}

// false: an import kind this reader does not know.
bool read_imports(Reader& s, Sections& m) {
  const std::uint64_t n = s.uleb();
  for (std::uint64_t i = 0; i < n && s.ok(); ++i) {
    std::string module = s.name();
    ImportDesc d;
    d.module = module;
    d.field = s.name();
    switch (s.byte()) {
      case 0: {
        const auto ti = static_cast<std::uint32_t>(s.uleb());
        m.func_types.push_back(ti);
        d.kind = ExportKind::function;
        m.describe(ti, d.type, d.unsupported);
        break;
      }
      case 1: s.byte(); s.limits(); d.kind = ExportKind::table; break;  // reftype, limits
      case 2: s.limits(); d.kind = ExportKind::memory; break;
      case 3: s.byte(); s.byte(); d.kind = ExportKind::global; break;   // valtype, mutability
      case 4: s.byte(); s.uleb(); d.kind = ExportKind::other; break;    // tag: attribute, type
      default: return false;
    }
    m.info.imports.push_back(std::move(d));
    auto& mods = m.info.import_modules;
    if (std::find(mods.begin(), mods.end(), module) == mods.end()) mods.push_back(std::move(module));
  }
  return true;
}

void read_exports(Reader& s, Sections& m) {
  const std::uint64_t n = s.uleb();
  for (std::uint64_t i = 0; i < n && s.ok(); ++i) {
    RawExport e;
    e.name = s.name();
    e.kind = s.byte();
    e.index = static_cast<std::uint32_t>(s.uleb());
    m.exports.push_back(std::move(e));
  }
}

// The first function export whose index is past the function index space, or null.
const RawExport* resolve_exports(Sections& m) {
  for (auto& e : m.exports) {
    ParsedExport out;
    out.desc.name = e.name;
    switch (e.kind) {
      case 0:
        out.desc.kind = ExportKind::function;
        if (e.index >= m.func_types.size()) return &e;
        m.describe(m.func_types[e.index], out.desc.type, out.unsupported);
        break;
      case 1: out.desc.kind = ExportKind::table; break;
      case 2:
        out.desc.kind = ExportKind::memory;
        if (m.info.memory_export.empty() || e.name == "memory") m.info.memory_export = e.name;
        break;
      case 3: out.desc.kind = ExportKind::global; break;
      default: out.desc.kind = ExportKind::other; break;
    }
    m.info.exports.push_back(std::move(out));
  }
  return nullptr;
}

}  // namespace

Result<WasmModuleInfo> read_module_info(std::span<const std::uint8_t> wasm, std::string_view name) {
  auto malformed = [&](std::string_view what) {
    return fail(ErrorKind::malformed_module,
                fmt::format("module '{}': cannot read its {} (V8 accepted it)", name, what));
  };
  Reader r(wasm);
  for (int i = 0; i < 8; ++i) r.byte();  // magic + version (V8 checked them)
  if (!r.ok()) return malformed("header");

  Sections m;
  while (!r.at_end()) {
    const std::uint8_t id = r.byte();
    const std::uint64_t size = r.uleb();
    auto body = r.sub(size);
    if (!body) return malformed("section headers");
    Reader& s = *body;
    switch (id) {
      case 1: read_types(s, m); break;
      case 2:
        if (!read_imports(s, m)) return malformed("import section");
        break;
      case 3: {  // function: its type indices
        const std::uint64_t n = s.uleb();
        for (std::uint64_t i = 0; i < n && s.ok(); ++i) m.func_types.push_back(static_cast<std::uint32_t>(s.uleb()));
        break;
      }
      case 7: read_exports(s, m); break;
      default: break;  // custom, table, memory, global, start, element, code, data, ...
    }
    if (!s.ok()) return malformed(fmt::format("section {}", id));
  }
  if (!r.ok()) return malformed("sections");
  if (const RawExport* bad = resolve_exports(m)) return malformed(fmt::format("export '{}'", bad->name));
  return std::move(m.info);
}

}  // namespace wasmhop::moduleinfo
