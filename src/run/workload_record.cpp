#include "run/workload_record.hpp"

#include <tuple>

#include <fmt/format.h>

namespace wasmhop::run {

bool WorkloadRecord::same_workload(const WorkloadRecord& o) const {
  auto key = [](const WorkloadRecord& r) {
    return std::tie(r.name, r.generator, r.file, r.requests, r.objects, r.requested_bytes, r.unique_bytes,
                    r.sample_file, r.sample_requests, r.short_file, r.short_requests);
  };
  return key(*this) == key(o);
}

nlohmann::json to_json_object(const WorkloadRecord& r) {
  nlohmann::json j = nlohmann::json::object();
  put_header(j, kWorkloadKind, r);
  j.update({{"name", r.name}, {"generator", r.generator}, {"file", r.file}, {"requests", r.requests},
            {"objects", r.objects}, {"requested_bytes", r.requested_bytes}, {"unique_bytes", r.unique_bytes},
            {"sample_file", r.sample_file}, {"sample_requests", r.sample_requests}, {"short_file", r.short_file},
            {"short_requests", r.short_requests}});
  return j;
}

Result<WorkloadRecord> to_workload_record(const nlohmann::json& j) {
  if (record_kind(j) != kWorkloadKind) {
    return fail(ErrorKind::invalid_argument, fmt::format("not a workload record (kind \"{}\")", record_kind(j)));
  }
  if (auto st = check_schema(j); !st) return tl::unexpected(st.error());
  try {
    WorkloadRecord r;
    static_cast<RecordHeader&>(r) = get_header(j);
    r.name = j.at("name").get<std::string>();
    r.generator = j.at("generator").get<std::string>();
    r.file = j.at("file").get<std::string>();
    r.requests = j.at("requests").get<std::uint64_t>();
    r.objects = j.at("objects").get<std::uint64_t>();
    r.requested_bytes = j.at("requested_bytes").get<std::uint64_t>();
    r.unique_bytes = j.at("unique_bytes").get<std::uint64_t>();
    r.sample_file = j.at("sample_file").get<std::string>();
    r.sample_requests = j.at("sample_requests").get<std::uint64_t>();
    r.short_file = j.at("short_file").get<std::string>();
    r.short_requests = j.at("short_requests").get<std::uint64_t>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    return fail(ErrorKind::invalid_argument, fmt::format("workload record: {}", e.what()));
  }
}

}  // namespace wasmhop::run
