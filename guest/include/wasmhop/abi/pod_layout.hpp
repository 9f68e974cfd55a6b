// Pins a POD's layout where it is defined. The definition is shared by the host and by the
// guest's wasm32 and native builds, so any layout difference between them fails a build.
#pragma once

#include <type_traits>

#define WASMHOP_POD_LAYOUT(T, size, align)                                       \
  static_assert(std::is_trivially_copyable_v<T> && std::is_standard_layout_v<T>, \
                #T " must be trivially copyable and standard-layout");           \
  static_assert(sizeof(T) == (size), #T " has an unexpected size");              \
  static_assert(alignof(T) == (align), #T " has an unexpected alignment")
