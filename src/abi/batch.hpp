// Batch: up to n records per call, copied as they are (POD) into the static buffer (fetched once);
// <prefix>_batch(n) answers either with the sum of the records' answers, or with n after writing
// one i32 answer per record behind the records (Wire::batch_results), which results() reads back.
// Records only. Guest side: guest/include/wasmhop/abi/exports/batch.hpp.
#pragma once

#include <span>

#include <fmt/format.h>

#include "abi/abi_info.hpp"
#include "abi/buffers.hpp"
#include "wasmhop/abi/wire.hpp"

namespace wasmhop::abi {

struct Batch {
  static constexpr AbiInfo info{.name = "batch", .suffix = "batch", .family = "batch", .memory = "static",
                                .micro_config = "batch-pod-static",
                                .summary = "up to n records per call in the static buffer",
                                .batched = true};
  template <class Wire>
  static constexpr bool carries = RecordWire<Wire>;

  template <class Wire, bool Cached>
  class Binding {
    using M = typename Wire::Message;
    using Call = Export<std::int32_t(std::int32_t), Cached, ExportName<Wire, info>>;
    static constexpr std::size_t kOut = Wire::batch_results ? sizeof(std::int32_t) : 0;

   public:
    // Room for up to max_records records per call (1 .. Wire::max_batch).
    [[nodiscard]] Status bind(Instance& inst, std::uint32_t max_records) {
      if (max_records == 0 || max_records > Wire::max_batch)
        return fail(ErrorKind::invalid_argument,
                    fmt::format("batch size {} out of range (1..{})", max_records, Wire::max_batch));
      auto buffer = fetch_static_buffer(inst, std::uint64_t{max_records} * (sizeof(M) + kOut));
      if (!buffer) return tl::unexpected(buffer.error());
      auto call = Call::resolve(inst);
      if (!call) return tl::unexpected(call.error());
      buffer_ = *buffer;
      call_ = std::move(*call);
      return {};
    }

    // One call with `records` (at most bind's max_records of them).
    [[nodiscard, gnu::always_inline]] Result<std::int32_t> send(Instance& inst, std::span<const M> records) {
      const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(records.data()),
                                                records.size_bytes());
      const std::uint32_t at = buffer_.ptr;  // one load: the calls below may change any memory
      if (auto st = inst.memory().write_bytes(at, bytes); !st) [[unlikely]] return tl::unexpected(st.error());
      return call_(inst, static_cast<std::int32_t>(records.size()));
    }

    // The n answers the last call wrote behind its n records (Wire::batch_results).
    [[nodiscard]] Result<std::span<std::uint8_t>> results(Instance& inst, std::uint32_t n) const {
      static_assert(Wire::batch_results, "this wire's batch call returns the sum of the answers");
      return inst.memory().bytes(buffer_.ptr + std::uint64_t{n} * sizeof(M), std::uint64_t{n} * sizeof(std::int32_t));
    }

   private:
    GuestSpan buffer_;
    Call call_;
  };
};

}  // namespace wasmhop::abi
