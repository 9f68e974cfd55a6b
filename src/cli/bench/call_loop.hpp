// The timed loop of `wasmhop bench`: one export called N times with the same arguments through the
// cheapest path the engine offers (its direct entry when it has one, else the packed call), every
// result folded into a checksum and compared with the first call's, so no call is dead code and a
// stateful export is noticed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "wasmhop/func.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop::cli::bench {

struct Batch {
  double seconds = 0;
  std::int64_t calls_done = 0;        // == calls asked for unless a call trapped
  TrapKind trap = TrapKind::none;     // the trap that ended the batch
  std::uint64_t checksum = 0;         // every result's bits, folded
  std::int64_t differing = 0;         // calls whose results differ from the first call's (bitwise)
};

class CallLoop {
 public:
  // `expected`: the first call's results (bits, each type's width).
  CallLoop(const Func& f, std::vector<RawVal> args, std::vector<std::uint64_t> expected);

  [[nodiscard]] Batch run(std::int64_t calls) const;
  [[nodiscard]] bool direct() const noexcept { return direct_; }

 private:
  Func f_;
  std::vector<RawVal> args_;
  std::vector<std::uint64_t> args_bits_;  // the direct entry's arguments
  std::vector<std::uint64_t> expected_;
  std::vector<std::uint64_t> masks_;      // each result's width
  bool direct_ = false;
};

// One call through the packed convention, timed: the first call of a fresh instance (lazy
// compilation, first-touch page faults). `results` gets each result's bits.
struct FirstCall {
  double seconds = 0;
  TrapKind trap = TrapKind::none;
  std::vector<std::uint64_t> results;
};
[[nodiscard]] FirstCall first_call(const Func& f, std::span<const RawVal> args);

// How many calls make a batch last about `target_s`: doubles from 1 (at least, up to 100x at a
// time) until a batch takes half the target. These batches also warm the engine up. A trap stops it
// (returned in the Batch); otherwise the Batch is the last calibration run.
struct Calibration {
  std::int64_t calls = 1;
  Batch last;
};
[[nodiscard]] Calibration calibrate(const CallLoop& loop, double target_s);

}  // namespace wasmhop::cli::bench
