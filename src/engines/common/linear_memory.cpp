#include "engines/common/linear_memory.hpp"

#include <sys/mman.h>

#include <fmt/format.h>

#include "engines/common/trap_guard.hpp"

namespace wasmhop::detail {
namespace {
constexpr std::uint64_t kReservation = 8ull << 30;
}

Result<std::unique_ptr<LinearMemory>> LinearMemory::create(std::uint32_t initial_pages,
                                                           std::uint32_t max_pages) {
  if (max_pages > kMaxPages) max_pages = kMaxPages;
  if (initial_pages > max_pages) {
    return fail(ErrorKind::instantiation_failed,
                fmt::format("initial memory of {} pages exceeds its maximum of {}", initial_pages,
                            max_pages));
  }
  void* p = mmap(nullptr, kReservation, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) {
    return fail(ErrorKind::resource_limit, "cannot reserve 8 GiB of address space for a memory");
  }
  std::unique_ptr<LinearMemory> mem(new LinearMemory(static_cast<std::uint8_t*>(p), max_pages));
  if (!register_memory_region(p, kReservation)) {
    munmap(p, kReservation);
    mem->base_ = nullptr;
    return fail(ErrorKind::resource_limit, "too many live linear memories in this process");
  }
  if (mem->grow(initial_pages) < 0) {
    return fail(ErrorKind::resource_limit,
                fmt::format("cannot commit {} pages of linear memory", initial_pages));
  }
  return mem;
}

LinearMemory::~LinearMemory() {
  if (base_ == nullptr) return;
  unregister_memory_region(base_);
  munmap(base_, kReservation);
}

std::int32_t LinearMemory::grow(std::uint32_t delta) noexcept {
  const std::uint32_t old = pages_;
  if (delta == 0) return static_cast<std::int32_t>(old);
  if (delta > max_pages_ - pages_) return -1;
  if (mprotect(base_ + size(), std::uint64_t{delta} * kPageSize, PROT_READ | PROT_WRITE) != 0)
    return -1;
  pages_ += delta;
  return static_cast<std::int32_t>(old);
}

}  // namespace wasmhop::detail
