// A shared object of guest machine code that wasmhop built itself: a native script, a wasm2c
// object. Loaded near the host's code (near_image.hpp: calls into it then cost what calls inside
// the executable cost), or with dlopen where that cannot be done (other architectures, sanitizer
// builds, whose runtimes track only what dlopen loads, an object the near loader does not handle).
// Either way its executable segments are registered as guest code with the trap guard.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"
#include "wasmhop/values.hpp"

namespace wasmhop::detail {

// The value types of a type-code string of a guest object's export or import table ('i' i32,
// 'I' i64, 'f' f32, 'F' f64), appended to `out`; false at any other code.
[[nodiscard]] bool read_type_codes(const char* codes, std::vector<ValType>& out);

class NearImage;

class GuestObject {
 public:
  // private_state: this load gets globals of its own. A near image always has them; dlopen shares
  // one load per path, so that path loads a private copy of the file.
  [[nodiscard]] static Result<std::unique_ptr<GuestObject>> open(const std::filesystem::path& path, bool private_state);
  ~GuestObject();
  GuestObject(const GuestObject&) = delete;
  GuestObject& operator=(const GuestObject&) = delete;

  // A symbol the object defines (dlsym), or null.
  [[nodiscard]] void* symbol(const char* name) const noexcept;
  // Whether it was mapped near the host's code; if not, why (empty when it was).
  [[nodiscard]] bool near() const noexcept { return image_ != nullptr; }
  [[nodiscard]] const std::string& why_far() const noexcept { return why_far_; }

 private:
  GuestObject() = default;
  [[nodiscard]] Status open_far(const std::filesystem::path& path, bool private_state);
  void register_code();

  std::unique_ptr<NearImage> image_;
  void* handle_ = nullptr;       // dlopen's, when not near
  std::filesystem::path copy_;  // the private copy dlopen loaded, removed on close
  std::string why_far_;
};

}  // namespace wasmhop::detail
