#include "engines/common/near_image.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

// The C++ runtime's registry of unwind tables (libgcc): the unwinder finds objects that dlopen
// did not load there.
extern "C" void __register_frame(void* begin);
extern "C" void __deregister_frame(void* begin);

namespace wasmhop::detail {

// What the program headers and the dynamic section say; addresses are the object's own (add base_).
struct NearImage::Dynamic {
  std::uintptr_t dynamic = 0, eh_frame_hdr = 0, relro = 0, relro_size = 0;
  std::vector<std::uint64_t> needed;  // string table offsets of the DT_NEEDED names
  std::uintptr_t strtab = 0, symtab = 0, rela = 0, jmprel = 0, versym = 0, verneed = 0;
  std::uintptr_t gnu_hash = 0, hash = 0;
  std::size_t relasz = 0, pltrelsz = 0, verneednum = 0;
  std::uintptr_t init = 0, init_array = 0, fini = 0, fini_array = 0;
  std::size_t init_count = 0, fini_count = 0;
  bool unsupported = false;  // TEXTREL, REL or RELR tables, static TLS
};

namespace {

constexpr std::uintptr_t kPage = 4096;
std::uintptr_t page_down(std::uintptr_t v) { return v & ~(kPage - 1); }
std::uintptr_t page_up(std::uintptr_t v) { return page_down(v + kPage - 1); }

// How far below the host's code images go. Calls 1 GiB away ran as fast as calls 1 MiB away; 4 GiB
// away and beyond they did not always (docs/engines.md, "Where guest code lives").
constexpr std::uintptr_t kReach = std::uintptr_t{1} << 30;
constexpr std::uintptr_t kStep = std::uintptr_t{1} << 16;

Error bad(const std::string& what, std::string_view why) {
  return Error{ErrorKind::malformed_module, fmt::format("{}: {}", what, why)};
}

// The ranges images hold (base -> size), so that a new image takes the highest free range below
// the host's code: as close to it as can be, and where an image just unloaded was (a program that
// reloads a module calls the same addresses again, which the branch predictor has learnt).
std::mutex g_near_mutex;
std::map<std::uintptr_t, std::size_t> g_near_ranges;

// Reserves `size` bytes (no access yet) below the object that holds this code (the executable
// that libwasmhop is linked into) and within kReach of it. Null when there is no room.
void* reserve_near(std::size_t size) {
  std::lock_guard lock(g_near_mutex);
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&reserve_near), &info) == 0 || info.dli_fbase == nullptr) return nullptr;
  const auto top = reinterpret_cast<std::uintptr_t>(info.dli_fbase) & ~(kStep - 1);
  const std::uintptr_t floor = top > kReach ? top - kReach : 0;
  std::uintptr_t at = top - size;  // size: a multiple of kStep
  while (at >= floor + kStep && at < top) {
    // Below the lowest of our ranges that it overlaps, if any.
    auto next = g_near_ranges.lower_bound(at + size);
    if (next != g_near_ranges.begin() && std::prev(next)->first + std::prev(next)->second > at) {
      at = (std::prev(next)->first - size) & ~(kStep - 1);
      continue;
    }
    void* p = mmap(reinterpret_cast<void*>(at), size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == reinterpret_cast<void*>(at)) {
      g_near_ranges.emplace(at, size);
      return p;
    }
    if (p != MAP_FAILED) munmap(p, size);  // a kernel without MAP_FIXED_NOREPLACE put it elsewhere
    else if (errno != EEXIST) return nullptr;
    at -= kStep;  // someone else's mapping
  }
  return nullptr;
}

void release_near(void* base, std::size_t size) {
  std::lock_guard lock(g_near_mutex);
  munmap(base, size);
  g_near_ranges.erase(reinterpret_cast<std::uintptr_t>(base));
}

int prot_of(std::uint32_t flags) {
  return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) | ((flags & PF_X) ? PROT_EXEC : 0);
}

