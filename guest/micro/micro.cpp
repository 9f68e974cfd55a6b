// The micro-benchmark script: one multiplication, reachable through every data-passing ABI, and a
// checksum of a variable-length payload through every ABI that carries bytes. The exports come
// from the ABIs' guest side (wasmhop/abi/exports.hpp); the wires are in wires.hpp.
// A malformed input traps (the host reports it), so a wrong ABI never passes silently.
#include <wasmhop/abi/exports.hpp>  // first: makes FlatBuffers assertions trap in wasm
#include <wasmhop/guest.hpp>

#include "wires.hpp"

using wasmhop::abi::Bytes;
using wasmhop::micro::ChecksumWire;
using wasmhop::micro::MulWire;
using wasmhop::micro::PairPod;

WASMHOP_BUFFER_EXPORTS()
WASMHOP_STATIC_BUFFER_EXPORT(wasmhop::micro::kStaticCapacity)

namespace {
std::int32_t mul_of(const PairPod& p) { return wasmhop::micro::mul(p.a, p.b); }
std::int32_t checksum_of(Bytes b) { return static_cast<std::int32_t>(wasmhop::micro::checksum(b.data(), b.size())); }
}  // namespace

WASMHOP_ABI_EXPORTS(record, mul, MulWire, mul_of)
WASMHOP_ABI_EXPORTS(bytes, checksum, ChecksumWire, checksum_of)
