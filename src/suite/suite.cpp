#include "suite/suite.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "micro/runner.hpp"
#include "report/records.hpp"
#include "trace/reader.hpp"
#include "suite/build_info.hpp"
#include "suite/environment.hpp"
#include "suite/journal.hpp"
#include "suite/json_files.hpp"
#include "suite/plan.hpp"
#include "suite/process.hpp"
#include "suite/report_builder.hpp"

namespace wasmhop::suite {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string hms(double s) {
  if (!(s >= 0)) s = 0;
  const auto t = static_cast<long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02}m{:02}s", t / 3600, (t / 60) % 60, t % 60);
  return fmt::format("{}m{:02}s", t / 60, t % 60);
}

std::string join(const std::vector<std::string>& v, const char* sep = ",") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string default_out_dir() {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("results/suite-{:04}{:02}{:02}-{:02}{:02}{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string last_lines(const fs::path& p, std::size_t n) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    lines.push_back(line);
    if (lines.size() > n) lines.erase(lines.begin());
  }
  return join(lines, "\n");
}

// ---------------------------------------------------------------------------------------------
// Host binaries

Result<json> query_json(const std::vector<std::string>& argv) {
  auto out = capture_output(argv);
  if (!out) return tl::unexpected(out.error());
  try {
    return json::parse(*out);
  } catch (const json::exception& e) {
    return fail(ErrorKind::invalid_argument, fmt::format("'{}' printed no JSON: {}", shell_join(argv), e.what()));
  }
}

std::vector<fs::path> candidate_binaries(const std::string& build, const fs::path& source_dir) {
  std::vector<fs::path> out;
  const fs::path self = self_executable();
  const fs::path build_dir = self.parent_path().parent_path();     // build/<preset>
  const fs::path builds_root = build_dir.parent_path();             // build/
  out.push_back(builds_root / build / "bin" / "wasmhop");
  // build/<prefix>release -> build/<prefix>debug (and back)
  std::string name = build_dir.filename().string();
  const std::string self_build = micro::host_build();
  if (const auto pos = name.rfind(self_build); pos != std::string::npos) {
    name.replace(pos, self_build.size(), build);
    out.push_back(builds_root / name / "bin" / "wasmhop");
  }
  out.push_back(source_dir / "build" / build / "bin" / "wasmhop");
  return out;
}

struct Output {
  std::FILE* f;
  template <class... A>
  void say(fmt::format_string<A...> f_, A&&... a) {
    fmt::print(f, f_, std::forward<A>(a)...);
    std::fflush(f);
  }
};

Result<std::string> build_host(const std::string& build, const fs::path& source_dir, const fs::path& log, Output& out) {
  const std::string cmake = find_program("cmake");
  if (cmake.empty()) return fail(ErrorKind::engine_unavailable, "cmake not found: cannot build the missing host");
  out.say("building the {} host: cmake --preset {} && cmake --build --preset {} (in {}; log: {})\n", build, build,
          build, source_dir.string(), log.string());
  // cmake --preset must run in the source directory: go through sh -c 'cd ... && ...'.
  const std::string script = fmt::format("cd {} && {} --preset {} && {} --build --preset {}",
                                         shell_join({source_dir.string()}), shell_join({cmake}), build,
                                         shell_join({cmake}), build);
  ChildOptions co;
  co.log = log;
  co.tick = std::chrono::seconds(15);
  co.on_tick = [&](double el) { out.say("  ... still building the {} host ({})\n", build, hms(el)); };
  auto r = run_logged({"/bin/sh", "-c", script}, co);
  if (!r) return tl::unexpected(r.error());
  if (r->stopped) return fail(ErrorKind::io_error, fmt::format("building the {} host was interrupted", build));
  if (r->exit_status != 0) {
    return fail(ErrorKind::io_error, fmt::format("building the {} host failed (exit status {}; see {})", build,
                                                 r->exit_status, log.string()));
  }
  const fs::path bin = source_dir / "build" / build / "bin" / "wasmhop";
  std::error_code ec;
  if (!fs::exists(bin, ec)) return fail(ErrorKind::io_error, fmt::format("the {} build produced no {}", build, bin.string()));
  return bin.string();
}

