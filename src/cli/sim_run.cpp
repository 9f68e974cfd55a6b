#include "cli/sim_run.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/sim_ratios.hpp"
#include "report/sim_summary.hpp"
#include "run/jsonl.hpp"
#include "run/program.hpp"
#include "run/sim_record.hpp"
#include "run/stop.hpp"
#include "sim/driver.hpp"
#include "sim/input_plan.hpp"
#include "sim/policies.hpp"
#include "sim/runner_selection.hpp"
#include "sim/sim_output.hpp"
#include "sim/size_parse.hpp"
#include "trace/reader.hpp"

namespace wasmhop::cli {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Result<char> parse_delimiter(const std::string& text) {
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text == "space" || text == " ") return ' ';
  if (text.size() == 1) return text[0];
  return fail(ErrorKind::invalid_argument,
              fmt::format("bad CSV delimiter '{}' (one character, or 'tab' / 'space')", text));
}

Result<std::vector<bool>> parse_cached(const std::string& text) {
  if (text == "yes") return std::vector<bool>{true};
  if (text == "no") return std::vector<bool>{false};
  if (text == "both") return std::vector<bool>{true, false};
  return fail(ErrorKind::invalid_argument, fmt::format("bad --cached '{}' (valid: yes, no, both)", text));
}

Result<trace::TraceOptions> trace_options(const SimArgs& a) {
  trace::TraceOptions topts;
  topts.path = a.trace;
  auto format = trace::parse_trace_format(a.format);
  if (!format) return tl::unexpected(format.error());
  topts.format = *format;
  topts.csv = trace::CsvOptions{a.csv_id_col, a.csv_size_col, a.csv_time_col, ',', a.csv_header, a.csv_hash_ids};
  auto delimiter = parse_delimiter(a.csv_delimiter);
  if (!delimiter) return tl::unexpected(delimiter.error());
  topts.csv.delimiter = *delimiter;
  topts.skip_bad_records = a.skip_bad;
  topts.allow_zero_size = a.allow_zero;
  return topts;
}

// What to simulate: the jobs (policy x size) and the runners (engine x ABI x cached) that run them.
struct Plan {
  std::vector<sim::RunSpec> runs;
  std::vector<std::unique_ptr<sim::RunnerFactory>> factories;
};

Result<Plan> plan_of(const SimArgs& a) {
  auto cost = sim::parse_cost(a.gds_cost);
  if (!cost) return tl::unexpected(cost.error());
  auto policies = sim::parse_policy_list(a.policies, *cost);
  if (!policies) return tl::unexpected(policies.error());
  auto sizes = sim::parse_size_list(a.cache_sizes);
  if (!sizes) return tl::unexpected(sizes.error());
  auto mode = sim::parse_size_change(a.size_change);
  if (!mode) return tl::unexpected(mode.error());
  auto cached = parse_cached(a.cached);
  if (!cached) return tl::unexpected(cached.error());
  sim::RunnerSelection selection;
  selection.engines = split_list(a.engines);
  selection.abis = split_list(a.abis);
  selection.cached = *cached;
  selection.guest_dir = a.guest_dir;
  selection.call_timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(a.call_timeout_s));
  if (!a.max_memory.empty()) {
    auto bytes = sim::parse_size(a.max_memory);
    if (!bytes) return tl::unexpected(bytes.error());
    selection.memory_limit = *bytes;
  }
  selection.note = [](const std::string& why) { fmt::print(stderr, "note: {}\n", why); };
  auto factories = sim::make_runner_factories(selection);
  if (!factories) return tl::unexpected(factories.error());
  return Plan{sim::make_runs(*policies, *sizes, *mode), std::move(*factories)};
}

// Each completed simulation's record: to the records file (with --out DIR also journaled as a
// completed step of the run).
class Recorder {
 public:
  static Result<Recorder> open(const SimArgs& a, run::RunDir* dir) {
    Recorder r;
    r.dir_ = dir;
    r.context_.run_id = a.run_id;
    r.context_.step = a.step;
    r.context_.purpose = a.purpose;
    r.context_.trace = a.trace_name;
    r.context_.replication = a.replication;
    r.context_.timed = a.timed;
    r.context_.warmup = a.warmup;
    if (r.context_.trace.empty()) r.context_.trace = fs::path(a.trace).filename().string();
    if (dir && r.context_.run_id.empty()) r.context_.run_id = dir->dir().filename().string();
    const fs::path file = dir ? dir->records_file("sim") : fs::path(a.records_file);
    if (file.empty()) return r;
    auto w = run::AppendOnlyWriter::open(file);
    if (!w) return tl::unexpected(w.error());
    r.writer_.emplace(std::move(*w));
    return r;
  }
  [[nodiscard]] const sim::RecordContext& context() const noexcept { return context_; }
  void set_trace(std::uint64_t records, double read_s) {
    context_.trace_records = records;
    context_.trace_read_s = read_s;
  }
  Status write(const sim::SimRecord& rec) {
    if (!writer_) return {};
    const run::SimRecord r = sim::to_run_record(rec, context_);
    if (auto st = writer_->append(run::to_json_object(r)); !st) return st;
    if (dir_) return dir_->journal().step_done(r.step, 1, rec.setup_seconds + rec.sim_seconds, rec.sim_cpu_seconds, 1);
    return {};
  }