// The number of dynamic symbols in a GNU hash table: past the end of the highest bucket's chain.
std::size_t gnu_hash_symbols(const std::uint32_t* h) {
  const std::uint32_t buckets = h[0], first = h[1], bloom_words = h[2];
  const std::uint32_t* bucket = h + 4 + bloom_words * 2;  // 64-bit bloom words
  const std::uint32_t* chain = bucket + buckets;
  std::uint32_t last = 0;
  for (std::uint32_t i = 0; i < buckets; ++i) last = std::max(last, bucket[i]);
  if (last < first) return first;
  while ((chain[last - first] & 1) == 0) ++last;
  return last + 1;
}

// Maps one PT_LOAD segment into the reservation at `base`: its file part, then its zero fill.
bool map_segment(int fd, std::uintptr_t base, const Elf64_Phdr& ph) {
  const int prot = prot_of(ph.p_flags);
  const std::uintptr_t start = page_down(base + ph.p_vaddr);
  const std::uintptr_t file_end = base + ph.p_vaddr + ph.p_filesz;
  const std::uintptr_t mem_end = page_up(base + ph.p_vaddr + ph.p_memsz);
  if (ph.p_filesz > 0) {
    void* p = mmap(reinterpret_cast<void*>(start), page_up(file_end) - start, prot, MAP_PRIVATE | MAP_FIXED, fd,
                   static_cast<off_t>(page_down(ph.p_offset)));
    if (p == MAP_FAILED) return false;
  }
  if (ph.p_memsz > ph.p_filesz) {
    if ((prot & PROT_WRITE) == 0) return false;  // zero fill in a read-only segment: not ours
    if (ph.p_filesz > 0) std::memset(reinterpret_cast<void*>(file_end), 0, page_up(file_end) - file_end);
    const std::uintptr_t zero = ph.p_filesz > 0 ? page_up(file_end) : start;
    if (mem_end > zero && mmap(reinterpret_cast<void*>(zero), mem_end - zero, prot,
                               MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<NearImage>> NearImage::load(const std::filesystem::path& path) {
  const std::string what = fmt::format("'{}'", path.string());
#if defined(__x86_64__)
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorKind::io_error, fmt::format("{}: {}", what, std::strerror(errno)));
  auto image = std::unique_ptr<NearImage>(new NearImage());
  Dynamic d;
  Status st = image->map(fd, d, what);
  close(fd);
  if (st) st = image->read_dynamic(d, what);
  if (st) st = image->link(d, what);
  if (!st) return tl::unexpected(st.error());
  image->start(d);
  return image;
#else
  return fail(ErrorKind::internal, what + ": loaded near the host's code on x86-64 only");
#endif
}

// Reads the ELF and program headers, reserves room near the host's code and maps every segment.
Status NearImage::map(int fd, Dynamic& d, const std::string& what) {
  Elf64_Ehdr eh{};
  if (pread(fd, &eh, sizeof eh, 0) != static_cast<ssize_t>(sizeof eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_DYN || eh.e_machine != EM_X86_64 ||
      eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > 64) {
    return tl::unexpected(bad(what, "not an x86-64 ELF shared object"));
  }
  std::vector<Elf64_Phdr> ph(eh.e_phnum);
  const auto bytes = static_cast<ssize_t>(ph.size() * sizeof(Elf64_Phdr));
  if (pread(fd, ph.data(), static_cast<std::size_t>(bytes), static_cast<off_t>(eh.e_phoff)) != bytes) {
    return tl::unexpected(bad(what, "truncated program headers"));
  }
  std::uintptr_t end = 0;
  for (const Elf64_Phdr& p : ph) {
    if (p.p_type == PT_TLS || p.p_type == PT_INTERP) return tl::unexpected(bad(what, "thread-local storage or an interpreter"));
    if (p.p_type != PT_LOAD) continue;
    if (p.p_align > kPage || p.p_offset % kPage != p.p_vaddr % kPage || p.p_filesz > p.p_memsz) {
      return tl::unexpected(bad(what, "a segment this loader cannot map"));
    }
    end = std::max<std::uintptr_t>(end, page_up(p.p_vaddr + p.p_memsz));
  }
  if (end == 0 || end > (std::uintptr_t{1} << 30)) return tl::unexpected(bad(what, "no loadable segment, or too large"));
  const std::size_t reserved = (end + kStep - 1) & ~(kStep - 1);
  void* at = reserve_near(reserved);
  if (at == nullptr) return tl::unexpected(bad(what, "no free address range near the host's code"));
  base_ = reinterpret_cast<std::uintptr_t>(at);
  size_ = reserved;
  for (const Elf64_Phdr& p : ph) {
    if (p.p_type == PT_LOAD && !map_segment(fd, base_, p)) return tl::unexpected(bad(what, std::strerror(errno)));
    if (p.p_type == PT_LOAD && (p.p_flags & PF_X) != 0) code_.push_back({base_ + p.p_vaddr, base_ + p.p_vaddr + p.p_memsz});
    if (p.p_type == PT_DYNAMIC) d.dynamic = p.p_vaddr;
    if (p.p_type == PT_GNU_EH_FRAME) d.eh_frame_hdr = p.p_vaddr;
    if (p.p_type == PT_GNU_RELRO) d.relro = p.p_vaddr, d.relro_size = p.p_memsz;
  }
  if (d.dynamic == 0 || d.eh_frame_hdr == 0) return tl::unexpected(bad(what, "no dynamic section or unwind tables"));
  return {};
}

Status NearImage::read_dynamic(Dynamic& d, const std::string& what) {
  // The object is one wasmhop built, but a truncated or foreign file must fail, not fault: every
  // table the dynamic section names is checked to lie inside the mapping.
  const auto inside = [&](std::uintptr_t at) { return at < size_; };
  if (!inside(d.dynamic)) return tl::unexpected(bad(what, "a dynamic section outside the object"));
  for (const auto* e = reinterpret_cast<const Elf64_Dyn*>(base_ + d.dynamic); e->d_tag != DT_NULL; ++e) {
    const std::uint64_t v = e->d_un.d_val;
    switch (e->d_tag) {
      case DT_NEEDED: d.needed.push_back(v); break;
      case DT_STRTAB: d.strtab = v; break;
      case DT_SYMTAB: d.symtab = v; break;
      case DT_GNU_HASH: d.gnu_hash = v; break;
      case DT_HASH: d.hash = v; break;
      case DT_RELA: d.rela = v; break;
      case DT_RELASZ: d.relasz = v; break;
      case DT_JMPREL: d.jmprel = v; break;
      case DT_PLTRELSZ: d.pltrelsz = v; break;
      case DT_PLTREL: d.unsupported |= v != DT_RELA; break;
      case DT_VERSYM: d.versym = v; break;
      case DT_VERNEED: d.verneed = v; break;
      case DT_VERNEEDNUM: d.verneednum = v; break;
      case DT_INIT: d.init = v; break;
      case DT_FINI: d.fini = v; break;
      case DT_INIT_ARRAY: d.init_array = v; break;
      case DT_INIT_ARRAYSZ: d.init_count = v / sizeof(std::uintptr_t); break;
      case DT_FINI_ARRAY: d.fini_array = v; break;
      case DT_FINI_ARRAYSZ: d.fini_count = v / sizeof(std::uintptr_t); break;
      case DT_TEXTREL: case DT_REL: case DT_RELR: d.unsupported = true; break;
      case DT_FLAGS: d.unsupported |= (v & (DF_TEXTREL | DF_STATIC_TLS)) != 0; break;
      default: break;
    }
  }
  if (d.unsupported || d.strtab == 0 || d.symtab == 0 || (d.gnu_hash == 0 && d.hash == 0) || !inside(d.strtab) ||
      !inside(d.symtab) || !inside(d.gnu_hash) || !inside(d.hash) || !inside(d.versym) || !inside(d.verneed)) {
    return tl::unexpected(bad(what, "a dynamic section this loader does not handle"));
  }
  symtab_ = reinterpret_cast<const void*>(base_ + d.symtab);
  strtab_ = reinterpret_cast<const char*>(base_ + d.strtab);
  symbols_ = d.hash != 0 ? reinterpret_cast<const std::uint32_t*>(base_ + d.hash)[1]
                         : gnu_hash_symbols(reinterpret_cast<const std::uint32_t*>(base_ + d.gnu_hash));
  return {};
}

// Opens the object's libraries, applies its relocations and makes its RELRO part read-only.
Status NearImage::link(const Dynamic& d, const std::string& what) {
  for (const std::uint64_t name : d.needed) {
    void* h = dlopen(strtab_ + name, RTLD_NOW | RTLD_LOCAL);
    if (h == nullptr) return tl::unexpected(bad(what, dlerror()));
    libraries_.push_back(h);
  }
  if (auto st = relocate(d, d.rela, d.relasz, what); !st) return st;
  if (auto st = relocate(d, d.jmprel, d.pltrelsz, what); !st) return st;
  const std::uintptr_t from = page_down(base_ + d.relro), to = page_down(base_ + d.relro + d.relro_size);
  if (d.relro_size > 0 && to > from) mprotect(reinterpret_cast<void*>(from), to - from, PROT_READ);
  return {};
}

// The version an undefined symbol was linked against (GLIBC_2.14, ...), or null.
const char* NearImage::version_of(const Dynamic& d, std::uint32_t index) const {
  if (d.versym == 0 || d.verneed == 0) return nullptr;
  const std::uint16_t v = reinterpret_cast<const std::uint16_t*>(base_ + d.versym)[index] & 0x7fff;
  if (v < 2) return nullptr;  // local or global: unversioned
  auto vn = base_ + d.verneed;
  for (std::size_t n = 0; n < d.verneednum; ++n) {
    const auto* need = reinterpret_cast<const Elf64_Verneed*>(vn);
    auto aux = vn + need->vn_aux;
    for (std::size_t k = 0; k < need->vn_cnt; ++k) {
      const auto* a = reinterpret_cast<const Elf64_Vernaux*>(aux);
      if (a->vna_other == v) return strtab_ + a->vna_name;
      aux += a->vna_next;
    }
    vn += need->vn_next;
  }
  return nullptr;
}

// A relocation's symbol: the object's own definition (every load binds to its own copy), else
// the process's global scope, else the object's libraries; weak and missing is 0.
Result<std::uintptr_t> NearImage::resolve(const Dynamic& d, std::uint32_t index) const {
  if (index >= symbols_) return fail(ErrorKind::malformed_module, fmt::format("symbol index {} out of range", index));
  const auto& s = static_cast<const Elf64_Sym*>(symtab_)[index];
  const unsigned type = ELF64_ST_TYPE(s.st_info);
  const char* name = strtab_ + s.st_name;
  if (type == STT_GNU_IFUNC || type == STT_TLS) return fail(ErrorKind::malformed_module, fmt::format("symbol '{}': IFUNC or TLS", name));
  if (s.st_shndx != SHN_UNDEF) return base_ + s.st_value;
  const char* version = version_of(d, index);
  auto find = [&](void* h) { return version != nullptr ? dlvsym(h, name, version) : dlsym(h, name); };
  void* p = find(RTLD_DEFAULT);
  for (std::size_t i = 0; p == nullptr && i < libraries_.size(); ++i) p = find(libraries_[i]);
  if (p != nullptr || ELF64_ST_BIND(s.st_info) == STB_WEAK) return reinterpret_cast<std::uintptr_t>(p);
  return fail(ErrorKind::malformed_module, fmt::format("undefined symbol '{}'", name));
}

Status NearImage::relocate(const Dynamic& d, std::uintptr_t table, std::size_t bytes, const std::string& what) {
  if (table != 0 && (table > size_ || bytes > size_ - table)) return tl::unexpected(bad(what, "a relocation table outside the object"));
  const auto* r = reinterpret_cast<const Elf64_Rela*>(base_ + table);
  for (std::size_t i = 0; table != 0 && i < bytes / sizeof(Elf64_Rela); ++i) {
    if (r[i].r_offset + sizeof(std::uint64_t) > size_) return tl::unexpected(bad(what, "a relocation outside the object"));
    auto* where = reinterpret_cast<std::uint64_t*>(base_ + r[i].r_offset);
    switch (const auto type = ELF64_R_TYPE(r[i].r_info)) {
      case R_X86_64_NONE: break;
      case R_X86_64_RELATIVE: *where = base_ + static_cast<std::uint64_t>(r[i].r_addend); break;
      case R_X86_64_GLOB_DAT:
      case R_X86_64_JUMP_SLOT:
      case R_X86_64_64: {
        auto s = resolve(d, static_cast<std::uint32_t>(ELF64_R_SYM(r[i].r_info)));
        if (!s) return tl::unexpected(bad(what, s.error().message));
        *where = *s + (type == R_X86_64_64 ? static_cast<std::uint64_t>(r[i].r_addend) : 0);
        break;
      }
      default: return tl::unexpected(bad(what, fmt::format("relocation type {}", type)));
    }
  }
  return {};
}

// Registers the unwind tables, then runs the initialisers (C++ static constructors among them).
void NearImage::start(const Dynamic& d) {
  // .eh_frame_hdr: version 1, then .eh_frame's address as a 4-byte offset from that field.
  const auto* hdr = reinterpret_cast<const std::uint8_t*>(base_ + d.eh_frame_hdr);
  if (hdr[0] == 1 && hdr[1] == 0x1b) {  // DW_EH_PE_pcrel | DW_EH_PE_sdata4
    std::int32_t offset;
    std::memcpy(&offset, hdr + 4, sizeof offset);
    eh_frame_ = const_cast<std::uint8_t*>(hdr + 4 + offset);
    __register_frame(eh_frame_);
  }
  fini_ = d.fini != 0 ? base_ + d.fini : 0;
  fini_array_ = d.fini_array != 0 ? base_ + d.fini_array : 0;
  fini_count_ = d.fini_count;
  started_ = true;
  using Init = void (*)(int, char**, char**);
  if (d.init != 0) reinterpret_cast<Init>(base_ + d.init)(0, nullptr, environ);
  const auto* init = reinterpret_cast<const std::uintptr_t*>(base_ + d.init_array);
  for (std::size_t i = 0; d.init_array != 0 && i < d.init_count; ++i) {
    if (init[i] != 0 && init[i] != ~std::uintptr_t{0}) reinterpret_cast<Init>(init[i])(0, nullptr, environ);
  }
}

void* NearImage::symbol(const char* name) const noexcept {
  const auto* syms = static_cast<const Elf64_Sym*>(symtab_);
  for (std::size_t i = 1; i < symbols_; ++i) {
    const unsigned bind = ELF64_ST_BIND(syms[i].st_info);
    if (syms[i].st_shndx != SHN_UNDEF && (bind == STB_GLOBAL || bind == STB_WEAK) &&
        std::strcmp(strtab_ + syms[i].st_name, name) == 0) {
      return reinterpret_cast<void*>(base_ + syms[i].st_value);
    }
  }
  return nullptr;
}

NearImage::~NearImage() {
  if (started_) {
    using Fini = void (*)();
    const auto* fini = reinterpret_cast<const std::uintptr_t*>(fini_array_);
    for (std::size_t i = fini_count_; fini_array_ != 0 && i-- > 0;) {
      if (fini[i] != 0 && fini[i] != ~std::uintptr_t{0}) reinterpret_cast<Fini>(fini[i])();
    }
    if (fini_ != 0) reinterpret_cast<Fini>(fini_)();
  }
  if (eh_frame_ != nullptr) __deregister_frame(eh_frame_);
  if (base_ != 0) release_near(reinterpret_cast<void*>(base_), size_);
  for (auto it = libraries_.rbegin(); it != libraries_.rend(); ++it) dlclose(*it);
}

}  // namespace wasmhop::detail
