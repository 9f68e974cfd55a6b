#include "run/run_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "run/jsonl.hpp"
#include "run/records.hpp"

namespace wasmhop::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<int> take_lock(const fs::path& dir) {
  const fs::path p = dir / ".lock";
  const int fd = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return fail(ErrorKind::io_error, fmt::format("cannot open '{}'", p.string()));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return fail(ErrorKind::invalid_argument, fmt::format("another run is using '{}'", dir.string()));
  }
  return fd;
}

bool holds_a_run(const fs::path& dir) {
  std::error_code ec;
  for (const char* name : {"run.json", "journal.jsonl", "records"}) {
    if (fs::exists(dir / name, ec)) return true;
  }
  return false;
}

std::string line_step(const std::string& line, const std::string& file_step) {
  const json j = json::parse(line, nullptr, false);
  if (!j.is_object()) return {};  // torn: never counts
  auto it = j.find("step");
  return it != j.end() && it->is_string() ? it->get<std::string>() : file_step;
}

// The lines of one records file, split into those of complete steps and the others (by step).
struct Split {
  std::string kept;
  std::map<std::string, std::string> dropped;  // step ("" = torn lines) -> lines
  std::uint64_t kept_lines = 0, dropped_lines = 0;
};

Result<Split> split_file(const fs::path& file, const JournalState& prior) {
  auto text = read_text_file(file);
  if (!text) return tl::unexpected(text.error());
  Split s;
  std::size_t pos = 0;
  while (pos < text->size()) {
    std::size_t end = text->find('\n', pos);
    if (end == std::string::npos) end = text->size();
    const std::string line = text->substr(pos, end - pos);
    pos = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string step = line_step(line, file.stem().string());
    if (!step.empty() && prior.done(step)) {
      s.kept += line + '\n';
      ++s.kept_lines;
    } else {
      s.dropped[step] += line + '\n';
      ++s.dropped_lines;
    }
  }
  return s;
}

Status write_whole(const fs::path& p, const std::string& text) {
  const fs::path tmp = p.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) return fail(ErrorKind::io_error, fmt::format("cannot replace '{}': {}", p.string(), ec.message()));
  return {};
}

Status append_text(const fs::path& p, const std::string& text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary | std::ios::app);
  out << text;
  if (!out.flush()) return fail(ErrorKind::io_error, fmt::format("cannot write '{}'", p.string()));
  return {};
}

}  // namespace

Result<json> read_run_doc(const fs::path& dir, const std::string& command) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return fail(ErrorKind::invalid_argument, fmt::format("'{}' is not a directory", dir.string()));
  const std::string what = command.empty() ? std::string("wasmhop") : "wasmhop " + command;
  auto doc = read_json_file(dir / "run.json");
  if (!doc || !doc->is_object()) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("'{}' holds no readable run.json (not a results directory of {})", dir.string(), what));
  }
  const std::string has = doc->value("command", std::string());
  if (!command.empty() && has != command) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("'{}' is a results directory of wasmhop {}, not of {}", dir.string(), has, what));
  }
  const auto it = doc->find("records_schema");
  if (it == doc->end() || !it->is_number_integer() || it->get<int>() != kRecordSchema) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("'{}' holds records of {} (this wasmhop reads record schema {} only: rerun it, or use the "
                            "wasmhop that wrote it)", dir.string(),
                            it == doc->end() ? std::string("an older wasmhop (no record schema)")
                                             : "record schema " + it->dump(),
                            kRecordSchema));
  }
  return doc;
}

Result<RunDir> RunDir::open(const fs::path& dir_in, const std::string& command) {
  std::error_code ec;
  RunDir d;
  d.command_ = command;
  fs::create_directories(dir_in / "records", ec);
  if (ec) return fail(ErrorKind::io_error, fmt::format("cannot create '{}': {}", (dir_in / "records").string(), ec.message()));
  d.dir_ = fs::canonical(dir_in, ec);
  auto lock = take_lock(d.dir_);
  if (!lock) return tl::unexpected(lock.error());
  d.lock_fd_ = *lock;
  auto prior = read_journal(d.dir_ / "journal.jsonl");
  if (!prior) return tl::unexpected(prior.error());
  d.prior_ = std::move(*prior);
  auto journal = Journal::open(d.dir_ / "journal.jsonl");
  if (!journal) return tl::unexpected(journal.error());
  d.journal_.emplace(std::move(*journal));
  return d;
}

