#include "run/micro_record.hpp"

#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

namespace wasmhop::run {

using nlohmann::json;

namespace {

// The keys MicroRecord maps to members; anything else goes to `extra`.
constexpr std::string_view kKnownKeys[] = {
    "kind",       "schema",      "run_id",       "step",      "timestamp",   "experiment",  "engine",
    "engine_name", "engine_version", "tier",     "host_build", "config",     "config_index", "abi",
    "cached",     "loading",     "srs",          "memory",    "replication", "calls",       "loop_s",
    "compile_s",  "instantiate_s", "ns_per_call", "checksum", "batch_size",  "payload_bytes"};

bool is_known_key(std::string_view key) {
  for (auto k : kKnownKeys)
    if (k == key) return true;
  return false;
}

// Reads an optional member with a type check; `required` turns absence into an error.
class Fields {
 public:
  explicit Fields(const json& j) : j_(j) {}

  const std::string& error() const { return error_; }
  bool ok() const { return error_.empty(); }

  void str(std::string_view key, std::string& out, bool required = false) {
    const json* v = find(key, required);
    if (!v) return;
    if (!v->is_string()) return type_error(key, "a string", *v);
    out = v->get<std::string>();
  }
  void boolean(std::string_view key, bool& out) {
    const json* v = find(key, false);
    if (!v) return;
    if (!v->is_boolean()) return type_error(key, "a boolean", *v);
    out = v->get<bool>();
  }
  void opt_boolean(std::string_view key, std::optional<bool>& out) {
    const json* v = find(key, false);
    if (!v || v->is_null()) return;
    if (!v->is_boolean()) return type_error(key, "a boolean", *v);
    out = v->get<bool>();
  }
  template <class Int>
  void integer(std::string_view key, Int& out, bool required = false) {
    const json* v = find(key, required);
    if (!v) return;
    if (!v->is_number_integer()) return type_error(key, "an integer", *v);
    if constexpr (std::is_unsigned_v<Int>) {
      if (v->is_number_unsigned()) {
        auto u = v->get<std::uint64_t>();
        if (u > std::numeric_limits<Int>::max()) return range_error(key);
        out = static_cast<Int>(u);
      } else {
        auto s = v->get<std::int64_t>();
        if (s < 0 || static_cast<std::uint64_t>(s) > std::numeric_limits<Int>::max()) return range_error(key);
        out = static_cast<Int>(s);
      }
    } else {
      auto s = v->get<std::int64_t>();
      if (s < std::numeric_limits<Int>::min() || s > std::numeric_limits<Int>::max()) return range_error(key);
      out = static_cast<Int>(s);
    }
  }
  template <class Int>
  void opt_integer(std::string_view key, std::optional<Int>& out) {
    const json* v = find(key, false);
    if (!v || v->is_null()) return;
    Int value = 0;
    integer(key, value);
    if (ok()) out = value;
  }
  void number(std::string_view key, double& out, bool required = false) {
    const json* v = find(key, required);
    if (!v) return;
    if (!v->is_number()) return type_error(key, "a number", *v);
    out = v->get<double>();
  }
  bool has(std::string_view key) const { return j_.contains(key); }

 private:
  const json* find(std::string_view key, bool required) {
    if (!ok()) return nullptr;
    auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) error_ = fmt::format("missing key \"{}\"", key);
      return nullptr;
    }
    return &*it;
  }
  void type_error(std::string_view key, std::string_view want, const json& got) {
    error_ = fmt::format("key \"{}\" must be {}, got {}", key, want, got.type_name());
  }
  void range_error(std::string_view key) { error_ = fmt::format("key \"{}\" is out of range", key); }

  const json& j_;
  std::string error_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// MicroRecord

double ns_per_call(double loop_s, std::uint64_t calls) noexcept {
  return calls == 0 ? 0.0 : loop_s * 1e9 / static_cast<double>(calls);
}

void MicroRecord::set_loop(double seconds) noexcept {
  loop_s = seconds;
  ns_per_call = run::ns_per_call(seconds, calls);
}

Status validate(const MicroRecord& r) {
  auto bad = [&](std::string what) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("micro record (engine \"{}\", config \"{}\", replication {}): {}", r.engine, r.config,
                            r.replication, what));
  };
  if (r.step.empty()) return bad("step is empty");
  if (r.experiment.empty()) return bad("experiment is empty");
  if (r.engine.empty()) return bad("engine is empty");
  if (r.config.empty()) return bad("config is empty");
  if (r.host_build != "debug" && r.host_build != "release")
    return bad(fmt::format("host_build must be \"debug\" or \"release\", got \"{}\"", r.host_build));
  if (r.calls == 0) return bad("calls must be > 0");
  for (auto [name, v] : {std::pair{"loop_s", r.loop_s}, std::pair{"compile_s", r.compile_s},
                         std::pair{"instantiate_s", r.instantiate_s}, std::pair{"ns_per_call", r.ns_per_call}}) {
    if (!std::isfinite(v) || v < 0) return bad(fmt::format("{} must be finite and >= 0, got {}", name, v));
  }
  if (r.batch_size && *r.batch_size == 0) return bad("batch_size must be > 0");
  if (r.payload_bytes && *r.payload_bytes == 0) return bad("payload_bytes must be > 0");
  const double expect = ns_per_call(r.loop_s, r.calls);
  if (std::abs(r.ns_per_call - expect) > 1e-9 * std::max(1.0, std::abs(expect)))
    return bad(fmt::format("ns_per_call {} != loop_s * 1e9 / calls = {} (use set_loop)", r.ns_per_call, expect));
  if (!r.extra.is_null() && !r.extra.is_object()) return bad("extra must be a JSON object");
  return {};
}

