#include "suite/journal.hpp"

namespace wasmhop::suite {

bool JournalState::done(const std::string& id) const {
  auto it = steps.find(id);
  return it != steps.end() && it->second.done;
}

Result<JournalState> read_journal(const std::filesystem::path& path) {
  JournalState st;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return st;
  // A crash may leave a partial last line: skip malformed lines.
  auto lines = report::read_jsonl(path, {.skip_malformed = true});
  if (!lines) return tl::unexpected(lines.error());
  for (auto& ev : lines->records) {
    const std::string event = ev.value("event", std::string());
    const std::string id = ev.value("step", std::string());
    if (event == "suite-start") {
      ++st.suite_starts;
    } else if (event == "suite-end") {
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
    st.events.push_back(std::move(ev));
  }
  return st;
}

Result<Journal> Journal::open(const std::filesystem::path& path) {
  auto w = report::AppendOnlyWriter::open(path, {.create_parent_dirs = true, .durable = true});
  if (!w) return tl::unexpected(w.error());
  return Journal(std::move(*w));
}

Status Journal::append(nlohmann::json event) {
  event["time"] = report::utc_timestamp_now();
  return writer_.append(event);
}

}  // namespace wasmhop::suite