Result<RunDir> RunDir::create(const fs::path& dir, const std::string& command, Existing existing) {
  std::error_code ec;
  const bool refused = existing == Existing::no_run ? holds_a_run(dir)
                                                    : fs::exists(dir, ec) && !fs::is_empty(dir, ec);
  if (refused) {
    return fail(ErrorKind::invalid_argument,
                fmt::format("results directory '{}' exists and {} (continue an interrupted run with --resume {}, or "
                            "choose another --out)", dir.string(),
                            existing == Existing::no_run ? "holds a run" : "is not empty", dir.string()));
  }
  return open(dir, command);
}

Result<RunDir> RunDir::resume(const fs::path& dir, const std::string& command) {
  auto doc = read_run_doc(dir, command);
  if (!doc) return tl::unexpected(doc.error());
  auto d = open(dir, command);
  if (!d) return tl::unexpected(d.error());
  d->doc_ = std::move(*doc);
  return d;
}

RunDir::RunDir(RunDir&& o) noexcept
    : dir_(std::move(o.dir_)), command_(std::move(o.command_)), doc_(std::move(o.doc_)), prior_(std::move(o.prior_)),
      journal_(std::move(o.journal_)), lock_fd_(std::exchange(o.lock_fd_, -1)) {}

RunDir& RunDir::operator=(RunDir&& o) noexcept {
  if (this != &o) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    dir_ = std::move(o.dir_);
    command_ = std::move(o.command_);
    doc_ = std::move(o.doc_);
    prior_ = std::move(o.prior_);
    journal_ = std::move(o.journal_);
    lock_fd_ = std::exchange(o.lock_fd_, -1);
  }
  return *this;
}

RunDir::~RunDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Status RunDir::write_doc(json doc) {
  doc["schema"] = kRunDocSchema;
  doc["command"] = command_;
  doc["records_schema"] = kRecordSchema;
  if (auto st = write_json_file(dir_ / "run.json", doc); !st) return st;
  doc_ = std::move(doc);
  return {};
}

fs::path RunDir::records_file(const std::string& name) const { return dir_ / "records" / (name + ".jsonl"); }

Result<std::uint64_t> RunDir::set_aside_unfinished(const std::function<void(const std::string&)>& say) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir_ / "records", ec)) {
    if (e.is_regular_file() && e.path().extension() == ".jsonl") files.push_back(e.path());
  }
  std::uint64_t total = 0;
  const fs::path aside = dir_ / "records" / "discarded";
  for (const auto& file : files) {
    auto split = split_file(file, prior_);
    if (!split) return tl::unexpected(split.error());
    if (split->dropped_lines == 0) continue;
    const fs::path moved = aside / fmt::format("{}.session{}.jsonl", file.stem().string(), prior_.run_starts);
    std::string dropped;
    for (const auto& [step, lines] : split->dropped) dropped += lines;
    if (auto st = append_text(moved, dropped); !st) return tl::unexpected(st.error());
    if (split->kept_lines == 0) {
      fs::remove(file, ec);
    } else if (auto st = write_whole(file, split->kept); !st) {
      return tl::unexpected(st.error());
    }
    for (const auto& [step, lines] : split->dropped) {
      const auto n = static_cast<std::uint64_t>(std::count(lines.begin(), lines.end(), '\n'));
      const std::string name = step.empty() ? std::string("(torn lines)") : step;
      if (say) say(fmt::format("discarding {} partial record line(s) of {} (moved to {})", n, name, moved.string()));
      (void)journal_->append({{"event", "step-discarded"}, {"step", step}, {"attempt", prior_.attempts(step)},
                              {"moved_to", fs::relative(moved, dir_, ec).string()}, {"records", n}});
    }
    total += split->dropped_lines;
  }
  return total;
}

}  // namespace wasmhop::run