Result<HostBinary> locate_host(const std::string& build, const std::string& explicit_path, const std::string& stored,
                               bool build_missing, const fs::path& source_dir, const fs::path& dir, Output& out) {
  if (build != "release" && build != "debug") {
    return fail(ErrorKind::invalid_argument, fmt::format("unknown host build '{}' (valid: release, debug)", build));
  }
  std::string path;
  std::error_code ec;
  if (!explicit_path.empty()) {
    if (!fs::exists(explicit_path, ec)) {
      return fail(ErrorKind::invalid_argument, fmt::format("--{}-binary '{}' does not exist", build, explicit_path));
    }
    path = fs::absolute(explicit_path, ec).string();
  } else if (!stored.empty() && fs::exists(stored, ec)) {
    path = stored;
  } else if (build == micro::host_build()) {
    path = self_executable();
  } else {
    for (const auto& c : candidate_binaries(build, source_dir)) {
      if (fs::exists(c, ec)) {
        path = fs::weakly_canonical(c, ec).string();
        break;
      }
    }
    if (path.empty()) {
      if (!build_missing) {
        return fail(ErrorKind::engine_unavailable,
                    fmt::format("no {} build of wasmhop found (build it with 'cmake --preset {} && cmake --build "
                                "--preset {}', pass --{}-binary, or leave out --no-build)", build, build, build, build));
      }
      auto built = build_host(build, source_dir, dir / "logs" / fmt::format("build-{}.log", build), out);
      if (!built) return tl::unexpected(built.error());
      path = *built;
    }
  }
  HostBinary h;
  h.build = build;
  h.path = path;
  auto info = query_json({path, "suite", "--build-info"});
  if (!info) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("'{}' does not answer 'suite --build-info' (an older wasmhop? rebuild it): {}", path,
                            info.error().message));
  }
  if (info->value("host_build", std::string()) != build) {
    return fail(ErrorKind::invalid_argument, fmt::format("'{}' is a {} build, not {}", path,
                                                         info->value("host_build", std::string("?")), build));
  }
  h.info = *info;
  auto engines = query_json({path, "engines", "--json"});
  if (!engines) return tl::unexpected(engines.error());
  h.engines = *engines;
  return h;
}

// ---------------------------------------------------------------------------------------------
// Steps

struct Context {
  fs::path dir;
  Plan plan;
  std::map<std::string, HostBinary> hosts;
  bool quick = false;
};

fs::path workload_path(const Context& c) { return c.dir / c.plan.params.workload_file; }
fs::path sample_path(const Context& c) { return c.dir / "workload" / "sample.txt"; }
fs::path short_path(const Context& c) { return c.dir / "workload" / "short.txt"; }
fs::path records_path(const Context& c, const Step& s) { return c.dir / "records" / (s.id + ".jsonl"); }
fs::path sim_json_path(const Context& c, const Step& s) { return c.dir / "records" / (s.id + ".sim.json"); }
fs::path log_path(const Context& c, const Step& s) { return c.dir / "logs" / (s.id + ".log"); }

std::string trace_file(const Context& c, const Step& s) {
  if (s.trace == "paper-trace") return c.plan.params.paper_trace;
  if (s.trace == "sample") return sample_path(c).string();
  if (s.trace == "short") return short_path(c).string();
  return workload_path(c).string();
}

// The sim's engine list for a step: "native" is the direct baseline, "native-engine" the native
// engine through the ABIs.
std::string sim_engine(const std::string& engine) {
  if (engine == "native-direct") return "native";
  if (engine == "native") return "native-engine";
  return engine;
}

