#include "abi/buffers.hpp"

namespace wasmhop::abi {

Result<GuestSpan> fetch_static_buffer(Instance& inst, std::uint64_t min_len) {
  auto packed = inst.call_by_name<std::int64_t>("static_buffer");
  if (!packed) return tl::unexpected(packed.error());
  const GuestSpan span = unpack_ptr_len(*packed);
  if (auto st = check_span(span, min_len, inst.memory(), "static_buffer"); !st) return tl::unexpected(st.error());
  return span;
}

}  // namespace wasmhop::abi
