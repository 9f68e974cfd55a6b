// The guest side of every data-passing ABI, for scripts: one line per wire defines its exports
// through every ABI of the registry (wasmhop/abi/abis.hpp) that carries that kind of message.
//
//   std::int32_t mul_of(const PairPod& p) { return mul(p.a, p.b); }
//   WASMHOP_ABI_EXPORTS(record, mul, MulWire, mul_of)   // mul_pair, mul_bincode, mul_pod_dynamic,
//                                                       // mul_pod_static, mul_batch, mul_flatbuffers
// `handle` is a function of the message returning the i32 answer, or an expression making such a
// handler object, evaluated once per guest call (guest/policies/script.cpp: Access{policy()}).
// Scripts also define the buffer protocol's exports (WASMHOP_BUFFER_EXPORTS and
// WASMHOP_STATIC_BUFFER_EXPORT(Wire::static_capacity), wasmhop/abi/buffers.hpp).
#pragma once

#include "wasmhop/abi/flatbuffers.hpp"  // first: makes FlatBuffers assertions trap in wasm

#include "wasmhop/abi/abis.hpp"
#include "wasmhop/abi/exports/registered.hpp"  // generated: every listed ABI's exports/<stem>.hpp

// One ABI's exports of a wire: WASMHOP_ABI_<abi>_record or _bytes (empty for a kind it does not carry).
#define WASMHOP_ABI_EXPORTS_OF(abi, Host, kind, name, Wire, handle) WASMHOP_ABI_##abi##_##kind(name, Wire, handle)

#define WASMHOP_ABI_EXPORTS(kind, name, Wire, handle)                             \
  static_assert(Wire::prefix == #name, "the export prefix must be the wire's");    \
  WASMHOP_ABIS(WASMHOP_ABI_EXPORTS_OF, kind, name, Wire, handle)