std::vector<std::string> step_argv(const Context& c, const Step& s) {
  const PlanParams& p = c.plan.params;
  const std::string& bin = c.hosts.at(s.build).path;
  switch (s.kind) {
    case StepKind::gen: {
      std::vector<std::string> a{bin, "gen"};
      a.insert(a.end(), p.gen_args.begin(), p.gen_args.end());
      a.insert(a.end(), {"-o", workload_path(c).string()});
      return a;
    }
    case StepKind::micro: {
      std::vector<std::string> a{bin, "micro", "--child-engine", s.engine, "--records", records_path(c, s).string(),
                                 "--run-id", p.suite_id + "/" + s.id,
                                 "--reps", std::to_string(s.micro_reps ? s.micro_reps : p.micro_reps),
                                 "--calls", std::to_string(s.micro_calls ? s.micro_calls : p.micro_calls), "--seed",
                                 std::to_string(step_seed(p.seed, s.id))};
      if (p.micro_quick) a.push_back("--quick");
      return a;
    }
    case StepKind::sim_time: {
      std::vector<std::string> a{bin, "sim", "--trace", trace_file(c, s), "--policy", join(p.sim_policies),
                                 "--cache-size", p.sim_cache, "--timed", "--engine", sim_engine(s.engine),
                                 "--json", sim_json_path(c, s).string(), "-q"};
      if (!s.abis.empty()) a.insert(a.end(), {"--abi", join(s.abis), "--cached", s.cached});
      return a;
    }
    case StepKind::sim_sweep:
      return {bin, "sim", "--trace", trace_file(c, s), "--policy", "all", "--cache-size", p.sweep_sizes,
              "--threads", "0", "--engine", "native", "--json", sim_json_path(c, s).string(), "-q"};
    case StepKind::sim_check:
      return {bin, "sim", "--trace", trace_file(c, s), "--policy", join(p.sim_policies), "--cache-size", p.check_sizes,
              "--engine", "native," + sim_engine(s.engine), "--abi", join(s.abis), "--cached", s.cached,
              "--json", sim_json_path(c, s).string(), "-q"};
  }
  return {};
}

const char* purpose(StepKind k) {
  switch (k) {
    case StepKind::sim_time: return "time";
    case StepKind::sim_sweep: return "sweep";
    case StepKind::sim_check: return "check";
    default: return "";
  }
}

// The sim child's JSON output -> one "sim" record per row, in records/<step>.jsonl.
Result<std::uint64_t> convert_sim_output(const Context& c, const Step& s) {
  auto j = read_json_file(sim_json_path(c, s));
  if (!j) return tl::unexpected(j.error());
  auto w = report::AppendOnlyWriter::open(records_path(c, s));
  if (!w) return tl::unexpected(w.error());
  std::uint64_t n = 0;
  const json trace = j->value("trace", json::object());
  for (const auto& row : j->value("records", json::array())) {
    json r = row;
    r["kind"] = "sim";
    r["schema"] = 1;
    r["run_id"] = c.plan.params.suite_id + "/" + s.id;
    r["step"] = s.id;
    r["purpose"] = purpose(s.kind);
    r["host_build"] = s.build;
    r["replication"] = s.replication;
    r["trace"] = s.trace;
    r["trace_records"] = trace.value("records", std::uint64_t{0});
    r["trace_read_seconds"] = trace.value("read_seconds", 0.0);
    r["threads"] = j->value("threads", 1);
    if (auto st = w->append(r); !st) return tl::unexpected(st.error());
    ++n;
  }
  if (auto st = w->close(); !st) return tl::unexpected(st.error());
  std::error_code ec;
  fs::remove(sim_json_path(c, s), ec);
  if (n == 0) return fail(ErrorKind::invalid_argument, fmt::format("{}: the simulator wrote no rows", s.id));
  return n;
}

