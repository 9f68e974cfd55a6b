#include "run/journal.hpp"

#include <unistd.h>

namespace wasmhop::run {
namespace {

void apply_event(JournalState& st, const nlohmann::json& ev) {
  const std::string event = ev.value("event", std::string());
  const std::string id = ev.value("step", std::string());
  if (event == "run-start") {
    ++st.run_starts;
  } else if (event == "run-end") {
    st.wall_s += ev.value("wall_s", 0.0);
  } else if (event == "step-start") {
    auto& s = st.steps[id];
    ++s.attempts;
    s.done = false;
    s.failed = false;
    s.message.clear();
  } else if (event == "step-done") {
    auto& s = st.steps[id];
    s.done = true;
    s.failed = false;
    s.wall_s = ev.value("wall_s", 0.0);
    s.cpu_s = ev.value("cpu_s", 0.0);
    s.records = ev.value("records", std::uint64_t{0});
  } else if (event == "step-failed") {
    auto& s = st.steps[id];
    s.done = false;
    s.failed = true;
    s.wall_s = ev.value("wall_s", 0.0);
    s.message = ev.value("message", std::string());
  }
}

double load_average() {
  double l[3] = {0, 0, 0};
  return getloadavg(l, 3) > 0 ? l[0] : -1.0;
}

}  // namespace

bool JournalState::done(const std::string& id) const {
  auto it = steps.find(id);
  return it != steps.end() && it->second.done;
}

int JournalState::attempts(const std::string& id) const {
  auto it = steps.find(id);
  return it == steps.end() ? 0 : it->second.attempts;
}

Result<JournalState> read_journal(const std::filesystem::path& path) {
  JournalState st;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return st;
  auto lines = read_jsonl(path, {.skip_malformed = true});
  if (!lines) return tl::unexpected(lines.error());
  for (auto& ev : lines->records) {
    apply_event(st, ev);
    st.events.push_back(std::move(ev));
  }
  return st;
}

Result<Journal> Journal::open(const std::filesystem::path& path) {
  auto w = AppendOnlyWriter::open(path, {.create_parent_dirs = true, .durable = true});
  if (!w) return tl::unexpected(w.error());
  return Journal(std::move(*w));
}

Status Journal::append(nlohmann::json event) {
  event["time"] = utc_timestamp_now();
  return writer_.append(event);
}

Status Journal::run_start(const std::string& command, const std::vector<std::string>& argv, bool resume) {
  return append({{"event", "run-start"}, {"command", command}, {"argv", argv}, {"resume", resume},
                 {"load_average", load_average()}});
}

Status Journal::run_end(double wall_s, std::size_t done, std::size_t failed, bool interrupted) {
  return append({{"event", "run-end"}, {"wall_s", wall_s}, {"done", done}, {"failed", failed},
                 {"interrupted", interrupted}});
}

Status Journal::step_start(const std::string& step, int attempt, const std::vector<std::string>& argv) {
  nlohmann::json ev{{"event", "step-start"}, {"step", step}, {"attempt", attempt}};
  if (!argv.empty()) ev["argv"] = argv;
  return append(std::move(ev));
}

Status Journal::step_done(const std::string& step, int attempt, double wall_s, double cpu_s, std::uint64_t records) {
  return append({{"event", "step-done"}, {"step", step}, {"attempt", attempt}, {"wall_s", wall_s}, {"cpu_s", cpu_s},
                 {"records", records}});
}

Status Journal::step_failed(const std::string& step, int attempt, double wall_s, const Error& error) {
  return append({{"event", "step-failed"}, {"step", step}, {"attempt", attempt}, {"wall_s", wall_s},
                 {"kind", std::string(to_string(error.kind))}, {"message", error.message}});
}

Status Journal::step_interrupted(const std::string& step, int attempt, double wall_s, int signal) {
  return append({{"event", "step-interrupted"}, {"step", step}, {"attempt", attempt}, {"wall_s", wall_s},
                 {"signal", signal}});
}

}  // namespace wasmhop::run
