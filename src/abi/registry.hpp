// Every data-passing ABI, in the order `sim` runs them and micro's sweeps record them. Each is a
// struct in src/abi/<name>.hpp with
//   info                    its names and needs (abi_info.hpp)
//   carries<Wire>           whether it can move that wire's message (wasmhop/abi/wire.hpp)
//   Binding<Wire, Cached>   bind(instance) once, then send(instance, message) -> the guest's i32
// and its guest side in guest/include/wasmhop/abi/exports/<name>.hpp. micro (src/micro) and sim
// (src/sim) run every ABI listed here that carries their wires.
//
// Adding an ABI: its two files, one line in the list below and one in
// guest/include/wasmhop/abi/exports.hpp.
#pragma once

#include <utility>

#include "abi/batch.hpp"
#include "abi/bincode.hpp"
#include "abi/canonical.hpp"
#include "abi/flatbuffers.hpp"
#include "abi/pair.hpp"
#include "abi/pod_dynamic.hpp"
#include "abi/pod_static.hpp"

namespace wasmhop::abi {

template <class... A>
struct AbiList {};

using Abis = AbiList<Pair, Bincode, PodDynamic, PodStatic, Batch, FlatBuffers, Canonical>;

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
