// A few lines of wasm binary encoding, enough to build modules that stress engine limits
// (tests/hostile/bad_module_test.cpp) without a .wat for each size.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace wasmhop::testing::wasm {

using Bytes = std::vector<std::uint8_t>;

inline void leb(Bytes& out, std::uint64_t v) {
  do {
    std::uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}

inline void append(Bytes& out, const Bytes& more) { out.insert(out.end(), more.begin(), more.end()); }

inline void name(Bytes& out, std::string_view s) {
  leb(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

inline Bytes section(std::uint8_t id, const Bytes& payload) {
  Bytes out{id};
  leb(out, payload.size());
  append(out, payload);
  return out;
}

inline Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  for (const auto& s : sections) append(out, s);
  return out;
}

// Type section with the one type () -> i32.
inline Bytes type_void_to_i32() { return section(1, {0x01, 0x60, 0x00, 0x01, 0x7F}); }

// Function section: `n` functions of type 0.
inline Bytes functions(std::uint32_t n) {
  Bytes p;
  leb(p, n);
  for (std::uint32_t i = 0; i < n; ++i) p.push_back(0x00);
  return section(3, p);
}

// Export section: function 0 as `export_name`.
inline Bytes export_func0(std::string_view export_name) {
  Bytes p{0x01};
  name(p, export_name);
  p.push_back(0x00);
  p.push_back(0x00);
  return section(7, p);
}

// Memory section: one memory with min (and max).
inline Bytes memory(std::uint64_t min, std::int64_t max = -1) {
  Bytes p{0x01, static_cast<std::uint8_t>(max >= 0 ? 0x01 : 0x00)};
  leb(p, min);
  if (max >= 0) leb(p, static_cast<std::uint64_t>(max));
  return section(5, p);
}

// Table section: one funcref table with min entries.
inline Bytes table(std::uint64_t min) {
  Bytes p{0x01, 0x70, 0x00};
  leb(p, min);
  return section(4, p);
}

// Code section with one body: `locals` i32 locals and `code` (without the final end).
inline Bytes code(const Bytes& body_code, std::uint32_t locals = 0) {
  Bytes body;
  if (locals == 0) {
    body.push_back(0x00);
  } else {
    body.push_back(0x01);
    leb(body, locals);
    body.push_back(0x7F);
  }
  append(body, body_code);
  body.push_back(0x0B);
  Bytes p{0x01};
  leb(p, body.size());
  append(p, body);
  return section(10, p);
}

// `depth` nested (block (result i32) ...) around i32.const 7.
inline Bytes nested_blocks(std::uint32_t depth) {
  Bytes c;
  for (std::uint32_t i = 0; i < depth; ++i) c.insert(c.end(), {0x02, 0x7F});
  c.insert(c.end(), {0x41, 0x07});
  for (std::uint32_t i = 0; i < depth; ++i) c.push_back(0x0B);
  return c;
}

// A complete module exporting `f` () -> i32 returning 7 through `code`.
inline Bytes returns_seven(const Bytes& extra_before_code, const Bytes& body_code, std::uint32_t locals = 0) {
  Bytes m = module({type_void_to_i32(), functions(1)});
  append(m, extra_before_code);
  append(m, export_func0("f"));
  append(m, code(body_code, locals));
  return m;
}

}  // namespace wasmhop::testing::wasm
