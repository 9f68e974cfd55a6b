#include "report/records.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <istream>
#include <limits>
#include <random>
#include <sstream>
#include <system_error>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

namespace wasmhop::report {

using nlohmann::json;

namespace {

// The keys MicroRecord maps to members; anything else goes to `extra`.
constexpr std::string_view kKnownKeys[] = {
    "kind",       "schema",      "run_id",       "timestamp", "experiment",  "engine",      "engine_name",
    "engine_version", "tier",    "host_build",   "config",    "config_index", "abi",        "cached",
    "loading",    "srs",         "memory",       "replication", "calls",     "loop_s",      "compile_s",
    "instantiate_s", "ns_per_call", "batch_size", "payload_bytes"};

bool is_known_key(std::string_view key) {
  for (auto k : kKnownKeys)
    if (k == key) return true;
  return false;
}

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

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
  void opt_u64(std::string_view key, std::optional<std::uint64_t>& out) {
    const json* v = find(key, false);
    if (!v || v->is_null()) return;
    std::uint64_t value = 0;
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

std::string dump_line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

template <class Out, class Parse>
Result<Out> parse_lines(std::istream& in, std::string_view source, ReadOptions options, Parse&& parse_object) {
  Out out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    std::string problem;
    json j;
    try {
      j = json::parse(line);
    } catch (const json::parse_error& e) {
      // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 7: ..."; keep the tail.
      std::string what = e.what();
      if (auto pos = what.find("column"); pos != std::string::npos) what = what.substr(pos);
      problem = fmt::format("malformed JSON ({})", what);
    }
    if (problem.empty() && !j.is_object()) problem = fmt::format("a record must be a JSON object, got {}", j.type_name());
    if (problem.empty()) problem = parse_object(out, std::move(j), number);
    if (problem.empty()) continue;
    if (!options.skip_malformed)
      return fail(ErrorKind::invalid_argument, fmt::format("{}:{}: {}", source, number, problem));
    out.malformed.push_back(LineError{number, std::move(problem)});
  }
  if (in.bad()) return fail(ErrorKind::io_error, fmt::format("{}: read error after line {}", source, number));
  return out;
}

Result<std::string> slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::io_error, fmt::format("{}: cannot open for reading: {}", path.string(), errno_text(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return fail(ErrorKind::io_error, fmt::format("{}: read error", path.string()));
  return std::move(ss).str();
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// MicroRecord

double ns_per_call(double loop_s, std::uint64_t calls) noexcept {
  return calls == 0 ? 0.0 : loop_s * 1e9 / static_cast<double>(calls);
}

void MicroRecord::set_loop(double seconds) noexcept {
  loop_s = seconds;
  ns_per_call = report::ns_per_call(seconds, calls);
}

Status validate(const MicroRecord& r) {
  auto bad = [&](std::string what) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("micro record (engine \"{}\", config \"{}\", replication {}): {}", r.engine, r.config,
                            r.replication, what));
  };
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
  j["kind"] = kMicroKind;
  j["schema"] = kMicroSchema;
  j["run_id"] = r.run_id;
  j["timestamp"] = r.timestamp;
  j["experiment"] = r.experiment;
  j["engine"] = r.engine;
  j["engine_name"] = r.engine_name;
  j["engine_version"] = r.engine_version;
  j["tier"] = r.tier;
  j["host_build"] = r.host_build;
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
  f.str("run_id", r.run_id);
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
  f.opt_u64("batch_size", r.batch_size);
  f.opt_u64("payload_bytes", r.payload_bytes);
  if (!f.ok()) return fail(ErrorKind::invalid_argument, "micro record: " + f.error());
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!is_known_key(it.key())) r.extra[it.key()] = it.value();
  return r;
}

void to_json(json& j, const MicroRecord& r) { j = to_json_object(r); }

void from_json(const json& j, MicroRecord& r) {
  auto parsed = to_micro_record(j);
  if (!parsed) throw json::other_error::create(501, parsed.error().message, &j);
  r = std::move(*parsed);
}

std::string utc_timestamp_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buf, ms);
}

std::string make_run_id() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  std::random_device rd;
  return fmt::format("{}-{}-{:04x}", buf, static_cast<long>(::getpid()), rd() & 0xffffu);
}

