// The workload's record (kind "workload"): what the suite's gen step generated, written once by that
// step (header of records.hpp, then):
//   name, generator (the command), file, requests, objects, requested_bytes, unique_bytes,
//   sample_file, sample_requests, short_file, short_requests (the prefixes other steps run on)
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "run/records.hpp"
#include "wasmhop/result.hpp"

namespace wasmhop::run {

inline constexpr std::string_view kWorkloadKind = "workload";

struct WorkloadRecord : RecordHeader {
  std::string name, generator, file;
  std::uint64_t requests = 0, objects = 0, requested_bytes = 0, unique_bytes = 0;
  std::string sample_file;
  std::uint64_t sample_requests = 0;
  std::string short_file;
  std::uint64_t short_requests = 0;
  // Equal workloads (every field but the header): shards of one study generate the same one.
  [[nodiscard]] bool same_workload(const WorkloadRecord& o) const;
};

[[nodiscard]] nlohmann::json to_json_object(const WorkloadRecord& r);
[[nodiscard]] Result<WorkloadRecord> to_workload_record(const nlohmann::json& j);

}  // namespace wasmhop::run