// After gen: the workload's facts as one record, and the engine-check sample (a prefix) as text.
Result<std::uint64_t> finish_gen(const Context& c, const Step& s) {
  trace::TraceOptions topts;
  topts.path = workload_path(c).string();
  auto trace = trace::read_trace(topts);
  if (!trace) return tl::unexpected(trace.error());
  std::unordered_set<std::uint64_t> ids;
  std::unordered_map<std::uint64_t, std::uint64_t> first_size;
  std::uint64_t requested = 0, unique = 0;
  for (const auto& r : trace->requests) {
    requested += r.size;
    if (first_size.emplace(r.id, r.size).second) unique += r.size;
  }
  // Prefixes as text: the sample (engine checks, Debug timings) and the short one (interpreters).
  auto write_prefix = [&](const fs::path& path, std::uint64_t n) -> Status {
    const fs::path tmp = path.string() + ".tmp";
    std::ofstream out(tmp);
    for (std::uint64_t i = 0; i < n; ++i) out << trace->requests[i].id << ' ' << trace->requests[i].size << '\n';
    if (!out) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", tmp.string()));
    out.close();
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) return fail(ErrorKind::io_error, ec.message());
    return {};
  };
  const std::uint64_t n_sample = std::min<std::uint64_t>(c.plan.params.sample_requests, trace->requests.size());
  const std::uint64_t n_short = std::min<std::uint64_t>(c.plan.params.short_requests, trace->requests.size());
  if (auto st = write_prefix(sample_path(c), n_sample); !st) return tl::unexpected(st.error());
  if (auto st = write_prefix(short_path(c), n_short); !st) return tl::unexpected(st.error());
  auto w = report::AppendOnlyWriter::open(records_path(c, s));
  if (!w) return tl::unexpected(w.error());
  json r{{"kind", "workload"},
         {"schema", 1},
         {"run_id", c.plan.params.suite_id + "/" + s.id},
         {"step", s.id},
         {"name", "workload"},
         {"generator", "wasmhop gen " + join(c.plan.params.gen_args, " ")},
         {"file", c.plan.params.workload_file},
         {"requests", trace->requests.size()},
         {"objects", first_size.size()},
         {"requested_bytes", requested},
         {"unique_bytes", unique},
         {"sample_file", "workload/sample.txt"},
         {"sample_requests", n_sample},
         {"short_file", "workload/short.txt"},
         {"short_requests", n_short}};
  if (auto st = w->append(r); !st) return tl::unexpected(st.error());
  return std::uint64_t{1};
}

std::uint64_t count_lines(const fs::path& p) {
  std::ifstream in(p);
  std::uint64_t n = 0;
  std::string line;
  while (std::getline(in, line)) n += !line.empty();
  return n;
}

// ---------------------------------------------------------------------------------------------
// Progress on the terminal

class Progress {
 public:
  Progress(Output& out, const Plan& plan, const JournalState& prior)
      : out_(out), tty_(isatty(fileno(out.f)) != 0), t0_(Clock::now()) {
    total_ = plan.steps.size();
    for (const auto& s : plan.steps) {
      if (prior.done(s.id)) {
        ++done_;
      } else {
        remaining_expected_ += s.expected_s;
      }
    }
  }

  void start(const Step& s, std::size_t index) {
    current_ = &s;
    index_ = index;
    last_line_ = Clock::now();
    if (!tty_) {
      out_.say("[{:>3}/{}] {} elapsed, ~{} left | {}\n", done_ + 1, total_, hms(since(t0_)), hms(eta(0)), describe(s));
    } else {
      status(0);
    }
  }

  void tick(double step_elapsed) {
    if (tty_) {
      status(step_elapsed);
    } else if (since(last_line_) >= 30) {
      last_line_ = Clock::now();
      out_.say("          ... {} running for {} (expected ~{}), ~{} left\n", current_->id, hms(step_elapsed),
               hms(current_->expected_s * factor()), hms(eta(step_elapsed)));
    }
  }

