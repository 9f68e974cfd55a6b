#include "wasmhop/values.hpp"

namespace wasmhop {

const char* to_string(ValType t) noexcept {
  switch (t) {
    case ValType::i32: return "i32";
    case ValType::i64: return "i64";
    case ValType::f32: return "f32";
    case ValType::f64: return "f64";
  }
  return "?";
}

std::string FuncType::to_string() const {
  auto list = [](const std::vector<ValType>& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i != 0) s += ", ";
      s += wasmhop::to_string(v[i]);
    }
    return s + ")";
  };
  return list(params) + " -> " + list(results);
}

}  // namespace wasmhop