json to_json_object(const MicroRecord& r) {
  json j = json::object();
  if (r.extra.is_object())
    for (auto it = r.extra.begin(); it != r.extra.end(); ++it)
      if (!is_known_key(it.key())) j[it.key()] = it.value();
  put_header(j, kMicroKind, r);
  j["experiment"] = r.experiment;
  j["engine"] = r.engine;
  j["engine_name"] = r.engine_name;
  j["engine_version"] = r.engine_version;
  j["tier"] = r.tier;
  j["config"] = r.config;
  j["config_index"] = r.config_index;
  j["abi"] = r.abi;
  j["cached"] = r.cached;
  j["loading"] = r.loading;
  if (r.srs) j["srs"] = *r.srs;
  j["memory"] = r.memory;
  j["replication"] = r.replication;
  j["calls"] = r.calls;
  j["loop_s"] = r.loop_s;
  j["compile_s"] = r.compile_s;
  j["instantiate_s"] = r.instantiate_s;
  j["ns_per_call"] = r.ns_per_call;
  if (r.checksum) j["checksum"] = *r.checksum;
  if (r.batch_size) j["batch_size"] = *r.batch_size;
  if (r.payload_bytes) j["payload_bytes"] = *r.payload_bytes;
  return j;
}

Result<MicroRecord> to_micro_record(const json& j) {
  if (!j.is_object()) return fail(ErrorKind::invalid_argument, fmt::format("micro record must be a JSON object, got {}", j.type_name()));
  MicroRecord r;
  Fields f(j);
  std::string kind;
  f.str("kind", kind);
  if (f.ok() && !kind.empty() && kind != kMicroKind)
    return fail(ErrorKind::invalid_argument, fmt::format("record kind is \"{}\", not \"micro\"", kind));
  if (auto st = check_schema(j); !st) return tl::unexpected(st.error());
  f.str("run_id", r.run_id);
  f.str("step", r.step);
  f.str("timestamp", r.timestamp);
  f.str("experiment", r.experiment, true);
  f.str("engine", r.engine, true);
  f.str("engine_name", r.engine_name);
  f.str("engine_version", r.engine_version);
  f.str("tier", r.tier);
  f.str("host_build", r.host_build, true);
  f.str("config", r.config, true);
  f.integer("config_index", r.config_index);
  f.str("abi", r.abi);
  f.boolean("cached", r.cached);
  f.str("loading", r.loading);
  f.opt_boolean("srs", r.srs);
  f.str("memory", r.memory);
  f.integer("replication", r.replication);
  f.integer("calls", r.calls, true);
  f.number("loop_s", r.loop_s, true);
  f.number("compile_s", r.compile_s);
  f.number("instantiate_s", r.instantiate_s);
  if (f.has("ns_per_call"))
    f.number("ns_per_call", r.ns_per_call);
  else
    r.ns_per_call = ns_per_call(r.loop_s, r.calls);
  f.opt_integer("checksum", r.checksum);
  f.opt_integer("batch_size", r.batch_size);
  f.opt_integer("payload_bytes", r.payload_bytes);
  if (!f.ok()) return fail(ErrorKind::invalid_argument, "micro record: " + f.error());
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!is_known_key(it.key())) r.extra[it.key()] = it.value();
  return r;
}

Status append(AppendOnlyWriter& writer, const MicroRecord& r) {
  if (auto s = validate(r); !s) return s;
  return writer.append(to_json_object(r));
}

// ---------------------------------------------------------------------------------------------------------
// Readers

Result<MicroRecords> parse_micro_records(std::string_view text, std::string_view source, ReadOptions options) {
  std::istringstream in{std::string(text)};
  MicroRecords out;
  auto malformed = parse_jsonl_objects(in, source, options, [&](json j, std::size_t line) {
    if (auto k = j.find("kind"); k != j.end() && k->is_string() && k->get_ref<const std::string&>() != kMicroKind) {
      ++out.other_kinds;
      return std::string{};
    }
    auto r = to_micro_record(j);
    if (!r) return r.error().message;
    out.records.push_back(std::move(*r));
    out.lines.push_back(line);
    return std::string{};
  });
  if (!malformed) return tl::unexpected(malformed.error());
  out.malformed = std::move(*malformed);
  return out;
}

Result<MicroRecords> read_micro_records(const std::filesystem::path& path, ReadOptions options) {
  auto text = read_text_file(path);
  if (!text) return tl::unexpected(text.error());
  return parse_micro_records(*text, path.string(), options);
}

}  // namespace wasmhop::run
