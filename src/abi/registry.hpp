// Every data-passing ABI, in the order of the registry's list (guest/include/wasmhop/abi/abis.hpp),
// as C++ types. Each is a struct in src/abi/<stem>.hpp with
//   info                    its names and needs (abi_info.hpp)
//   carries<Wire>           whether it can move that wire's message (wasmhop/abi/wire.hpp)
//   Binding<Wire, Cached>   bind(instance) once, then send(instance, message) -> the guest's i32
// and its guest side in guest/include/wasmhop/abi/exports/<stem>.hpp. micro (src/micro) and sim
// (src/sim) run every ABI listed that carries their wires. Adding an ABI: docs/abis.md.
#pragma once

#include <utility>

#include "abi/registered.hpp"  // generated: every listed ABI's src/abi/<stem>.hpp
#include "wasmhop/abi/abis.hpp"

// One line of the list as a template argument: ", Host".
#define WASMHOP_ABI_HOST_TYPE(stem, Host, ...) , Host

namespace wasmhop::abi {

template <class... A>
struct AbiList {};

namespace detail {
template <class List>
struct DropFirst;
template <class First, class... A>
struct DropFirst<AbiList<First, A...>> {
  using type = AbiList<A...>;
};
}  // namespace detail

// The list's host structs (after a leading void that takes the first comma, then dropped).
using Abis = typename detail::DropFirst<AbiList<void WASMHOP_ABIS(WASMHOP_ABI_HOST_TYPE)>>::type;

// Calls f.template operator()<A>() for every ABI A, in order.
template <class F, class... A>
constexpr void for_each_abi(AbiList<A...>, F&& f) {
  (f.template operator()<A>(), ...);
}
template <class F>
constexpr void for_each_abi(F&& f) {
  for_each_abi(Abis{}, std::forward<F>(f));
}

}  // namespace wasmhop::abi
