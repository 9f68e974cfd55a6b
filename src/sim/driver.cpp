#include "sim/driver.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>

#include <time.h>

#include <fmt/format.h>

#include "run/program.hpp"
#include "sim/read_ahead.hpp"
#include "sim/size_parse.hpp"
#include "sim/thread_pool.hpp"

namespace wasmhop::sim {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

cache::CacheStats minus(const cache::CacheStats& a, const cache::CacheStats& b) {
  return {a.requests - b.requests, a.hits - b.hits, a.bytes_requested - b.bytes_requested, a.bytes_hit - b.bytes_hit};
}

std::string describe(const RunSpec& spec) {
  return fmt::format("{} at {}", spec.policy, format_size(spec.config.capacity));
}

// One (policy, size) job while it runs.
struct Job {
  const RunSpec* spec = nullptr;
  std::unique_ptr<PolicyRunner> runner;
  cache::CacheStats warm;  // counters at the end of the warm-up prefix
  std::uint64_t fed = 0;
  double setup_seconds = 0;
  double sim_seconds = 0;
  double sim_cpu_seconds = 0;
  std::optional<Error> error;
  bool done = false;  // completed (not skipped because of a stop request)
  SimRecord record;
};

bool stop_requested(const SweepOptions& options) noexcept {
  return options.stop != nullptr && options.stop->load(std::memory_order_relaxed) != 0;
}

Status create(Job& job, RunnerFactory& factory) {
  auto start = Clock::now();
  auto runner = factory.create(*job.spec);
  job.setup_seconds = seconds_since(start);
  if (!runner) return tl::unexpected(runner.error());
  job.runner = std::move(*runner);
  return {};
}

Status timed_batch(Job& job, std::span<const Request> part) {
  if (part.empty()) return {};
  double cpu = thread_cpu_seconds();
  auto start = Clock::now();
  Status st = job.runner->access_batch(part);
  job.sim_seconds += seconds_since(start);
  job.sim_cpu_seconds += thread_cpu_seconds() - cpu;
  return st;
}

// Feeds one slice, taking the warm-up snapshot when the slice crosses the end of the prefix.
Status feed(Job& job, std::span<const Request> chunk, std::uint64_t warmup) {
  if (warmup > job.fed && warmup <= job.fed + chunk.size()) {
    std::size_t head = static_cast<std::size_t>(warmup - job.fed);
    if (auto st = timed_batch(job, chunk.first(head)); !st) return st;
    auto snapshot = job.runner->stats();
    if (!snapshot) return tl::unexpected(snapshot.error());
    job.warm = *snapshot;
    if (auto st = timed_batch(job, chunk.subspan(head)); !st) return st;
  } else if (auto st = timed_batch(job, chunk); !st) {
    return st;
  }
  job.fed += chunk.size();
  return {};
}

Status finish(Job& job, RunnerFactory& factory) {
  auto stats = job.runner->stats();
  if (!stats) return tl::unexpected(stats.error());
  if (stats->requests != job.fed)
    return fail(ErrorKind::internal, fmt::format("{}: the runner counted {} requests, the trace has {}",
                                                 describe(*job.spec), stats->requests, job.fed));
  const PolicyInfo* info = find_policy(job.spec->policy);
  job.record.policy = info != nullptr ? std::string(info->name) : job.spec->policy;
  job.record.uses_cost = info != nullptr && info->uses_cost;
  job.record.config = job.spec->config;
  job.record.label = factory.label();
  job.record.stats = minus(*stats, job.warm);
  job.record.setup_seconds = job.setup_seconds;
  job.record.sim_seconds = job.sim_seconds;
  job.record.sim_cpu_seconds = job.sim_cpu_seconds;
  job.record.simulated = job.fed;
  job.runner.reset();
  return {};
}

unsigned worker_count(const SweepOptions& options, const RunnerFactory& factory, std::size_t jobs) {
  unsigned threads = options.threads != 0 ? options.threads : run::usable_processors();
  if (unsigned limit = factory.max_concurrency(); limit != 0) threads = std::min(threads, limit);
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, jobs)));
}

Result<SweepResult> collect(std::vector<Job>& jobs, SweepResult result) {
  for (Job& job : jobs) {
    if (job.error) return tl::unexpected(*job.error);
    if (!job.done) {
      result.interrupted = true;
      continue;
    }
    result.records.push_back(std::move(job.record));
  }
  return result;
}

std::vector<Job> make_jobs(std::span<const RunSpec> runs) {
  std::vector<Job> jobs(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) jobs[i].spec = &runs[i];
  return jobs;
}

}  // namespace

double SimRecord::hit_rate() const noexcept {
  return stats.requests == 0 ? 0.0 : static_cast<double>(stats.hits) / static_cast<double>(stats.requests);
}

