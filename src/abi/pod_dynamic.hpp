// POD, dynamic: the message's bytes copied into a fresh alloc() buffer, which
// <prefix>_pod_dynamic(ptr, len) reads and frees (the paper's Bytemuck, dynamic memory).
// Guest side: guest/include/wasmhop/abi/exports/pod_dynamic.hpp.
#pragma once

#include "abi/abi_info.hpp"
#include "abi/buffers.hpp"
#include "abi/message.hpp"

namespace wasmhop::abi {

struct PodDynamic {
  static constexpr AbiInfo info{.name = "pod-dynamic", .suffix = "pod_dynamic", .family = "pod", .memory = "dynamic",
                                .micro_config = "",
                                .summary = "the message's bytes in a fresh alloc() buffer the guest frees"};
  template <class Wire>
  static constexpr bool carries = RecordWire<Wire> || BytesWire<Wire>;

  template <class Wire, bool Cached>
  class Binding {
   public:
    [[nodiscard]] Status bind(Instance& inst) { return buffer_.bind(inst); }
    [[nodiscard, gnu::always_inline]] Result<std::int32_t> send(Instance& inst, const typename Wire::Message& m) {
      return buffer_.call(inst, pod_size(m),
                          [&](const GuestMemory& mem, GuestSpan span) { return write_message(mem, span, m); });
    }

   private:
    FreshBuffer<Cached, ExportName<Wire, info>> buffer_;
  };
};

}  // namespace wasmhop::abi