 private:
  run::RunDir* dir_ = nullptr;
  sim::RecordContext context_;
  std::optional<run::AppendOnlyWriter> writer_;
};

// The simulations a resumed run completed before (their records survived set_aside_unfinished).
Result<std::vector<sim::SimRecord>> completed_before(run::RunDir& dir) {
  std::vector<sim::SimRecord> out;
  const fs::path file = dir.records_file("sim");
  std::error_code ec;
  if (!fs::exists(file, ec)) return out;
  auto lines = run::read_jsonl(file);
  if (!lines) return tl::unexpected(lines.error());
  for (std::size_t i = 0; i < lines->records.size(); ++i) {
    auto r = run::to_sim_record(lines->records[i]).and_then(sim::from_run_record);
    if (!r) return fail(ErrorKind::invalid_argument, fmt::format("{}:{}: {}", file.string(), lines->lines[i], r.error().message));
    out.push_back(std::move(*r));
  }
  return out;
}

// The trace, loaded once and shared by every runner (or streamed per runner), and each runner's
// simulations over it; each simulation's record is written as it completes (streamed: they all
// complete at the end and are written then).
class Sweeper {
 public:
  Sweeper(const SimArgs& a, Recorder& recorder) : a_(a), recorder_(recorder) {
    sopts_.threads = a.timed ? 1u : a.threads;
    sopts_.warmup = a.warmup;
    sopts_.chunk_records = a.chunk;
    sopts_.stop = &run::stop_flag();
    sopts_.on_record = [this](const sim::SimRecord& r) { write(r); };
  }

  // Reads the trace into memory, or leaves it to be streamed: chosen from `runs` (the simulations in
  // all), the trace's size and the memory budget (--stream / --no-stream decide instead).
  Status load(std::uint64_t runs) {
    auto topts = trace_options(a_);
    if (!topts) return tl::unexpected(topts.error());
    topts_ = std::move(*topts);
    auto facts = sim::probe_input(a_.trace, topts_.format);
    if (!facts) return tl::unexpected(facts.error());
    facts->runs = runs;
    facts->memory_budget = sim::default_memory_budget();
    if (!a_.trace_memory.empty()) {
      auto bytes = sim::parse_size(a_.trace_memory);
      if (!bytes) return tl::unexpected(bytes.error());
      facts->memory_budget = *bytes;
    }
    const sim::InputChoice input = sim::choose_input(
        a_.stream ? sim::StreamMode::stream : a_.no_stream ? sim::StreamMode::memory : sim::StreamMode::automatic,
        *facts);
    input_ = input.reason;
    if (!a_.quiet) fmt::print(stderr, "input: {}\n", input_);
    if (input.stream) return {};
    auto t = trace::read_trace(topts_);
    if (!t) return tl::unexpected(t.error());
    if (t->requests.empty()) return fail(ErrorKind::invalid_argument, fmt::format("{}: no requests", a_.trace));
    trace_ = std::move(*t);
    recorder_.set_trace(trace_->stats.records, trace_->read_seconds);
    return {};
  }

  [[nodiscard]] const std::string& input() const noexcept { return input_; }

  // The trace's facts before any runner ran (empty when streamed).
  [[nodiscard]] sim::TraceSummary summary() const {
    return trace_ ? sim::summarize(*trace_) : sim::TraceSummary{};
  }

  Result<sim::SweepResult> run(sim::RunnerFactory& factory, const std::vector<sim::RunSpec>& todo) {
    Result<sim::SweepResult> result;
    if (trace_) {
      result = sim::run_sweep(*trace_, todo, factory, sopts_);
    } else {
      auto reader = trace::open_trace(topts_);
      if (!reader) return tl::unexpected(reader.error());
      auto streamed = sopts_;
      streamed.on_record = nullptr;
      result = sim::run_sweep(**reader, todo, factory, streamed);
      if (result) {
        recorder_.set_trace(result->trace.records, result->trace.read_seconds);
        for (const auto& r : result->records) write(r);
      }
    }
    if (result && record_error_) return tl::unexpected(*record_error_);
    return result;
  }

 private:
  void write(const sim::SimRecord& r) {
    if (record_error_) return;
    if (auto st = recorder_.write(r); !st) record_error_ = st.error();
  }

  const SimArgs& a_;
  Recorder& recorder_;
  trace::TraceOptions topts_;
  std::optional<trace::Trace> trace_;
  std::string input_;  // how the trace is read, and why (sim/input_plan.hpp)
  sim::SweepOptions sopts_;
  std::optional<Error> record_error_;
};

