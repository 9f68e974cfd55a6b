// The WASI functions wasmhop implements, each over the caller's bounds-checked memory: a guest
// pointer outside memory is an error of that call (WASI's own "fault"), never a host crash.
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "wasi/wasi_state.hpp"

namespace wasmhop::wasi {
namespace {

using State = Context::State;

void default_output(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the host's stdout is gone: the guest's bytes are dropped, as a pipe's
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// fd_write(fd, iovs, iovs_len, nwritten_ptr) -> errno: gathers the iovecs ({u32 ptr, u32 len}).
Result<std::int32_t> fd_write(State& st, Caller& c, std::int32_t fd, std::uint32_t iovs, std::uint32_t n,
                              std::uint32_t nwritten_ptr) {
  if (fd != 1 && fd != 2) return kBadf;
  const GuestMemory mem = c.memory();
  std::string out;
  for (std::uint32_t k = 0; k < n; ++k) {
    auto ptr = mem.read<std::uint32_t>(std::uint64_t{iovs} + 8ull * k);
    auto len = mem.read<std::uint32_t>(std::uint64_t{iovs} + 8ull * k + 4);
    if (!ptr || !len) return tl::unexpected(ptr ? len.error() : ptr.error());
    auto bytes = mem.bytes(*ptr, *len);
    if (!bytes) return tl::unexpected(bytes.error());
    out.append(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  }
  if (st.output) st.output(fd, out);
  else default_output(fd, out);
  if (auto w = mem.write<std::uint32_t>(nwritten_ptr, static_cast<std::uint32_t>(out.size())); !w) {
    return tl::unexpected(w.error());
  }
  return kSuccess;
}

// clock_time_get(id, precision, time_ptr) -> errno: nanoseconds as a u64.
Result<std::int32_t> clock_time_get(Caller& c, std::int32_t id, std::int64_t, std::uint32_t time_ptr) {
  clockid_t clock = 0;
  switch (id) {
    case 0: clock = CLOCK_REALTIME; break;
    case 1: clock = CLOCK_MONOTONIC; break;
    case 2: clock = CLOCK_PROCESS_CPUTIME_ID; break;
    case 3: clock = CLOCK_THREAD_CPUTIME_ID; break;
    default: return kInval;
  }
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return kInval;
  const auto ns = static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
  if (auto w = c.memory().write(time_ptr, ns); !w) return tl::unexpected(w.error());
  return kSuccess;
}

// random_get(buf, len) -> errno: the host's getrandom.
Result<std::int32_t> random_get(Caller& c, std::uint32_t buf, std::uint32_t len) {
  auto bytes = c.memory().bytes(buf, len);
  if (!bytes) return tl::unexpected(bytes.error());
  std::size_t done = 0;
  while (done < bytes->size()) {
    const ssize_t n = getrandom(bytes->data() + done, bytes->size() - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return kNosys;
    done += static_cast<std::size_t>(n);
  }
  return kSuccess;
}

// *_sizes_get(count_ptr, buf_size_ptr): an empty list (no arguments, no environment).
Result<std::int32_t> empty_sizes(Caller& c, std::uint32_t count_ptr, std::uint32_t size_ptr) {
  const GuestMemory mem = c.memory();
  if (auto w = mem.write<std::uint32_t>(count_ptr, 0); !w) return tl::unexpected(w.error());
  if (auto w = mem.write<std::uint32_t>(size_ptr, 0); !w) return tl::unexpected(w.error());
  return kSuccess;
}

// fd_fdstat_get(fd, stat_ptr): fd 0-2 are character devices with no flags and no rights beyond
// what this WASI serves (fdstat: u8 filetype, u16 flags, u64 rights base, u64 rights inheriting).
Result<std::int32_t> fd_fdstat_get(Caller& c, std::int32_t fd, std::uint32_t stat_ptr) {
  if (fd < 0 || fd > 2) return kBadf;
  std::uint8_t stat[24] = {};
  stat[0] = 2;                                          // character_device
  const std::uint64_t rights = fd == 0 ? 0 : 1u << 6;   // fd_write
  std::memcpy(stat + 8, &rights, sizeof rights);
  if (auto w = c.memory().write_bytes(stat_ptr, stat); !w) return tl::unexpected(w.error());
  return kSuccess;
}

}  // namespace

void add_implemented(Imports& im, const std::shared_ptr<State>& state) {
  const std::string m(kModule);
  im.func(m, "fd_write", [state](Caller& c, std::int32_t fd, std::uint32_t iovs, std::uint32_t n, std::uint32_t out) {
    return fd_write(*state, c, fd, iovs, n, out);
  });
  im.func(m, "clock_time_get", &clock_time_get);
  im.func(m, "random_get", &random_get);
  im.func(m, "args_sizes_get", &empty_sizes);
  im.func(m, "environ_sizes_get", &empty_sizes);
  // With sizes of zero there is nothing to write.
  im.func(m, "args_get", [](std::uint32_t, std::uint32_t) { return std::int32_t{kSuccess}; });
  im.func(m, "environ_get", [](std::uint32_t, std::uint32_t) { return std::int32_t{kSuccess}; });
  im.func(m, "fd_fdstat_get", &fd_fdstat_get);
  im.func(m, "fd_seek", [](std::int32_t fd, std::int64_t, std::int32_t, std::uint32_t) {
    return std::int32_t{fd >= 0 && fd <= 2 ? kSpipe : kBadf};
  });
  im.func(m, "fd_close", [](std::int32_t fd) { return std::int32_t{fd >= 0 && fd <= 2 ? kSuccess : kBadf}; });
  im.func(m, "proc_exit", [state](std::int32_t code) -> Status {
    state->exit_code = code;
    return fail(ErrorKind::trap, fmt::format("the module exited with status {} (proc_exit)", code));
  });
}

}  // namespace wasmhop::wasi
