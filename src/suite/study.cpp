#include "suite/study.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "run/journal.hpp"
#include "run/jsonl.hpp"
#include "run/records.hpp"
#include "run/run_dir.hpp"
#include "suite/plan.hpp"

namespace wasmhop::suite {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// One results directory, read.
struct Source {
  fs::path dir;
  json doc;
  Plan plan;
  json environment;
  run::JournalState journal;
  std::string shard;
};

// Directories whose records are of different versions are refused before anything is read, with
// the versions named (a single version this wasmhop does not read is refused by read_run_doc).
Status check_one_version(const std::vector<fs::path>& dirs) {
  std::vector<std::pair<std::string, std::string>> versions;  // (dir, version)
  for (const auto& d : dirs) {
    auto doc = run::read_json_file(d / "run.json");
    if (!doc || !doc->is_object()) continue;  // not a results directory: read_run_doc says so
    const json v = doc->value("records_schema", json());
    versions.emplace_back(d.string(), v.is_null() ? std::string("none") : v.dump());
  }
  for (const auto& [dir, v] : versions) {
    if (v == versions.front().second) continue;
    return fail(ErrorKind::invalid_argument,
                fmt::format("the results directories hold records of different versions: {} (record schema {}), {} "
                            "(record schema {}); report each with the wasmhop that wrote it",
                            versions.front().first, versions.front().second, dir, v));
  }
  return {};
}

Result<Source> read_source(const fs::path& dir_in, std::vector<std::string>& notes) {
  std::error_code ec;
  auto doc = run::read_run_doc(dir_in, "suite");
  if (!doc) return tl::unexpected(doc.error());
  Source s;
  s.dir = fs::canonical(dir_in, ec);
  s.doc = std::move(*doc);
  auto plan = plan_from_json(s.doc);
  if (!plan) return tl::unexpected(plan.error());
  s.plan = std::move(*plan);
  s.shard = s.doc.value("shard", std::string("1/1"));
  if (auto env = run::read_json_file(s.dir / "environment.json")) {
    s.environment = std::move(*env);
  } else {
    notes.push_back(fmt::format("{}: no environment.json", s.dir.string()));
    s.environment = json::object();
  }
  auto journal = run::read_journal(s.dir / "journal.jsonl");
  if (!journal) return tl::unexpected(journal.error());
  s.journal = std::move(*journal);
  return s;
}

// The plan without what legitimately differs between the shards of one study: the run's name,
// the path of the paper's trace on each machine, and the cost model's floating-point estimates.
json plan_identity(const json& doc) {
  json p = doc.value("params", json::object());
  p.erase("suite_id");
  p.erase("paper_trace");
  json steps = doc.value("steps", json::array());
  for (auto& s : steps) s.erase("expected_s");
  return {{"params", p}, {"steps", steps}};
}

Status check_same_study(const std::vector<Source>& sources) {
  const json first = plan_identity(sources.front().doc);
  for (const auto& s : sources) {
    if (plan_identity(s.doc) != first) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("{} and {} were planned differently (different options, seed or engines): they are not "
                              "shards of one study", sources.front().dir.string(), s.dir.string()));
    }
    if (&s != &sources.front() && s.dir == sources.front().dir) {
      return fail(ErrorKind::invalid_argument, fmt::format("{} is given twice", s.dir.string()));
    }
  }
  return {};
}

report::StepStatus status_of(const Step& step, const run::JournalState& j) {
  report::StepStatus st;
  st.id = step.id;
  st.kind = to_string(step.kind);
  if (auto it = j.steps.find(step.id); it != j.steps.end()) {
    st.done = it->second.done;
    st.failed = it->second.failed;
    st.attempts = it->second.attempts;
    st.wall_s = it->second.wall_s;
    st.cpu_s = it->second.cpu_s;
    st.records = it->second.records;
    st.message = it->second.message;
  }
  return st;
}

// A parsed record into its list, or why it did not parse.
template <class T>
std::string take(Result<T> parsed, std::vector<T>& into) {
  if (!parsed) return parsed.error().message;
  into.push_back(std::move(*parsed));
  return {};
}

