// The guest side of every data-passing ABI, for scripts: one line per wire defines its exports
// through every ABI that carries that kind of message (record or bytes).
//
//   std::int32_t mul_of(const PairPod& p) { return mul(p.a, p.b); }
//   WASMHOP_ABI_EXPORTS(record, mul, MulWire, mul_of)   // mul_pair, mul_bincode, mul_pod_dynamic,
//                                                       // mul_pod_static, mul_batch, mul_flatbuffers
// Scripts also define the buffer protocol's exports (WASMHOP_BUFFER_EXPORTS and
// WASMHOP_STATIC_BUFFER_EXPORT(Wire::static_capacity), wasmhop/abi/buffers.hpp).
//
// Adding an ABI: its header in exports/ (defining WASMHOP_ABI_<name>_record and _bytes, empty for a
// kind it does not carry) and one line below; its host side is src/abi/<name>.hpp, listed in
// src/abi/registry.hpp.
#pragma once

#include "wasmhop/abi/exports/flatbuffers.hpp"  // first: makes FlatBuffers assertions trap in wasm
#include "wasmhop/abi/exports/batch.hpp"
#include "wasmhop/abi/exports/bincode.hpp"
#include "wasmhop/abi/exports/pair.hpp"
#include "wasmhop/abi/exports/pod_dynamic.hpp"
#include "wasmhop/abi/exports/pod_static.hpp"

#define WASMHOP_ABI_EXPORTS(kind, stem, Wire, handle)                                           \
  static_assert(Wire::prefix == #stem, "the export prefix must be the wire's");                    \
  WASMHOP_ABI_pair_##kind(stem, Wire, handle)                                                   \
  WASMHOP_ABI_bincode_##kind(stem, Wire, handle)                                                \
  WASMHOP_ABI_pod_dynamic_##kind(stem, Wire, handle)                                            \
  WASMHOP_ABI_pod_static_##kind(stem, Wire, handle)                                             \
  WASMHOP_ABI_batch_##kind(stem, Wire, handle)                                                  \
  WASMHOP_ABI_flatbuffers_##kind(stem, Wire, handle)
