#include "run/jsonl.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <fstream>
#include <istream>
#include <random>
#include <sstream>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace wasmhop::run {

using nlohmann::json;

namespace {

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

std::string dump_line(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The problem with one line's text, or "" with `out` set to its object.
std::string parse_line(const std::string& line, json& out) {
  try {
    out = json::parse(line);
  } catch (const json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 7: ..."; keep the tail.
    std::string what = e.what();
    if (auto pos = what.find("column"); pos != std::string::npos) what = what.substr(pos);
    return fmt::format("malformed JSON ({})", what);
  }
  if (!out.is_object()) return fmt::format("a record must be a JSON object, got {}", out.type_name());
  return {};
}

}  // namespace

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

// ---------------------------------------------------------------------------------------------------------
// Readers

Result<std::vector<LineError>> parse_jsonl_objects(std::istream& in, std::string_view source, ReadOptions options,
                                                   const TakeObject& take) {
  std::vector<LineError> malformed;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    json j;
    std::string problem = parse_line(line, j);
    if (problem.empty()) problem = take(std::move(j), number);
    if (problem.empty()) continue;
    if (!options.skip_malformed)
      return fail(ErrorKind::invalid_argument, fmt::format("{}:{}: {}", source, number, problem));
    malformed.push_back(LineError{number, std::move(problem)});
  }
  if (in.bad()) return fail(ErrorKind::io_error, fmt::format("{}: read error after line {}", source, number));
  return malformed;
}

Result<JsonlRecords> parse_jsonl(std::istream& in, std::string_view source, ReadOptions options) {
  JsonlRecords out;
  auto malformed = parse_jsonl_objects(in, source, options, [&](json j, std::size_t line) {
    out.records.push_back(std::move(j));
    out.lines.push_back(line);
    return std::string{};
  });
  if (!malformed) return tl::unexpected(malformed.error());
  out.malformed = std::move(*malformed);
  return out;
}

Result<JsonlRecords> parse_jsonl(std::string_view text, std::string_view source, ReadOptions options) {
  std::istringstream in{std::string(text)};
  return parse_jsonl(in, source, options);
}

Result<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::io_error, fmt::format("{}: cannot open for reading: {}", path.string(), errno_text(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return fail(ErrorKind::io_error, fmt::format("{}: read error", path.string()));
  return std::move(ss).str();
}

Result<JsonlRecords> read_jsonl(const std::filesystem::path& path, ReadOptions options) {
  auto text = read_text_file(path);
  if (!text) return tl::unexpected(text.error());
  return parse_jsonl(*text, path.string(), options);
}

// ---------------------------------------------------------------------------------------------------------
// Documents

Result<json> read_json_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) return fail(ErrorKind::io_error, fmt::format("cannot read '{}'", p.string()));
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    return fail(ErrorKind::invalid_argument, fmt::format("{}: {}", p.string(), e.what()));
  }
}

Status write_json_file(const std::filesystem::path& p, const json& j) {
  const std::filesystem::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", tmp.string()));
    out << j.dump(2) << '\n';
    if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", tmp.string()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, p, ec);
  if (ec) return fail(ErrorKind::io_error, fmt::format("cannot rename '{}': {}", tmp.string(), ec.message()));
  return {};
}

}  // namespace wasmhop::run
