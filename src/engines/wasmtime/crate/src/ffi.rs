//! What the component entry points share with the C side: plugin_abi.h's whp_error and its
//! kinds, trap kinds from Wasmtime's errors, and a panic guard for every `extern "C"` function.
use std::ffi::c_char;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub const ERR_MALFORMED_MODULE: u8 = 0;
pub const ERR_MISSING_EXPORT: u8 = 1;
pub const ERR_SIGNATURE_MISMATCH: u8 = 2;
pub const ERR_ENGINE_UNAVAILABLE: u8 = 5;
pub const ERR_INSTANTIATION_FAILED: u8 = 6;
pub const ERR_INVALID_ARGUMENT: u8 = 8;
pub const ERR_INTERNAL: u8 = 11;

pub const TRAP_NONE: u8 = 0;
pub const TRAP_HOST_ERROR: u8 = 9;
pub const TRAP_UNKNOWN: u8 = 10;
pub const TRAP_TIMEOUT: u8 = 11;

/// plugin_abi.h's whp_error.
#[repr(C)]
pub struct WhpError {
    pub kind: u8,
    pub trap: u8,
    pub message: [c_char; 1024],
}

/// Fills `err` (ignored when null); the message is cut at the buffer, NUL-terminated.
pub fn report(err: *mut WhpError, kind: u8, message: &str) {
    if err.is_null() {
        return;
    }
    // SAFETY: the caller passes a whp_error it owns (or null, handled above).
    let e = unsafe { &mut *err };
    e.kind = kind;
    e.trap = TRAP_NONE;
    let n = message.len().min(e.message.len() - 1);
    for (dst, src) in e.message.iter_mut().zip(message.as_bytes()[..n].iter()) {
        *dst = *src as c_char;
    }
    e.message[n] = 0;
}

pub fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}

/// Runs an entry point's body; a panic becomes an internal error instead of unwinding into C.
pub fn guarded<T>(err: *mut WhpError, what: &str, fallback: T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(v) => v,
        Err(panic) => {
            report(err, ERR_INTERNAL, &format!("{what}: Wasmtime panicked: {}", panic_text(&panic)));
            fallback
        }
    }
}

/// The WHP_TRAP_* kind of a failed call: a wasm trap by its code, anything else (a poisoned
/// instance, a value the canonical ABI cannot lift) a host error.
pub fn trap_kind(e: &wasmtime::Error) -> u8 {
    use wasmtime::Trap;
    match e.downcast_ref::<Trap>() {
        Some(Trap::UnreachableCodeReached) => 1,
        Some(Trap::IntegerDivisionByZero) => 2,
        Some(Trap::IntegerOverflow) => 3,
        Some(Trap::BadConversionToInteger) => 4,
        Some(Trap::MemoryOutOfBounds) => 5,
        Some(Trap::TableOutOfBounds) => 6,
        Some(Trap::BadSignature) => 7,
        Some(Trap::StackOverflow) => 8,
        Some(Trap::Interrupt) => TRAP_TIMEOUT,
        Some(_) => TRAP_UNKNOWN,
        None => TRAP_HOST_ERROR,
    }
}

/// One line: the error and its causes, joined.
pub fn one_line(e: &wasmtime::Error) -> String {
    let mut s = String::new();
    for cause in e.chain() {
        if !s.is_empty() {
            s.push_str(": ");
        }
        s.push_str(&cause.to_string().replace('\n', " "));
    }
    s
}