  void finish(const Step& s, bool ok, double wall, const std::string& note, const char* word = nullptr) {
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

  [[nodiscard]] double elapsed() const { return since(t0_); }

 private:
  static std::string describe(const Step& s) {
    switch (s.kind) {
      case StepKind::gen: return "generating the workload (ProWGen, paper preset)";
      case StepKind::micro: return fmt::format("micro-benchmark, {} host, engine {}", s.build, s.engine);
      case StepKind::sim_time:
        return fmt::format("simulator timings, {} host, {}, replication {}", s.build, s.engine, s.replication);
      case StepKind::sim_sweep: return fmt::format("hit-rate sweep on the {}", s.trace == "paper-trace" ? "paper's trace" : "workload");
      case StepKind::sim_check: return fmt::format("engine check: {} reproduces the native counts", s.engine);
    }
    return s.id;
  }
  [[nodiscard]] double factor() const {
    if (done_expected_ < 5) return 1.0;
    return std::clamp(done_actual_ / done_expected_, 0.25, 4.0);
  }
  [[nodiscard]] double eta(double step_elapsed) const {
    return std::max(0.0, remaining_expected_ * factor() - step_elapsed) + 15.0;  // + the report
  }
  void status(double step_elapsed) {
    out_.say("\r\033[K[{:>3}/{}] {} elapsed, ~{} left | {} ({})", done_ + 1, total_, hms(since(t0_)),
             hms(eta(step_elapsed)), describe(*current_), hms(step_elapsed));
  }

  Output& out_;
  bool tty_;
  Clock::time_point t0_;
  Clock::time_point last_line_;
  std::size_t total_ = 0, done_ = 0, index_ = 0;
  double remaining_expected_ = 0, done_actual_ = 0, done_expected_ = 0;
  const Step* current_ = nullptr;
};

// An exclusive lock on <dir>/.lock for the life of the run (two suites must not share a directory).
class DirLock {
 public:
  static Result<DirLock> take(const fs::path& dir) {
    const fs::path p = dir / ".lock";
    const int fd = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return fail(ErrorKind::io_error, fmt::format("cannot open '{}'", p.string()));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return fail(ErrorKind::invalid_argument, fmt::format("another suite is running in '{}'", dir.string()));
    }
    return DirLock(fd);
  }
  DirLock(DirLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  DirLock(const DirLock&) = delete;
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

std::string resolve_paper_trace(const std::string& option, bool quick, const fs::path& source_dir) {
  if (option == "none") return {};
  std::error_code ec;
  if (option != "auto") return fs::absolute(option, ec).string();
  if (quick) return {};
  if (const char* env = std::getenv("WASMHOP_PAPER_TRACE"); env && *env) {
    return fs::exists(env, ec) ? fs::absolute(env, ec).string() : std::string();
  }
  const fs::path guess = source_dir.parent_path() / "shared" / "traces" / "paper-trace.dat.gz";
  return fs::exists(guess, ec) ? fs::weakly_canonical(guess, ec).string() : std::string();
}

}  // namespace

std::string self_executable() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("wasmhop") : p.string();
}

