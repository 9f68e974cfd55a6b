// What `wasmhop bench` measures and how long, shared by the parent and its per-engine children.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace wasmhop::cli::bench {

struct MeasureSettings {
  double batch_ms = 20;     // calibration target of one timed batch of N calls
  int reps = 21;            // timed batches per engine (the median's CI needs >= 6 for 95 %)
  double max_time_s = 3;    // cap of one engine's timed batches: fewer reps when calls are slow
};

// One engine's measurement, as the parent asks a child for it.
struct ChildRequest {
  std::string engine;
  std::filesystem::path module;
  std::string export_name;
  std::vector<std::string> args;
  MeasureSettings settings;
};

}  // namespace wasmhop::cli::bench
