#include "suite/progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace wasmhop::suite {
namespace {

double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string describe(const Step& s) {
  switch (s.kind) {
    case StepKind::gen: return "generating the workload (ProWGen, paper preset)";
    case StepKind::micro: return fmt::format("micro-benchmark, {} host, engine {}", s.build, s.engine);
    case StepKind::sim_time:
      return fmt::format("simulator timings, {} host, {}, replication {}", s.build, s.engine, s.replication);
    case StepKind::sim_sweep:
      return fmt::format("hit-rate sweep on the {}", s.trace == "paper-trace" ? "paper's trace" : "workload");
    case StepKind::sim_check: return fmt::format("engine check: {} reproduces the native counts", s.engine);
  }
  return s.id;
}

}  // namespace

std::string hms(double s) {
  if (!(s >= 0)) s = 0;
  const auto t = static_cast<long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02}m{:02}s", t / 3600, (t / 60) % 60, t % 60);
  return fmt::format("{}m{:02}s", t / 60, t % 60);
}

Progress::Progress(Output& out, const std::vector<const Step*>& steps, const std::vector<bool>& done)
    : out_(out), tty_(isatty(fileno(out.f)) != 0), t0_(Clock::now()) {
  total_ = steps.size();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (done[i]) {
      ++done_;
    } else {
      remaining_expected_ += steps[i]->expected_s;
    }
  }
}

void Progress::start(const Step& s) {
  current_ = &s;
  last_line_ = Clock::now();
  if (!tty_) {
    out_.say("[{:>3}/{}] {} elapsed, ~{} left | {}\n", done_ + 1, total_, hms(since(t0_)), hms(eta(0)), describe(s));
  } else {
    status(0);
  }
}

void Progress::tick(double step_elapsed) {
  if (tty_) {
    status(step_elapsed);
  } else if (since(last_line_) >= 30) {
    last_line_ = Clock::now();
    out_.say("          ... {} running for {} (expected ~{}), ~{} left\n", current_->id, hms(step_elapsed),
             hms(current_->expected_s * factor()), hms(eta(step_elapsed)));
  }
}

void Progress::finish(const Step& s, bool ok, double wall, const std::string& note, const char* word) {
  if (ok) {
    ++done_;
    done_actual_ += wall;
    done_expected_ += s.expected_s;
  }
  remaining_expected_ = std::max(0.0, remaining_expected_ - s.expected_s);
  if (tty_) out_.say("\r\033[K");
  out_.say("[{:>3}/{}] {} {} in {}{}\n", done_, total_, word ? word : (ok ? "done  " : "FAILED"), s.id, hms(wall),
           note.empty() ? "" : " (" + note + ")");
}

double Progress::factor() const {
  if (done_expected_ < 5) return 1.0;
  return std::clamp(done_actual_ / done_expected_, 0.25, 4.0);
}

double Progress::eta(double step_elapsed) const {
  return std::max(0.0, remaining_expected_ * factor() - step_elapsed) + 15.0;  // + the report
}

void Progress::status(double step_elapsed) {
  out_.say("\r\033[K[{:>3}/{}] {} elapsed, ~{} left | {} ({})", done_ + 1, total_, hms(since(t0_)),
           hms(eta(step_elapsed)), describe(*current_), hms(step_elapsed));
}

}  // namespace wasmhop::suite
