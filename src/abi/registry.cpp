#include "abi/registry.hpp"

#include <vector>

#include <fmt/format.h>

namespace wasmhop::abi {

std::span<const AbiInfo* const> abi_infos() {
  static const std::vector<const AbiInfo*> infos = [] {
    std::vector<const AbiInfo*> v;
    for_each_abi([&]<class A>() { v.push_back(&A::info); });
    return v;
  }();
  return infos;
}

const AbiInfo* find_abi(std::string_view name) {
  for (const AbiInfo* a : abi_infos())
    if (a->name == name) return a;
  return nullptr;
}

std::string abi_names() {
  std::string out;
  for (const AbiInfo* a : abi_infos()) out += fmt::format("{}{}", out.empty() ? "" : ", ", a->name);
  return out;
}

}  // namespace wasmhop::abi
