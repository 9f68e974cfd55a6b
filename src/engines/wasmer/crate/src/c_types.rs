//! Mirrors of the plugin ABI's C types and constants (src/engines/plugin/plugin_abi.h) and of
//! engine_overhead's raw-baseline record (bench/engines/raw_plugin_abi.h).
use std::os::raw::c_char;

pub const ERR_MALFORMED_MODULE: u8 = 0;
pub const ERR_MISSING_EXPORT: u8 = 1;
pub const ERR_SIGNATURE_MISMATCH: u8 = 2;
pub const ERR_TRAP: u8 = 3;
pub const ERR_ENGINE_UNAVAILABLE: u8 = 5;
pub const ERR_INSTANTIATION_FAILED: u8 = 6;
pub const ERR_RESOURCE_LIMIT: u8 = 10;
pub const ERR_INTERNAL: u8 = 11;

pub const TRAP_NONE: u8 = 0;
pub const TRAP_UNREACHABLE: u8 = 1;
pub const TRAP_INTEGER_DIVIDE_BY_ZERO: u8 = 2;
pub const TRAP_INTEGER_OVERFLOW: u8 = 3;
pub const TRAP_INVALID_CONVERSION: u8 = 4;
pub const TRAP_OUT_OF_BOUNDS_MEMORY: u8 = 5;
pub const TRAP_OUT_OF_BOUNDS_TABLE: u8 = 6;
pub const TRAP_INDIRECT_CALL_MISMATCH: u8 = 7;
pub const TRAP_CALL_STACK_EXHAUSTED: u8 = 8;
pub const TRAP_HOST_ERROR: u8 = 9;
pub const TRAP_UNKNOWN: u8 = 10;

pub const I32: u8 = 0;
pub const I64: u8 = 1;
pub const F32: u8 = 2;
pub const F64: u8 = 3;

#[repr(C)]
pub struct WhpError {
    pub kind: u8,
    pub trap: u8,
    pub message: [c_char; 1024],
}

#[repr(C)]
pub struct WhpFuncType {
    pub params: *const u8,
    pub results: *const u8,
    pub nparams: u32,
    pub nresults: u32,
}

/// whp_call_fn: arguments in io[0..nparams), results to io[0..nresults), returns a TRAP_* code.
pub type CallFn = unsafe extern "C" fn(ctx: *mut std::ffi::c_void, io: *mut u64) -> u8;

/// whp_caller: the instance calling a host function; `memory` gives its memory now.
#[repr(C)]
pub struct WhpCaller {
    pub opaque: *mut std::ffi::c_void,
    pub memory: unsafe extern "C" fn(opaque: *mut std::ffi::c_void, base: *mut *mut u8, size: *mut u64),
}

/// whp_host_fn: arguments in io[0..nparams), results to io[0..nresults); non-zero: it failed.
pub type HostFn = unsafe extern "C" fn(ctx: *mut std::ffi::c_void, caller: *const WhpCaller, io: *mut u64) -> u8;

/// whp_import: one function import bound to its host function.
#[repr(C)]
pub struct WhpImport {
    pub module: *const c_char,
    pub field: *const c_char,
    pub ty: WhpFuncType,
    pub call: Option<HostFn>,
    pub ctx: *mut std::ffi::c_void,
}

#[repr(C)]
pub struct RawVariant {
    pub name: [c_char; 96],
    pub seconds: f64,
    pub checksum: i64,
}

/// An error as the C side sees it; `Result<_, Failure>` inside the crate.
#[derive(Debug)]
pub struct Failure {
    pub kind: u8,
    pub trap: u8,
    pub message: String,
}

impl Failure {
    pub fn new(kind: u8, message: impl Into<String>) -> Self {
        Failure { kind, trap: TRAP_NONE, message: message.into() }
    }
}

/// Copies `s` into a fixed C buffer, cut at a character boundary, NUL-terminated.
pub fn copy_c_string(dst: &mut [c_char], s: &str) {
    if dst.is_empty() {
        return;
    }
    let mut n = s.len().min(dst.len() - 1);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    for (d, b) in dst.iter_mut().zip(&s.as_bytes()[..n]) {
        *d = *b as c_char;
    }
    dst[n] = 0;
}

/// Fills *err (when given) from a failure.
pub fn report(err: *mut WhpError, f: &Failure) {
    if let Some(e) = unsafe { err.as_mut() } {
        e.kind = f.kind;
        e.trap = f.trap;
        copy_c_string(&mut e.message, &f.message);
    }
}

/// Runs an entry point's body; a panic becomes an internal error instead of unwinding into C.
pub fn guard<T>(err: *mut WhpError, what: &str, on_fail: T, body: impl FnOnce() -> Result<T, Failure>) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(v)) => v,
        Ok(Err(f)) => {
            report(err, &f);
            on_fail
        }
        Err(panic) => {
            let detail = panic_text(&panic);
            report(err, &Failure::new(ERR_INTERNAL, format!("{what}: Wasmer panicked: {detail}")));
            on_fail
        }
    }
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

/// A C string argument as &str (lossy names are fine for messages and lookups of valid UTF-8).
pub unsafe fn c_str<'a>(p: *const c_char) -> std::borrow::Cow<'a, str> {
    if p.is_null() {
        return std::borrow::Cow::Borrowed("");
    }
    std::ffi::CStr::from_ptr(p).to_string_lossy()
}
