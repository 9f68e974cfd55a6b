#include "trace/writer.hpp"

#include "trace/parsing.hpp"

namespace wasmhop::trace {

Result<std::unique_ptr<TraceWriter>> open_writer(const std::filesystem::path& path, TraceFormat format) {
  if (format == TraceFormat::automatic) format = detect_trace_format(path.string());
  auto sink = std::make_unique<ByteSink>();
  if (auto st = sink->open(path); !st) return tl::unexpected(st.error());
  return detail::format_entry(format).make_writer(std::move(sink));
}

}  // namespace wasmhop::trace