double SimRecord::byte_hit_rate() const noexcept {
  return stats.bytes_requested == 0 ? 0.0
                                    : static_cast<double>(stats.bytes_hit) / static_cast<double>(stats.bytes_requested);
}

double SimRecord::requests_per_second() const noexcept {
  // Throughput over everything the runner simulated; the warm-up prefix is excluded from counts only.
  return sim_seconds > 0 ? static_cast<double>(simulated) / sim_seconds : 0.0;
}

std::string SimRecord::policy_label() const {
  return uses_cost ? fmt::format("{}({})", policy, cache::to_string(config.cost)) : policy;
}

std::vector<RunSpec> make_runs(std::span<const PolicyChoice> policies, std::span<const std::uint64_t> cache_sizes,
                               cache::SizeChange size_change) {
  std::vector<RunSpec> runs;
  for (const PolicyChoice& p : policies)
    for (std::uint64_t size : cache_sizes)
      runs.push_back(RunSpec{std::string(p.info->name), cache::CacheConfig{size, size_change, p.cost}});
  return runs;
}

TraceSummary summarize(const Trace& trace) {
  return TraceSummary{.path = trace.path,
                      .format = trace.format,
                      .compression = trace.compression,
                      .records = trace.stats.records,
                      .skipped = trace.stats.skipped,
                      .first_errors = trace.stats.first_errors,
                      .read_seconds = trace.read_seconds};
}

Result<SweepResult> run_sweep(const Trace& trace, std::span<const RunSpec> runs, RunnerFactory& factory,
                              const SweepOptions& options) {
  if (options.warmup > 0 && options.warmup >= trace.requests.size())
    return fail(ErrorKind::invalid_argument, fmt::format("warm-up of {} requests is not shorter than the trace ({})",
                                                         options.warmup, trace.requests.size()));
  SweepResult result;
  result.trace = summarize(trace);
  result.warmup = options.warmup;
  result.threads = worker_count(options, factory, runs.size());
  std::vector<Job> jobs = make_jobs(runs);
  std::span<const Request> all(trace.requests);
  std::mutex report;
  parallel_for(jobs.size(), result.threads, [&](std::size_t i) {
    if (stop_requested(options)) return;
    Job& job = jobs[i];
    Status st = create(job, factory);
    if (st) st = feed(job, all, options.warmup);
    if (st) st = finish(job, factory);
    if (!st) job.error = st.error();
    job.runner.reset();
    if (st) {
      job.done = true;
      if (options.on_record) {
        std::lock_guard lock(report);
        options.on_record(job.record);
      }
    }
  });
  return collect(jobs, std::move(result));
}

Result<SweepResult> run_sweep(TraceReader& reader, std::span<const RunSpec> runs, RunnerFactory& factory,
                              const SweepOptions& options) {
  SweepResult result;
  result.warmup = options.warmup;
  result.threads = worker_count(options, factory, runs.size());
  std::vector<Job> jobs = make_jobs(runs);
  for (Job& job : jobs)
    if (auto st = create(job, factory); !st) return tl::unexpected(st.error());
  // Reading overlaps the jobs when a processor is left for it (read_ahead.hpp).
  ReadAhead chunks(reader, options.chunk_records, result.threads < run::usable_processors());
  std::uint64_t total = 0;
  for (;;) {
    if (stop_requested(options)) {  // no job can complete: report none
      result.interrupted = true;
      result.trace.path = reader.options().path;
      result.trace.streamed = true;
      return result;
    }
    auto view = chunks.next();
    if (!view) return tl::unexpected(view.error());
    if (view->empty()) break;
    total += view->size();
    parallel_for(jobs.size(), result.threads, [&](std::size_t i) {
      if (jobs[i].error) return;
      if (auto st = feed(jobs[i], *view, options.warmup); !st) jobs[i].error = st.error();
    });
    for (Job& job : jobs)
      if (job.error) return tl::unexpected(*job.error);
  }
  if (total == 0) return fail(ErrorKind::invalid_argument, fmt::format("{}: no requests", reader.options().path));
  if (options.warmup > 0 && options.warmup >= total)
    return fail(ErrorKind::invalid_argument,
                fmt::format("warm-up of {} requests is not shorter than the trace ({})", options.warmup, total));
  for (Job& job : jobs) {
    if (auto st = finish(job, factory); !st) return tl::unexpected(st.error());
    job.done = true;
    if (options.on_record) options.on_record(job.record);
  }
  const ReadStats& rs = reader.stats();
  result.trace = TraceSummary{.path = reader.options().path,
                              .format = reader.format(),
                              .compression = std::string(reader.compression()),
                              .records = rs.records,
                              .skipped = rs.skipped,
                              .first_errors = rs.first_errors,
                              .read_seconds = chunks.read_seconds(),
                              .streamed = true,
                              .read_ahead = chunks.threaded()};
  return collect(jobs, std::move(result));
}

}  // namespace wasmhop::sim
