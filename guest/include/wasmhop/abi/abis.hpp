// The registry of data-passing ABIs, read by both sides: one line per ABI, in the order `sim` runs
// them and micro's sweeps record them. X(<stem>, <host struct>, ...) names
//   src/abi/<stem>.hpp                            its host side, struct wasmhop::abi::<host struct>
//   guest/include/wasmhop/abi/exports/<stem>.hpp  its guest side, WASMHOP_ABI_<stem>_record / _bytes
// The build includes both headers of every line (cmake/AbiRegistry.cmake writes the #include lists,
// which the preprocessor cannot derive), so adding an ABI is its two headers and one line here.
// X's further arguments are the caller's, passed through.
#pragma once

#define WASMHOP_ABIS(X, ...)                 \
  X(pair, Pair, __VA_ARGS__)                 \
  X(bincode, Bincode, __VA_ARGS__)           \
  X(pod_dynamic, PodDynamic, __VA_ARGS__)    \
  X(pod_static, PodStatic, __VA_ARGS__)      \
  X(batch, Batch, __VA_ARGS__)               \
  X(flatbuffers, FlatBuffers, __VA_ARGS__)   \
  X(canonical, Canonical, __VA_ARGS__)
