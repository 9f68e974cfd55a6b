#include "engines/common/guest_object.hpp"

#include <atomic>
#include <cstring>
#include <system_error>

#include <dlfcn.h>
#include <link.h>
#include <unistd.h>

#include <fmt/format.h>

#include "engines/common/near_image.hpp"
#include "engines/common/trap_guard.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WASMHOP_NEAR_IMAGES 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define WASMHOP_NEAR_IMAGES 0
#endif
#endif
#if !defined(WASMHOP_NEAR_IMAGES) && defined(__x86_64__)
#define WASMHOP_NEAR_IMAGES 1
#elif !defined(WASMHOP_NEAR_IMAGES)
#define WASMHOP_NEAR_IMAGES 0
#endif

namespace wasmhop::detail {
namespace {

namespace fs = std::filesystem;

// dl_iterate_phdr's search for one loaded object's executable segments.
struct CodeSearch {
  const char* name;  // the object's path as the loader knows it
  std::uintptr_t load_base;
  const void* owner;
};

int register_segments(dl_phdr_info* info, std::size_t, void* data) {
  const auto* s = static_cast<const CodeSearch*>(data);
  if (info->dlpi_addr != s->load_base || info->dlpi_name == nullptr || std::strcmp(info->dlpi_name, s->name) != 0)
    return 0;
  for (int p = 0; p < info->dlpi_phnum; ++p) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[p];
    if (ph.p_type != PT_LOAD || (ph.p_flags & PF_X) == 0) continue;
    const std::uintptr_t b = info->dlpi_addr + ph.p_vaddr;
    (void)register_code_range(s->owner, b, b + ph.p_memsz);
  }
  return 1;
}

}  // namespace

Result<std::unique_ptr<GuestObject>> GuestObject::open(const fs::path& path, bool private_state) {
  auto object = std::unique_ptr<GuestObject>(new GuestObject());
#if WASMHOP_NEAR_IMAGES
  auto image = NearImage::load(path);
  if (image) {
    object->image_ = std::move(*image);
    object->register_code();
    return object;
  }
  object->why_far_ = image.error().message;
#else
  object->why_far_ = "not on this architecture or in a sanitizer build";
#endif
  if (auto st = object->open_far(path, private_state); !st) return tl::unexpected(st.error());
  object->register_code();
  return object;
}

Status GuestObject::open_far(const fs::path& path, bool private_state) {
  fs::path load = path;
  if (private_state) {
    static std::atomic<std::uint64_t> counter{0};
    std::error_code ec;
    fs::path dir = fs::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    copy_ = dir / fmt::format("wasmhop-guest-{}-{}-{}", getpid(), counter++, path.filename().string());
    if (!fs::copy_file(path, copy_, fs::copy_options::overwrite_existing, ec)) {
      copy_.clear();
      return fail(ErrorKind::io_error, fmt::format("cannot copy '{}': {}", path.string(), ec.message()));
    }
    load = copy_;
  }
  handle_ = dlopen(load.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = dlerror();
    return fail(ErrorKind::malformed_module, fmt::format("cannot load '{}': {}", path.string(), why ? why : "?"));
  }
  return {};
}

// Its code: its faults under a TrapScope are traps, the host's are not. A full table leaves them
// crashes under a scope only; per-call guarded calls do not look.
void GuestObject::register_code() {
  if (image_ != nullptr) {
    for (const CodeRange& r : image_->code()) (void)register_code_range(this, r.begin, r.end);
    return;
  }
  link_map* map = nullptr;
  if (dlinfo(handle_, RTLD_DI_LINKMAP, &map) != 0 || map == nullptr) return;
  CodeSearch search{map->l_name, static_cast<std::uintptr_t>(map->l_addr), this};
  dl_iterate_phdr(&register_segments, &search);
}

void* GuestObject::symbol(const char* name) const noexcept {
  return image_ != nullptr ? image_->symbol(name) : dlsym(handle_, name);
}

GuestObject::~GuestObject() {
  unregister_code_ranges(this);
  image_.reset();
  if (handle_ != nullptr) dlclose(handle_);
  if (!copy_.empty()) {
    std::error_code ec;
    fs::remove(copy_, ec);
  }
}

bool read_type_codes(const char* codes, std::vector<ValType>& out) {
  for (const char* c = codes; *c != '\0'; ++c) {
    switch (*c) {
      case 'i': out.push_back(ValType::i32); break;
      case 'I': out.push_back(ValType::i64); break;
      case 'f': out.push_back(ValType::f32); break;
      case 'F': out.push_back(ValType::f64); break;
      default: return false;
    }
  }
  return true;
}

}  // namespace wasmhop::detail
