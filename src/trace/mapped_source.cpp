#include "trace/mapped_source.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace wasmhop::trace::detail {
namespace {

// Pages are dropped in steps of this many bytes: few madvise calls, little memory held behind the reader.
constexpr std::size_t kReleaseStep = std::size_t{8} << 20;

class MappedSource final : public ByteSource {
 public:
  MappedSource(void* base, std::size_t size) : base_(base), size_(size) {}
  ~MappedSource() override {
    if (base_ != nullptr) munmap(base_, size_);
  }
  MappedSource(const MappedSource&) = delete;
  MappedSource& operator=(const MappedSource&) = delete;

  // The readers never ask: ByteBuffer uses mapped() instead. Served anyway, as a copy.
  Result<std::size_t> read(char* dst, std::size_t n) override {
    std::size_t k = std::min(n, size_ - pos_);
    if (k != 0) std::memcpy(dst, static_cast<const char*>(base_) + pos_, k);
    pos_ += k;
    return k;
  }
  std::string_view compression() const noexcept override { return "none"; }
  std::optional<std::string_view> mapped() const noexcept override {
    return std::string_view(static_cast<const char*>(base_), size_);
  }
  std::size_t release_step() const noexcept override { return kReleaseStep; }
  // A private read-only mapping: MADV_DONTNEED only unmaps the pages (the page cache keeps them), so
  // the bytes are still there if anyone looked back.
  void release(std::size_t offset) noexcept override {
    static const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    std::size_t end = std::min(offset, size_) / page * page;
    if (base_ == nullptr || end <= released_) return;
    madvise(static_cast<char*>(base_) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }
  std::uint64_t size_hint() const noexcept override { return size_; }

 private:
  void* base_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::size_t released_ = 0;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> map_plain_file(int fd, std::uint64_t size, const std::string& path) {
  if (size == 0) return std::make_unique<MappedSource>(nullptr, 0);  // mmap refuses length 0
  if (size > SIZE_MAX) return fail(ErrorKind::io_error, fmt::format("{}: too large to map", path));
  void* base = mmap(nullptr, static_cast<std::size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
  if (base == MAP_FAILED)
    return fail(ErrorKind::io_error, fmt::format("{}: cannot map: {}", path, std::strerror(errno)));
  madvise(base, static_cast<std::size_t>(size), MADV_SEQUENTIAL);  // aggressive read-ahead; a hint only
  return std::make_unique<MappedSource>(base, static_cast<std::size_t>(size));
}

}  // namespace wasmhop::trace::detail
