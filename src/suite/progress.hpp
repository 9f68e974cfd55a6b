// The suite's progress on the terminal: one line per step, "[done/total] elapsed, ~time left | what
// runs now" (updated in place on a terminal, a heartbeat every 30 s otherwise). The time left is the
// plan's cost model rescaled by how fast the finished steps ran compared with it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "suite/output.hpp"
#include "suite/plan.hpp"

namespace wasmhop::suite {

class Progress {
 public:
  // `steps`: the steps this session is responsible for; `done` of them already complete.
  Progress(Output& out, const std::vector<const Step*>& steps, const std::vector<bool>& done);

  void start(const Step& s);
  void tick(double step_elapsed);
  void finish(const Step& s, bool ok, double wall, const std::string& note, const char* word = nullptr);

 private:
  using Clock = std::chrono::steady_clock;
  [[nodiscard]] double factor() const;
  [[nodiscard]] double eta(double step_elapsed) const;
  void status(double step_elapsed);

  Output& out_;
  bool tty_;
  Clock::time_point t0_;
  Clock::time_point last_line_;
  std::size_t total_ = 0, done_ = 0;
  double remaining_expected_ = 0, done_actual_ = 0, done_expected_ = 0;
  const Step* current_ = nullptr;
};

}  // namespace wasmhop::suite