// Every record of one completed step's file. A record of another schema is an error; a torn line
// or a record that does not parse is a note (it is not counted).
Status read_records(const fs::path& file, Study& study, std::vector<std::string>& notes) {
  auto lines = run::read_jsonl(file, {.skip_malformed = true});
  if (!lines) {
    notes.push_back(lines.error().message);
    return {};
  }
  for (const auto& m : lines->malformed) notes.push_back(fmt::format("{}:{}: {}", file.string(), m.line, m.message));
  for (std::size_t i = 0; i < lines->records.size(); ++i) {
    const json& r = lines->records[i];
    const auto where = fmt::format("{}:{}", file.string(), lines->lines[i]);
    if (auto st = run::check_schema(r); !st) return fail(st.error().kind, where + ": " + st.error().message);
    const std::string kind = run::record_kind(r);
    std::string problem;
    if (kind == run::kMicroKind) {
      problem = take(run::to_micro_record(r), study.micro);
    } else if (kind == run::kSimKind) {
      problem = take(run::to_sim_record(r), study.sim);
    } else if (kind == run::kWorkloadKind) {
      problem = take(run::to_workload_record(r), study.data.workloads);
    } else {
      problem = fmt::format("unknown record kind \"{}\"", kind);
    }
    if (!problem.empty()) notes.push_back(where + ": " + problem);
  }
  return {};
}

// The step states across the sources, and the records of every completed step.
Status merge_steps(const std::vector<Source>& sources, Study& study, std::vector<std::string>& notes) {
  for (const Step& step : sources.front().plan.steps) {
    std::vector<const Source*> done;
    for (const auto& s : sources) {
      if (s.journal.done(step.id)) done.push_back(&s);
    }
    if (done.size() > 1 && step.kind != StepKind::gen) {
      return fail(ErrorKind::invalid_argument,
                  fmt::format("step {} completed in both {} and {}: overlapping shards (or one run given twice) "
                              "would count its records twice", step.id, done[0]->dir.string(), done[1]->dir.string()));
    }
    // The status: of the source that completed it, else of the one that tried it most.
    const Source* from = done.empty() ? &sources.front() : done.front();
    for (const auto& s : sources) {
      if (done.empty() && s.journal.attempts(step.id) > from->journal.attempts(step.id)) from = &s;
    }
    study.data.steps.push_back(status_of(step, from->journal));
    for (const Source* s : done) {
      const fs::path file = s->dir / "records" / (step.id + ".jsonl");
      if (auto st = read_records(file, study, notes); !st) return st;
      if (step.kind == StepKind::gen) break;  // its other copies are compared below, not counted
    }
    if (step.kind == StepKind::gen && done.size() > 1) {
      for (const Source* s : done) {
        Study other;
        if (auto st = read_records(s->dir / "records" / "gen.jsonl", other, notes); !st) return st;
        const bool same = other.data.workloads.size() == study.data.workloads.size() &&
                          std::equal(other.data.workloads.begin(), other.data.workloads.end(),
                                     study.data.workloads.begin(),
                                     [](const auto& a, const auto& b) { return a.same_workload(b); });
        if (!same) {
          return fail(ErrorKind::invalid_argument,
                      fmt::format("{} generated another workload than {}: not shards of one study",
                                  s->dir.string(), done.front()->dir.string()));
        }
      }
    }
  }
  return {};
}

}  // namespace

Result<Study> read_study(const std::vector<fs::path>& dirs, std::vector<std::string>& notes) {
  if (dirs.empty()) return fail(ErrorKind::invalid_argument, "no results directory given");
  if (auto st = check_one_version(dirs); !st) return tl::unexpected(st.error());
  std::vector<Source> sources;
  for (const auto& d : dirs) {
    auto s = read_source(d, notes);
    if (!s) return tl::unexpected(s.error());
    sources.push_back(std::move(*s));
  }
  if (auto st = check_same_study(sources); !st) return tl::unexpected(st.error());
  Study study;
  report::SuiteData& d = study.data;
  d.suite = sources.front().doc;
  d.environment = sources.front().environment;
  if (auto base = mode_params(sources.front().plan.params.mode)) {
    d.mode_micro_reps = base->micro_reps;
    d.mode_sim_reps = base->sim_reps;
  }
  for (const auto& s : sources) {
    d.wall_s += s.journal.wall_s;
    d.sessions += s.journal.run_starts;
    std::size_t done = 0;
    for (const auto& [id, st] : s.journal.steps) done += st.done;
    const std::string cpu = s.environment.value("machine", json::object()).value("cpu_model", std::string());
    d.sources.push_back({s.dir, s.shard, done, cpu});
    if (cpu != d.sources.front().cpu_model) {
      notes.push_back(fmt::format("{} ran on another CPU ({}) than {} ({}): timings of different shards are not "
                                  "comparable", s.dir.string(), cpu, sources.front().dir.string(),
                                  d.sources.front().cpu_model));
    }
  }
  if (auto st = merge_steps(sources, study, notes); !st) return tl::unexpected(st.error());
  return study;
}

}  // namespace wasmhop::suite
