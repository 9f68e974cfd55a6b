// POD, static: the message's bytes copied into the static buffer (fetched once), whose pointer goes
// back with each call, <prefix>_pod_static(ptr, len), as in the paper (Bytemuck, static memory).
// Guest side: guest/include/wasmhop/abi/exports/pod_static.hpp.
#pragma once

#include "abi/abi_info.hpp"
#include "abi/buffers.hpp"
#include "abi/message.hpp"

namespace wasmhop::abi {

struct PodStatic {
  static constexpr AbiInfo info{.name = "pod-static", .suffix = "pod_static", .family = "pod", .memory = "static",
                                .micro_config = "",
                                .summary = "the message's bytes in the static buffer (fetched once)"};
  template <class Wire>
  static constexpr bool carries = RecordWire<Wire> || BytesWire<Wire>;

  template <class Wire, bool Cached>
  class Binding {
    using Call = Export<std::int32_t(std::int32_t, std::int32_t), Cached, ExportName<Wire, info>>;

   public:
    [[nodiscard]] Status bind(Instance& inst) {
      auto buffer = fetch_static_buffer(inst, Wire::max_bytes);
      if (!buffer) return tl::unexpected(buffer.error());
      auto call = Call::resolve(inst);
      if (!call) return tl::unexpected(call.error());
      buffer_ = *buffer;
      call_ = std::move(*call);
      return {};
    }
    [[nodiscard, gnu::always_inline]] Result<std::int32_t> send(Instance& inst, const typename Wire::Message& m) {
      const GuestSpan buffer = buffer_;  // one load: the calls below may change any memory
      if constexpr (BytesWire<Wire>) {
        if (m.size() > buffer.len) [[unlikely]] return fail(ErrorKind::invalid_argument, "message larger than the static buffer");
      }
      // A fresh view each call: the previous call may have grown (and on some engines moved) memory.
      if (auto st = write_message(inst.memory(), buffer, m); !st) [[unlikely]] return tl::unexpected(st.error());
      return call_(inst, static_cast<std::int32_t>(buffer.ptr), static_cast<std::int32_t>(pod_size(m)));
    }

   private:
    GuestSpan buffer_;
    Call call_;
  };
};

}  // namespace wasmhop::abi