// ---------------------------------------------------------------------------------------------------------
// AppendOnlyWriter

Result<AppendOnlyWriter> AppendOnlyWriter::open(const std::filesystem::path& path) { return open(path, Options{}); }

Result<AppendOnlyWriter> AppendOnlyWriter::open(const std::filesystem::path& path, Options options) {
  if (path.empty()) return fail(ErrorKind::invalid_argument, "records file: empty path");
  if (options.create_parent_dirs && path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      return fail(ErrorKind::io_error,
                  fmt::format("{}: cannot create directory {}: {}", path.string(), path.parent_path().string(), ec.message()));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return fail(ErrorKind::io_error, fmt::format("{}: cannot open for appending: {}", path.string(), errno_text(errno)));
  AppendOnlyWriter w(path, fd, options);
  // Terminate a partial last line (an earlier writer died mid-line) so our first record starts a new line.
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    const int rfd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (rfd >= 0) {
      char last = '\n';
      const ssize_t got = ::pread(rfd, &last, 1, st.st_size - 1);
      ::close(rfd);
      if (got == 1 && last != '\n') {
        if (auto s = w.write_line(std::string{}); !s) return tl::unexpected(s.error());
        w.lines_ = 0;
      }
    }
  }
  return w;
}

AppendOnlyWriter::AppendOnlyWriter(AppendOnlyWriter&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)), options_(other.options_), lines_(other.lines_) {}

AppendOnlyWriter& AppendOnlyWriter::operator=(AppendOnlyWriter&& other) noexcept {
  if (this != &other) {
    (void)close();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    options_ = other.options_;
    lines_ = other.lines_;
  }
  return *this;
}

AppendOnlyWriter::~AppendOnlyWriter() { (void)close(); }

Status AppendOnlyWriter::close() {
  if (fd_ < 0) return {};
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return fail(ErrorKind::io_error, fmt::format("{}: close failed: {}", path_.string(), errno_text(errno)));
  return {};
}

Status AppendOnlyWriter::write_line(std::string line) {
  if (fd_ < 0) return fail(ErrorKind::io_error, fmt::format("{}: writer is closed", path_.string()));
  line.push_back('\n');
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorKind::io_error, fmt::format("{}: write failed: {}", path_.string(), errno_text(errno)));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (options_.durable && ::fdatasync(fd_) != 0)
    return fail(ErrorKind::io_error, fmt::format("{}: fdatasync failed: {}", path_.string(), errno_text(errno)));
  ++lines_;
  return {};
}

Status AppendOnlyWriter::append(const json& record) {
  if (!record.is_object())
    return fail(ErrorKind::invalid_argument,
                fmt::format("{}: a record must be a JSON object, got {}", path_.string(), record.type_name()));
  return write_line(dump_line(record));
}

Status AppendOnlyWriter::append(const MicroRecord& r) {
  if (auto s = validate(r); !s) return s;
  return append(to_json_object(r));
}

// ---------------------------------------------------------------------------------------------------------
// Readers

Result<JsonlRecords> parse_jsonl(std::istream& in, std::string_view source, ReadOptions options) {
  return parse_lines<JsonlRecords>(in, source, options, [](JsonlRecords& out, json j, std::size_t line) {
    out.records.push_back(std::move(j));
    out.lines.push_back(line);
    return std::string{};
  });
}

Result<JsonlRecords> parse_jsonl(std::string_view text, std::string_view source, ReadOptions options) {
  std::istringstream in{std::string(text)};
  return parse_jsonl(in, source, options);
}

Result<JsonlRecords> read_jsonl(const std::filesystem::path& path, ReadOptions options) {
  auto text = slurp(path);
  if (!text) return tl::unexpected(text.error());
  return parse_jsonl(*text, path.string(), options);
}

Result<MicroRecords> parse_micro_records(std::string_view text, std::string_view source, ReadOptions options) {
  std::istringstream in{std::string(text)};
  return parse_lines<MicroRecords>(in, source, options, [](MicroRecords& out, json j, std::size_t line) {
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
}

Result<MicroRecords> read_micro_records(const std::filesystem::path& path, ReadOptions options) {
  auto text = slurp(path);
  if (!text) return tl::unexpected(text.error());
  return parse_micro_records(*text, path.string(), options);
}

}  // namespace wasmhop::report
