#include "run/sim_record.hpp"

#include <fmt/format.h>

namespace wasmhop::run {

std::string SimRecord::engine_id() const {
  if (engine == "native" && direct()) return "native-direct";
  return engine;
}

std::string SimRecord::scenario() const {
  if (direct()) return "native (direct)";
  return fmt::format("{} {}", abi, cached ? "cached" : "uncached");
}

std::string SimRecord::policy_label() const {
  if (cost.empty() || cost == "-") return policy;
  return fmt::format("{}({})", policy, cost);
}

nlohmann::json to_json_object(const SimRecord& r) {
  nlohmann::json j = nlohmann::json::object();
  put_header(j, kSimKind, r);
  j.update({{"purpose", r.purpose}, {"trace", r.trace}, {"replication", r.replication}, {"policy", r.policy},
            {"cost", r.cost}, {"cache_bytes", r.cache_bytes}, {"size_change", r.size_change}, {"engine", r.engine},
            {"tier", r.tier}, {"abi", r.abi}, {"cached", r.cached}, {"requests", r.requests}, {"hits", r.hits},
            {"bytes_requested", r.bytes_requested}, {"bytes_hit", r.bytes_hit}, {"hit_rate", r.hit_rate()},
            {"byte_hit_rate", r.byte_hit_rate()}, {"setup_seconds", r.setup_s}, {"sim_seconds", r.sim_s},
            {"sim_cpu_seconds", r.sim_cpu_s}, {"simulated_requests", r.simulated_requests},
            {"requests_per_second", r.requests_per_second()}, {"trace_records", r.trace_records},
            {"trace_read_seconds", r.trace_read_s}, {"timed", r.timed}, {"warmup", r.warmup}});
  return j;
}

namespace {

// The fields of a record or a row; `whole`: every key is required (a record), else the keys a row may
// leave out take their defaults.
Result<SimRecord> parse_fields(const nlohmann::json& j, bool whole) {
  using nlohmann::json;
  auto get = [&](const char* key, auto fallback) {
    using T = decltype(fallback);
    if (whole || j.contains(key)) return j.at(key).get<T>();
    return fallback;
  };
  try {
    SimRecord r;
    r.purpose = get("purpose", std::string("time"));
    r.trace = get("trace", std::string());
    r.replication = get("replication", 0);
    r.policy = j.at("policy").get<std::string>();
    r.cost = get("cost", std::string("-"));
    r.cache_bytes = j.at("cache_bytes").get<std::uint64_t>();
    r.size_change = get("size_change", std::string("first-size"));
    r.engine = j.at("engine").get<std::string>();
    r.tier = get("tier", std::string("-"));
    r.abi = get("abi", std::string("direct"));
    r.cached = get("cached", true);
    r.requests = j.at("requests").get<std::uint64_t>();
    r.hits = j.at("hits").get<std::uint64_t>();
    r.bytes_requested = j.at("bytes_requested").get<std::uint64_t>();
    r.bytes_hit = j.at("bytes_hit").get<std::uint64_t>();
    r.simulated_requests = get("simulated_requests", r.requests);
    r.setup_s = get("setup_seconds", 0.0);
    r.sim_s = j.at("sim_seconds").get<double>();
    r.sim_cpu_s = get("sim_cpu_seconds", r.sim_s);
    r.trace_records = get("trace_records", std::uint64_t{0});
    r.trace_read_s = get("trace_read_seconds", 0.0);
    r.timed = get("timed", false);
    r.warmup = get("warmup", std::uint64_t{0});
    if (r.hits > r.requests || r.bytes_hit > r.bytes_requested) {
      return fail(ErrorKind::invalid_argument, "sim record: more hits than requests");
    }
    return r;
  } catch (const json::exception& e) {
    return fail(ErrorKind::invalid_argument, fmt::format("sim record: {}", e.what()));
  }
}

}  // namespace

Result<SimRecord> to_sim_record(const nlohmann::json& j) {
  if (record_kind(j) != kSimKind) {
    return fail(ErrorKind::invalid_argument, fmt::format("not a sim record (kind \"{}\")", record_kind(j)));
  }
  if (auto st = check_schema(j); !st) return tl::unexpected(st.error());
  auto r = parse_fields(j, true);
  if (r) static_cast<RecordHeader&>(*r) = get_header(j);
  return r;
}

Result<SimRecord> sim_record_from_row(const nlohmann::json& row) { return parse_fields(row, false); }

}  // namespace wasmhop::run
