// Guest machine code that wasmhop built itself (native scripts, wasm2c objects), mapped within
// reach of the host's own code instead of where dlopen would put it.
//
// Why: on this machine (AMD EPYC; docs/engines.md, "Where guest code lives") an indirect call from
// the host's code into an object that dlopen mapped among the shared libraries, terabytes away
// from the executable, costs 2.17 ns where the same call into code within 4 GiB of the caller costs
// 1.36 to 1.62 ns (a call that multiplies two integers). The branch predictor serves targets that far
// away slowly. dlopen cannot be told where to map an object (glibc ignores an object's preferred
// address when the executable is position-independent), so a NearImage maps the object's segments
// itself, below the host's code, and does the dynamic loader's work for the kind of object wasmhop
// builds: symbols resolved against the process (dlsym/dlvsym, then the object's DT_NEEDED
// libraries), relocations, read-only after relocation (RELRO), unwind tables registered with the
// C++ runtime (a trap under a TrapScope unwinds guest frames), initialisers and finalisers.
//
// Every load is a private copy (own globals), as the native engine needs one per instance.
// Supported: x86-64 ELF shared objects with relocations RELATIVE, GLOB_DAT, JUMP_SLOT and 64, and
// neither thread-local storage nor IFUNCs. Anything else fails to load with the reason (the caller
// then uses dlopen: guest_object.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::detail {

struct CodeRange {
  std::uintptr_t begin, end;
};

class NearImage {
 public:
  [[nodiscard]] static Result<std::unique_ptr<NearImage>> load(const std::filesystem::path& path);
  ~NearImage();  // finalisers, unwind tables, the mapping, the libraries it opened
  NearImage(const NearImage&) = delete;
  NearImage& operator=(const NearImage&) = delete;

  // A symbol the object defines, or null.
  [[nodiscard]] void* symbol(const char* name) const noexcept;
  // Its executable segments.
  [[nodiscard]] std::span<const CodeRange> code() const noexcept { return code_; }
  [[nodiscard]] std::uintptr_t base() const noexcept { return base_; }

 private:
  struct Dynamic;
  NearImage() = default;
  [[nodiscard]] Status map(int fd, Dynamic& d, const std::string& what);
  [[nodiscard]] Status read_dynamic(Dynamic& d, const std::string& what);
  [[nodiscard]] Status link(const Dynamic& d, const std::string& what);
  [[nodiscard]] const char* version_of(const Dynamic& d, std::uint32_t index) const;
  [[nodiscard]] Result<std::uintptr_t> resolve(const Dynamic& d, std::uint32_t index) const;
  [[nodiscard]] Status relocate(const Dynamic& d, std::uintptr_t table, std::size_t bytes, const std::string& what);
  void start(const Dynamic& d);

  std::uintptr_t base_ = 0;  // where the object's address 0 is
  std::size_t size_ = 0;     // of the whole reservation
  std::vector<CodeRange> code_;
  std::vector<void*> libraries_;  // dlopen handles of its DT_NEEDED libraries
  void* eh_frame_ = nullptr;      // registered with __register_frame
  // Symbol lookup after loading: the dynamic symbol and string tables.
  const void* symtab_ = nullptr;
  const char* strtab_ = nullptr;
  std::size_t symbols_ = 0;
  // Finalisers, run in reverse order of the initialisers.
  std::uintptr_t fini_ = 0;
  std::uintptr_t fini_array_ = 0;
  std::size_t fini_count_ = 0;
  bool started_ = false;
};

}  // namespace wasmhop::detail
