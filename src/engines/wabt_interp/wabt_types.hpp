// wabt-interp: wabt's types, trap messages and read errors turned into wasmhop's.
#pragma once

#include <string>
#include <string_view>

#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/interp/interp.h>

#include "wasmhop/engine.hpp"

namespace wasmhop::wabt_interp {

// The features every module is read with.
wabt::Features engine_features();
// wabt value type -> wasmhop's; false for types the packed convention cannot carry (v128, refs).
bool to_valtype(wabt::Type t, ValType& out);
bool to_functype(const ::wabt::interp::FuncType& ft, FuncType& out);
// wabt's trap messages (interp.cc, interp-math.h in 1.0.32) -> TrapKind.
TrapKind classify_trap(std::string_view msg);
// One line for all of a failed read's errors.
std::string format_errors(const wabt::Errors& errors);

}  // namespace wasmhop::wabt_interp
