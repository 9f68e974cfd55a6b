// Stop requests: SIGINT / SIGTERM only set a flag, which the loops of micro, sim and suite poll (a
// child is then stopped on purpose, records of finished steps stay valid, and the command says how
// to --resume). The one place wasmhop handles signals.
#pragma once

#include <atomic>

namespace wasmhop::run {

// Installs SIGINT/SIGTERM handlers that record the signal (no SA_RESTART). Idempotent.
void install_stop_handlers();
// The signal received since install_stop_handlers (0 = none).
[[nodiscard]] int stop_requested() noexcept;
// The flag itself (for loops that take a pointer, e.g. sim::SweepOptions::stop).
[[nodiscard]] const std::atomic<int>& stop_flag() noexcept;
// For tests: forget a received signal.
void clear_stop_request() noexcept;
// "SIGINT", "SIGTERM" or "signal N".
[[nodiscard]] const char* signal_name(int sig) noexcept;

}  // namespace wasmhop::run
