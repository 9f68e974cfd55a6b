#include "gen/trace_output.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "trace/reader.hpp"
#include "trace/writer.hpp"

namespace wasmhop::gen {
namespace {

constexpr std::size_t kBlock = std::size_t{1} << 16;  // records handed to the writer at a time

}  // namespace

std::vector<std::int64_t> next_access_vtimes(std::span<const std::uint32_t> requests) {
  std::uint32_t max_id = 0;
  for (std::uint32_t id : requests) max_id = std::max(max_id, id);
  std::vector<std::int64_t> last(requests.empty() ? 0 : std::size_t{max_id} + 1, -1);
  std::vector<std::int64_t> next(requests.size());
  for (std::size_t i = requests.size(); i-- > 0;) {
    next[i] = last[requests[i]];
    last[requests[i]] = static_cast<std::int64_t>(i) + 1;
  }
  return next;
}

Status write_trace(const std::filesystem::path& path, trace::TraceFormat format,
                   std::span<const std::uint32_t> requests, std::span<const std::uint32_t> size_of) {
  for (std::uint32_t id : requests)
    if (id >= size_of.size()) return fail(ErrorKind::invalid_argument, fmt::format("gen: request id {} has no size", id));
  if (format == trace::TraceFormat::automatic) format = trace::detect_trace_format(path.string());
  const bool oracle = format == trace::TraceFormat::oracle;
  if (oracle && requests.size() > 0xFFFFFFFFull)
    return fail(ErrorKind::invalid_argument, "gen: oracleGeneral timestamps are 32-bit: at most 2^32-1 requests");
  // next_access_vtime by a backward pass (32-bit vtimes, 0 = none: half the memory of next_access_vtimes).
  std::vector<std::uint32_t> next;
  if (oracle) {
    std::vector<std::uint32_t> last(size_of.size(), 0);
    next.resize(requests.size());
    for (std::size_t i = requests.size(); i-- > 0;) {
      next[i] = last[requests[i]];
      last[requests[i]] = static_cast<std::uint32_t>(i + 1);
    }
  }
  auto writer = trace::open_writer(path, format);
  if (!writer) return tl::unexpected(Error{writer.error().kind, "gen: " + writer.error().message});
  std::vector<trace::TraceRecord> block;
  block.reserve(kBlock);
  for (std::size_t start = 0; start < requests.size(); start += kBlock) {
    block.clear();
    for (std::size_t i = start; i < std::min(requests.size(), start + kBlock); ++i) {
      const std::uint32_t id = requests[i];
      const std::int64_t nx = oracle && next[i] != 0 ? std::int64_t{next[i]} : -1;
      block.push_back(trace::TraceRecord{static_cast<std::uint32_t>(i + 1), id, size_of[id], nx});
    }
    if (auto st = (*writer)->write(block); !st) return st;
  }
  return (*writer)->close();
}

Status write_stats(const std::filesystem::path& path, std::span<const std::uint32_t> freq,
                   std::span<const std::uint32_t> size) {
  if (freq.size() != size.size()) return fail(ErrorKind::invalid_argument, "gen: stats: freq/size lengths differ");
  // "frequency size" lines are the text trace format's two columns.
  auto writer = trace::open_writer(path, trace::TraceFormat::text);
  if (!writer) return tl::unexpected(Error{writer.error().kind, "gen: " + writer.error().message});
  std::vector<trace::TraceRecord> block;
  for (std::size_t start = 0; start < freq.size(); start += kBlock) {
    block.clear();
    for (std::size_t d = start; d < std::min(freq.size(), start + kBlock); ++d)
      block.push_back(trace::TraceRecord{0, freq[d], size[d], -1});
    if (auto st = (*writer)->write(block); !st) return st;
  }
  return (*writer)->close();
}

Result<std::vector<ObjectStats>> read_stats(const std::filesystem::path& path) {
  trace::TraceOptions o;
  o.path = path.string();
  o.format = trace::TraceFormat::text;
  o.allow_zero_size = true;
  auto rows = trace::read_all_records(o);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<ObjectStats> out;
  out.reserve(rows->size());
  for (const trace::TraceRecord& r : *rows) {
    if (r.id > 0xFFFFFFFFull || r.size > 0xFFFFFFFFull)
      return fail(ErrorKind::invalid_argument,
                  fmt::format("{}: object {}: frequency {} or size {} exceeds 32 bits", path.string(), out.size(), r.id,
                              r.size));
    out.push_back({static_cast<std::uint32_t>(r.id), static_cast<std::uint32_t>(r.size)});
  }
  return out;
}

}  // namespace wasmhop::gen
