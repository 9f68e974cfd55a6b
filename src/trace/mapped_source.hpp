// A plain trace file mapped into memory: the readers parse it in place (no read() copy, no per-record
// copy) and the pages behind the read position are dropped as they go, so the process's memory stays
// bounded however long the file is. Internal to byte_source.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "trace/byte_source.hpp"

namespace wasmhop::trace::detail {

// Maps the open regular file `fd` (of `size` bytes; 0 is allowed) read-only. Takes no ownership of fd:
// the mapping outlives it.
[[nodiscard]] Result<std::unique_ptr<ByteSource>> map_plain_file(int fd, std::uint64_t size, const std::string& path);

}  // namespace wasmhop::trace::detail