// Every runner over the trace, skipping the simulations in `done`.
Result<sim::SweepResult> sweep_all(const SimArgs& a, Plan& plan, const std::set<std::string>& done,
                                   Recorder& recorder, std::size_t& planned) {
  Sweeper sweeper(a, recorder);
  if (auto st = sweeper.load(static_cast<std::uint64_t>(plan.runs.size()) * plan.factories.size()); !st) {
    return tl::unexpected(st.error());
  }
  sim::SweepResult all;
  all.warmup = a.warmup;
  all.trace = sweeper.summary();
  bool first = true;
  for (auto& factory : plan.factories) {
    std::vector<sim::RunSpec> todo;
    for (const auto& spec : plan.runs)
      if (!done.contains(sim::job_key(spec, factory->label()))) todo.push_back(spec);
    planned += plan.runs.size();
    if (todo.empty() || run::stop_requested() != 0) {
      all.interrupted = all.interrupted || !todo.empty();
      continue;
    }
    auto result = sweeper.run(*factory, todo);
    if (!result) return tl::unexpected(result.error());
    if (first) {
      all.trace = result->trace;
      all.threads = result->threads;
      first = false;
    }
    all.interrupted = all.interrupted || result->interrupted;
    for (auto& r : result->records) all.records.push_back(std::move(r));
  }
  all.trace.input = sweeper.input();
  return all;
}

Status write_outputs(const SimArgs& a, const std::string& out_dir, const sim::SweepResult& all) {
  if (!a.quiet) std::fputs(sim::format_table(all).c_str(), stdout);
  for (const std::string& e : all.trace.first_errors) fmt::print(stderr, "skipped: {}\n", e);
  std::string csv_path = a.csv_file, json_path = a.json_file;
  if (!out_dir.empty()) {
    if (csv_path.empty()) csv_path = out_dir + "/sim.csv";
    if (json_path.empty()) json_path = out_dir + "/sim.json";
  }
  if (!csv_path.empty())
    if (auto st = sim::write_text_file(csv_path, sim::to_csv(all)); !st) return st;
  if (!json_path.empty())
    if (auto st = sim::write_text_file(json_path, sim::to_json(all)); !st) return st;
  return {};
}

std::string interrupted_message(const sim::SweepResult& all, std::size_t planned, const run::RunDir* dir) {
  const std::string where = dir ? (dir->records_file("sim").string() + " (and sim.csv, sim.json beside it)")
                                : std::string("--csv / --json, when given");
  const std::string how = dir ? "finish it with: " + run::shell_join({run::self_executable(), "sim", "--resume",
                                                                     dir->dir().string()})
                              : std::string("rerun with --out DIR to make a run resumable");
  return fmt::format("interrupted by {} after {} of {} simulations; the completed ones are in {} (marked "
                     "\"interrupted\"); {}",
                     run::signal_name(run::stop_requested()), all.records.size(), planned, where, how);
}

}  // namespace

Result<std::string> run_sim(const SimArgs& a, run::RunDir* dir) {
  auto plan = plan_of(a);
  if (!plan) return tl::unexpected(plan.error());
  std::vector<sim::SimRecord> before;
  std::set<std::string> done;
  if (dir) {
    auto b = completed_before(*dir);
    if (!b) return tl::unexpected(b.error());
    before = std::move(*b);
    for (const auto& r : before) done.insert(sim::job_key(r));
  }
  auto recorder = Recorder::open(a, dir);
  if (!recorder) return tl::unexpected(recorder.error());
  run::install_stop_handlers();
  if (dir) (void)dir->journal().run_start("sim", run::command_line(), !before.empty() || dir->prior().run_starts > 0);
  const auto t0 = std::chrono::steady_clock::now();
  std::size_t planned = 0;
  auto all = sweep_all(a, *plan, done, *recorder, planned);
  if (!all) return tl::unexpected(all.error());
  if (dir) {
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    (void)dir->journal().run_end(wall, before.size() + all->records.size(), 0, all->interrupted);
  }
  if (!before.empty()) {  // completed before, first
    for (auto& r : all->records) before.push_back(std::move(r));
    all->records = std::move(before);
  }
  if (auto st = write_outputs(a, dir ? dir->dir().string() : std::string(), *all); !st) return tl::unexpected(st.error());
  if (dir) {  // the statistics tools/plot_sim.py draws (medians over replications, scripted / native ratios)
    std::vector<run::SimRecord> records;
    for (const auto& r : all->records) records.push_back(sim::to_run_record(r, recorder->context()));
    if (auto st = report::write_sim_summaries(dir->dir(), report::summarize_sim(records)); !st) {
      return tl::unexpected(st.error());
    }
  }
  return all->interrupted ? interrupted_message(*all, planned, dir) : std::string();
}

}  // namespace wasmhop::cli
