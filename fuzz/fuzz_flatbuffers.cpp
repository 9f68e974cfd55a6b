// The FlatBuffers verifier path (guest/include/wasmhop/abi/flatbuffers.hpp): read_pair, read_bytes
// and read_pair_batch on arbitrary bytes. Whatever verifies is then read completely, so a buffer
// the verifier lets through with a bad offset or length shows up as an out-of-bounds read.
#include <wasmhop/abi/flatbuffers.hpp>

#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace wasmhop;
  // FlatBuffers expects its buffers aligned as they were built (8 bytes at most).
  std::vector<std::uint64_t> aligned((size + 7) / 8 + 1);
  std::memcpy(aligned.data(), data, size);
  const void* p = aligned.data();
  volatile std::int64_t sink = 0;
  if (const auto* pair = flatbuf::read_pair(p, size)) sink = sink + pair->a() + pair->b();
  if (const auto* bytes = flatbuf::read_bytes(p, size)) {
    for (std::uint8_t b : flatbuf::payload(*bytes)) sink = sink + b;
  }
  if (const auto* batch = flatbuf::read_pair_batch(p, size)) {
    for (const auto& v : flatbuf::items(*batch)) sink = sink + v.a() + v.b();
  }
  return 0;
}