namespace {

Result<SuiteOutcome> run_suite_impl(const SuiteOptions& o, fs::path& created_dir) {
  const auto t_start = Clock::now();
  Output out{o.out_stream ? o.out_stream : stderr};
  const fs::path source_dir = build_info().value("source_dir", std::string("."));
  const bool resuming = !o.resume.empty();
  if (resuming && !o.out.empty()) return fail(ErrorKind::invalid_argument, "--resume and --out exclude each other");
  if (resuming && (o.quick || o.seed || !o.engines.empty() || !o.builds.empty() || o.paper_trace != "auto" ||
                   o.micro_reps || o.sim_reps)) {
    return fail(ErrorKind::invalid_argument,
                "--resume continues a run with its recorded options: leave out --quick, --seed, --engines, --builds, "
                "--paper-trace, --micro-reps and --sim-reps");
  }
  std::error_code ec;
  Context c;
  c.dir = resuming ? fs::path(o.resume) : fs::path(o.out.empty() ? default_out_dir() : o.out);
  json stored_hosts = json::object();
  if (resuming) {
    if (!fs::is_directory(c.dir, ec)) {
      return fail(ErrorKind::invalid_argument, fmt::format("--resume: '{}' is not a directory", c.dir.string()));
    }
    auto sj = read_json_file(c.dir / "suite.json");
    if (!sj) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("--resume: '{}' holds no suite.json (not a suite results directory)", c.dir.string()));
    }
    auto plan = plan_from_json(*sj);
    if (!plan) return tl::unexpected(plan.error());
    c.plan = std::move(*plan);
    stored_hosts = sj->value("hosts", json::object());
  } else {
    if (fs::exists(c.dir, ec) && !(fs::is_directory(c.dir, ec) && fs::is_empty(c.dir, ec))) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("results directory '{}' exists (continue it with --resume {}, or choose another --out)",
                              c.dir.string(), c.dir.string()));
    }
  }
  if (!resuming && !fs::exists(c.dir, ec)) created_dir = c.dir;
  for (const char* sub : {"records", "logs", "workload", "report"}) {
    fs::create_directories(c.dir / sub, ec);
    if (ec) return fail(ErrorKind::io_error, fmt::format("cannot create '{}': {}", (c.dir / sub).string(), ec.message()));
  }
  c.dir = fs::canonical(c.dir, ec);
  auto lock = DirLock::take(c.dir);
  if (!lock) return tl::unexpected(lock.error());
  install_stop_handlers();

  // Host binaries.
  const std::vector<std::string> builds =
      resuming ? c.plan.params.builds : (o.builds.empty() ? std::vector<std::string>{"release", "debug"} : o.builds);
  for (const auto& b : builds) {
    if (c.hosts.count(b)) return fail(ErrorKind::invalid_argument, fmt::format("host build '{}' given twice", b));
    const std::string explicit_path = b == "debug" ? o.debug_binary : (b == "release" ? o.release_binary : "");
    auto h = locate_host(b, explicit_path, stored_hosts.value(b, std::string()), o.build_missing, source_dir, c.dir, out);
    if (!h) return tl::unexpected(h.error());
    out.say("{} host: {}\n", b, h->path);
    c.hosts[b] = std::move(*h);
  }
  if (c.hosts.empty()) return fail(ErrorKind::invalid_argument, "no host build selected");

  if (!resuming) {
    auto params = mode_params(o.quick ? "quick" : "default");
    if (!params) return tl::unexpected(params.error());
    PlanParams p = *params;
    if (o.seed) p.seed = *o.seed;
    if (o.micro_reps) p.micro_reps = p.debug_micro_reps = *o.micro_reps;  // asked for: both hosts
    if (o.sim_reps) p.sim_reps = *o.sim_reps;
    p.builds = builds;
    p.suite_id = c.dir.filename().string();
    p.paper_trace = resolve_paper_trace(o.paper_trace, o.quick, source_dir);
    if (!p.paper_trace.empty() && !fs::exists(p.paper_trace, ec)) {
      return fail(ErrorKind::invalid_argument, fmt::format("--paper-trace '{}' does not exist", p.paper_trace));
    }
    // Engines: those available in every host build, in registry order.
    std::vector<EngineEntry> available;
    auto in_every_host = [&](const std::string& id) -> std::string {  // "" or the host that lacks it
      for (const auto& [b, h] : c.hosts) {
        const bool has = std::any_of(h.engines.begin(), h.engines.end(), [&](const json& x) {
          return x.value("id", std::string()) == id && x.value("available", false);
        });
        if (!has) return b;
      }
      return {};
    };
    for (const auto& e : c.hosts.at(builds.front()).engines) {
      if (!e.value("available", false)) {
        out.say("note: engine {} is unavailable here ({}); skipped\n", e.value("id", std::string("?")),
                e.value("error", std::string()));
        continue;
      }
      if (const std::string lacking = in_every_host(e.value("id", std::string())); !lacking.empty()) {
        out.say("note: engine {} is not available in the {} host (rebuild it); skipped\n",
                e.value("id", std::string("?")), lacking);
        continue;
      }
      const json caps = e.value("capabilities", json::object());
      available.push_back({e.value("id", std::string()), caps.value("sandboxed", true), caps.value("interpreter", false),
                           caps.value("aot", false), caps.value("component", false)});
    }
    if (o.engines.empty()) {
      p.engines = available;
    } else {
      for (const auto& id : o.engines) {
        auto it = std::find_if(available.begin(), available.end(), [&](const EngineEntry& e) { return e.id == id; });
        if (it == available.end()) {
          std::vector<std::string> ids;
          for (const auto& e : available) ids.push_back(e.id);
          return fail(ErrorKind::invalid_argument,
                      fmt::format("unknown or unavailable engine '{}' (choose from: {})", id, join(ids, ", ")));
        }
        p.engines.push_back(*it);
      }
    }
    c.plan = make_plan(p);
    json sj = to_json(c.plan);
    for (const auto& [b, h] : c.hosts) sj["hosts"][b] = h.path;
    sj["command_line"] = o.argv;
    if (auto st = write_json_file(c.dir / "suite.json", sj); !st) return tl::unexpected(st.error());
    std::vector<HostBinary> hv;
    for (const auto& [b, h] : c.hosts) hv.push_back(h);
    if (auto st = write_json_file(c.dir / "environment.json", collect_environment(hv, o.argv, source_dir)); !st) {
      return tl::unexpected(st.error());
    }
  }
  c.quick = c.plan.params.mode == "quick";

  auto prior = read_journal(c.dir / "journal.jsonl");
  if (!prior) return tl::unexpected(prior.error());
  auto journal = Journal::open(c.dir / "journal.jsonl");
  if (!journal) return tl::unexpected(journal.error());
  if (auto st = journal->append({{"event", "suite-start"}, {"argv", o.argv}, {"resume", resuming},
                                 {"load_average", load_average()}});
      !st) {
    return tl::unexpected(st.error());
  }

  SuiteOutcome outcome;
  outcome.dir = c.dir;
  outcome.report_requested = o.report;
  outcome.steps = c.plan.steps.size();

  // Partial records of steps that did not complete are set aside: they are never counted.
  for (const auto& s : c.plan.steps) {
    if (prior->done(s.id)) continue;
    for (const fs::path& partial : {records_path(c, s), sim_json_path(c, s)}) {
      if (!fs::exists(partial, ec)) continue;
      const int attempt = prior->steps.count(s.id) ? prior->steps.at(s.id).attempts : 0;
      const fs::path moved = c.dir / "records" / "discarded" /
                             fmt::format("{}.attempt{}{}", s.id, attempt, partial.extension().string());
      fs::create_directories(moved.parent_path(), ec);
      const std::uint64_t n = count_lines(partial);
      fs::rename(partial, moved, ec);
      if (ec) return fail(ErrorKind::io_error, fmt::format("cannot move '{}' aside: {}", partial.string(), ec.message()));
      out.say("discarding {} partial record line(s) of {} (moved to {})\n", n, s.id, moved.string());
      (void)journal->append({{"event", "step-discarded"}, {"step", s.id}, {"attempt", attempt},
                             {"moved_to", fs::relative(moved, c.dir, ec).string()}, {"records", n}});
    }
  }

  const std::size_t already = std::count_if(c.plan.steps.begin(), c.plan.steps.end(),
                                            [&](const Step& s) { return prior->done(s.id); });
  out.say("suite {} ({} mode, seed {}): {} steps{}, about {} expected; results in {}\n", c.plan.params.suite_id,
          c.plan.params.mode, c.plan.params.seed, c.plan.steps.size(),
          already ? fmt::format(" ({} already done)", already) : std::string(), hms(c.plan.expected_total_s()),
          c.dir.string());
  Progress progress(out, c.plan, *prior);
  outcome.done = already;
  std::map<std::string, int> attempts;
  for (const auto& [id, st] : prior->steps) attempts[id] = st.attempts;

  for (std::size_t i = 0; i < c.plan.steps.size(); ++i) {
    const Step& s = c.plan.steps[i];
    if (prior->done(s.id)) continue;
    if (stop_requested()) {
      outcome.interrupted = true;
      break;
    }
    // A step's inputs: the workload (gen) must be complete.
    if (s.kind != StepKind::gen && !prior->done("gen") && !fs::exists(workload_path(c), ec)) {
      ++outcome.failed;
      progress.finish(s, false, 0, "no workload: the gen step failed");
      continue;
    }
    const auto argv = step_argv(c, s);
    const int attempt = ++attempts[s.id];
    (void)journal->append({{"event", "step-start"}, {"step", s.id}, {"attempt", attempt}, {"argv", argv}});
    {
      std::ofstream log(log_path(c, s), std::ios::app);
      log << "=== " << report::utc_timestamp_now() << " attempt " << attempt << ": " << shell_join(argv) << '\n';
    }
    progress.start(s, i);
    ChildOptions co;
    co.log = log_path(c, s);
    co.tick = std::chrono::milliseconds(500);
    co.on_tick = [&](double el) { progress.tick(el); };
    // A runaway guest (an infinite loop in an engine that cannot stop a call) must not hang the suite.
    const double limit_s = o.step_timeout_s > 0 ? o.step_timeout_s : std::max(600.0, 20.0 * s.expected_s);
    co.timeout = std::chrono::milliseconds(static_cast<std::int64_t>(limit_s * 1000));
    auto r = run_logged(argv, co);
    if (!r) {
      ++outcome.failed;
      (void)journal->append({{"event", "step-failed"}, {"step", s.id}, {"attempt", attempt}, {"wall_s", 0.0},
                             {"exit_status", -1}, {"message", r.error().message}});
      progress.finish(s, false, 0, r.error().message);
      continue;
    }
    if (r->stopped) {
      outcome.interrupted = true;
      outcome.signal = stop_requested();
      (void)journal->append({{"event", "step-interrupted"}, {"step", s.id}, {"attempt", attempt},
                             {"wall_s", r->wall_s}, {"signal", outcome.signal}});
      progress.finish(s, false, r->wall_s, "partial records will be discarded on --resume", "STOPPED");
      break;
    }
    Result<std::uint64_t> records = std::uint64_t{0};
    if (r->timed_out) {
      records = fail(ErrorKind::timeout, fmt::format("killed after its time limit of {:.0f} s (--step-timeout)", limit_s));
    } else if (r->exit_status != 0) {
      records = fail(ErrorKind::internal, fmt::format("exit status {}: {}", r->exit_status, last_lines(log_path(c, s), 1)));
    } else if (s.kind == StepKind::gen) {
      records = finish_gen(c, s);
    } else if (s.kind == StepKind::micro) {
      records = count_lines(records_path(c, s));
      if (*records == 0) records = fail(ErrorKind::internal, "the micro-benchmark wrote no records");
    } else {
      records = convert_sim_output(c, s);
    }
    if (!records) {
      ++outcome.failed;
      (void)journal->append({{"event", "step-failed"}, {"step", s.id}, {"attempt", attempt}, {"wall_s", r->wall_s},
                             {"exit_status", r->exit_status}, {"message", records.error().message}});
      progress.finish(s, false, r->wall_s, fmt::format("{}; log: {}", records.error().message, log_path(c, s).string()));
      continue;
    }
      (void)journal->append({{"event", "step-done"}, {"step", s.id}, {"attempt", attempt}, {"wall_s", r->wall_s},
                           {"cpu_s", r->cpu_s}, {"records", *records}});
    ++outcome.done;
    progress.finish(s, true, r->wall_s, fmt::format("{} records", *records));
  }
  if (stop_requested()) {
    outcome.interrupted = true;
    if (!outcome.signal) outcome.signal = stop_requested();
  }
  outcome.wall_s = since(t_start);
  (void)journal->append({{"event", "suite-end"}, {"wall_s", outcome.wall_s}, {"done", outcome.done},
                         {"failed", outcome.failed}, {"interrupted", outcome.interrupted}});
  if (outcome.interrupted) {
    out.say("\ninterrupted by signal {} after {} of {} steps ({}); records of completed steps are kept, the "
            "interrupted step's partial records will be discarded.\nresume with: {}\n",
            outcome.signal, outcome.done, outcome.steps, hms(outcome.wall_s),
            shell_join({self_executable(), "suite", "--resume", c.dir.string()}));
    return outcome;
  }
  out.say("steps: {} done, {} failed, {} in this session\n", outcome.done, outcome.failed, hms(outcome.wall_s));
  if (o.report) {
    ReportOptions ro;
    ro.out_stream = out.f;
    auto rep = build_report(c.dir, ro);
    if (!rep) {
      out.say("error: report: {}\n", rep.error().describe());
    } else {
      outcome.report_written = true;
      out.say("report: {}\n        {}\n", rep->markdown.string(), rep->html.string());
    }
  }
  out.say("wall time: {} (this session, report included)\n", hms(since(t_start)));
  return outcome;
}

}  // namespace

Result<SuiteOutcome> run_suite(const SuiteOptions& o) {
  fs::path created_dir;
  auto r = run_suite_impl(o, created_dir);
  if (!r && !created_dir.empty()) {
    // A setup error in a new run leaves nothing behind (the plan was never written).
    std::error_code ec;
    if (!fs::exists(created_dir / "suite.json", ec)) fs::remove_all(created_dir, ec);
  }
  return r;
}

}  // namespace wasmhop::suite
