//! Wasmer's runtime errors as wasmhop trap kinds.
use wasmer::RuntimeError;
use wasmer_types::TrapCode;

use crate::c_types::*;

pub fn trap_kind(e: &RuntimeError) -> u8 {
    match e.clone().to_trap() {
        Some(code) => match code {
            TrapCode::StackOverflow => TRAP_CALL_STACK_EXHAUSTED,
            TrapCode::HeapAccessOutOfBounds => TRAP_OUT_OF_BOUNDS_MEMORY,
            TrapCode::TableAccessOutOfBounds => TRAP_OUT_OF_BOUNDS_TABLE,
            // A call_indirect through a null entry: wasmhop counts it as a signature mismatch,
            // as wabt-interp does.
            TrapCode::IndirectCallToNull | TrapCode::BadSignature => TRAP_INDIRECT_CALL_MISMATCH,
            TrapCode::IntegerOverflow => TRAP_INTEGER_OVERFLOW,
            TrapCode::IntegerDivisionByZero => TRAP_INTEGER_DIVIDE_BY_ZERO,
            TrapCode::BadConversionToInteger => TRAP_INVALID_CONVERSION,
            TrapCode::UnreachableCodeReached => TRAP_UNREACHABLE,
            TrapCode::HeapMisaligned | TrapCode::UnalignedAtomic => TRAP_UNKNOWN,
        },
        // Not a wasm trap: an error raised by the host side (none here: no imports).
        None => TRAP_HOST_ERROR,
    }
}
