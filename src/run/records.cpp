#include "run/records.hpp"

#include <fmt/format.h>

#include "run/jsonl.hpp"

namespace wasmhop::run {
namespace {

std::string str_or_empty(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

const char* host_build() noexcept { return WASMHOP_HOST_BUILD; }

RecordHeader make_header(std::string run_id, std::string step) {
  return {std::move(run_id), std::move(step), utc_timestamp_now(), host_build()};
}

void put_header(nlohmann::json& j, std::string_view kind, const RecordHeader& h) {
  j["kind"] = kind;
  j["schema"] = kRecordSchema;
  j["run_id"] = h.run_id;
  j["step"] = h.step;
  j["timestamp"] = h.timestamp;
  j["host_build"] = h.host_build;
}

RecordHeader get_header(const nlohmann::json& j) {
  return {str_or_empty(j, "run_id"), str_or_empty(j, "step"), str_or_empty(j, "timestamp"),
          str_or_empty(j, "host_build")};
}

std::string record_kind(const nlohmann::json& j) { return str_or_empty(j, "kind"); }

Status check_schema(const nlohmann::json& j) {
  auto it = j.find("schema");
  if (it != j.end() && it->is_number_integer() && it->get<long long>() == kRecordSchema) return {};
  const std::string has = it == j.end() ? std::string("no schema version")
                                        : fmt::format("record schema {}", it->dump());
  return fail(ErrorKind::invalid_argument,
              fmt::format("{} (this wasmhop reads record schema {} only: rerun the study, or report it with the "
                          "wasmhop that wrote it)", has, kRecordSchema));
}

}  // namespace wasmhop::run
