//! wasmhop's wasmi core: wasmi's own Rust API behind the C functions that wasmi_plugin.cpp puts in
//! the plugin table (src/engines/plugin/plugin_abi.h): engines, modules and instances here, the
//! export call path in calls.rs, host functions (imports) in host.rs. No panic crosses into C:
//! every entry point catches unwinding and reports an internal error instead.

#[macro_use]
mod values;
mod calls;
mod host;
mod raw_pair;

use std::ffi::{c_char, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use wasmi::errors::ErrorKind;
use wasmi::{Config, Engine, Error, Extern, ExternType, Instance, Memory, Module, Store, TrapCode};

// --- plugin_abi.h, the parts this crate touches --------------------------------------------------
const ERR_MALFORMED_MODULE: u8 = 0;
const ERR_MISSING_EXPORT: u8 = 1;
const ERR_SIGNATURE_MISMATCH: u8 = 2;
const ERR_TRAP: u8 = 3;
const ERR_INSTANTIATION_FAILED: u8 = 6;
const ERR_RESOURCE_LIMIT: u8 = 10;
const ERR_INTERNAL: u8 = 11;

const TRAP_NONE: u8 = 0;
const TRAP_UNREACHABLE: u8 = 1;
const TRAP_DIVIDE_BY_ZERO: u8 = 2;
const TRAP_INTEGER_OVERFLOW: u8 = 3;
const TRAP_INVALID_CONVERSION: u8 = 4;
const TRAP_OUT_OF_BOUNDS_MEMORY: u8 = 5;
const TRAP_OUT_OF_BOUNDS_TABLE: u8 = 6;
const TRAP_INDIRECT_CALL_MISMATCH: u8 = 7;
const TRAP_CALL_STACK_EXHAUSTED: u8 = 8;
const TRAP_HOST_ERROR: u8 = 9;
const TRAP_UNKNOWN: u8 = 10;

const T_I32: u8 = 0;
const T_I64: u8 = 1;
const T_F32: u8 = 2;
const T_F64: u8 = 3;

#[repr(C)]
pub struct WhpError {
    kind: u8,
    trap: u8,
    message: [c_char; 1024],
}

#[repr(C)]
pub struct WhpFuncType {
    params: *const u8,
    results: *const u8,
    nparams: u32,
    nresults: u32,
}

type CallFn = extern "C" fn(*mut c_void, *mut u64) -> u8;

fn set_error(err: *mut WhpError, kind: u8, trap: u8, message: &str) {
    if err.is_null() {
        return;
    }
    // SAFETY: the caller hands a whp_error it owns.
    let e = unsafe { &mut *err };
    e.kind = kind;
    e.trap = trap;
    let bytes = message.as_bytes();
    let mut n = bytes.len().min(e.message.len() - 1);
    while n > 0 && !message.is_char_boundary(n) {
        n -= 1;
    }
    for (dst, &src) in e.message.iter_mut().zip(&bytes[..n]) {
        *dst = src as c_char;
    }
    e.message[n] = 0;
}

/// Runs `f`; a panic becomes `on_panic` (nothing unwinds into C).
fn guarded<R>(err: *mut WhpError, on_panic: R, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            set_error(err, ERR_INTERNAL, TRAP_NONE, &format!("wasmi panicked: {what}"));
            on_panic
        }
    }
}

unsafe fn c_str<'a>(s: *const c_char) -> &'a str {
    if s.is_null() {
        ""
    } else {
        CStr::from_ptr(s).to_str().unwrap_or("?")
    }
}

/// The trap kind a wasmi error stands for (None: not a trap).
fn trap_kind(e: &Error) -> Option<u8> {
    let code = e.as_trap_code()?;
    Some(match code {
        TrapCode::UnreachableCodeReached => TRAP_UNREACHABLE,
        TrapCode::MemoryOutOfBounds => TRAP_OUT_OF_BOUNDS_MEMORY,
        TrapCode::TableOutOfBounds | TrapCode::IndirectCallToNull => TRAP_OUT_OF_BOUNDS_TABLE,
        TrapCode::IntegerDivisionByZero => TRAP_DIVIDE_BY_ZERO,
        TrapCode::IntegerOverflow => TRAP_INTEGER_OVERFLOW,
        TrapCode::BadConversionToInteger => TRAP_INVALID_CONVERSION,
        TrapCode::StackOverflow => TRAP_CALL_STACK_EXHAUSTED,
        TrapCode::BadSignature => TRAP_INDIRECT_CALL_MISMATCH,
        _ => TRAP_UNKNOWN,
    })
}

// --- engine --------------------------------------------------------------------------------------

pub struct WhpEngine {
    engine: Engine,
}

/// The wasmi version this crate was built against (Cargo.lock pins it).
#[no_mangle]
pub extern "C" fn whp_wasmi_version() -> *const c_char {
    c"2.0.0".as_ptr()
}

/// The engine configuration of the plugin and of the raw baseline (raw_pair.rs).
pub(crate) fn config() -> Config {
    let mut config = Config::default();
    // wasmi runs wasm calls on its own stacks, not the host's: a deep guest recursion is bounded
    // by these, and a 1000-deep call chain (our hostile tests) must fit (the default is 1000).
    config.set_max_recursion_depth(100_000);
    config
}

#[no_mangle]
pub extern "C" fn whp_wasmi_engine_new(err: *mut WhpError) -> *mut WhpEngine {
    guarded(err, std::ptr::null_mut(), || {
        Box::into_raw(Box::new(WhpEngine { engine: Engine::new(&config()) }))
    })
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_engine_free(engine: *mut WhpEngine) {
    if !engine.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(engine))));
    }
}

// --- module --------------------------------------------------------------------------------------

pub struct WhpModule {
    engine: Engine,
    module: Module,
    name: String,
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_module_new(
    engine: *mut WhpEngine,
    wasm: *const u8,
    len: usize,
    name: *const c_char,
    err: *mut WhpError,
) -> *mut WhpModule {
    guarded(err, std::ptr::null_mut(), || {
        let engine = &(*engine).engine;
        let name = c_str(name).to_string();
        let bytes: &[u8] = if len == 0 { &[] } else { std::slice::from_raw_parts(wasm, len) };
        match Module::new(engine, bytes) {
            Ok(module) => Box::into_raw(Box::new(WhpModule { engine: engine.clone(), module, name })),
            Err(e) => {
                set_error(err, ERR_MALFORMED_MODULE, TRAP_NONE, &format!("module '{name}': wasmi: {e}"));
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_module_free(module: *mut WhpModule) {
    if !module.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(module))));
    }
}

// --- instance ------------------------------------------------------------------------------------

pub struct WhpInstance {
    // Boxed so that Export contexts can point at them while the instance moves.
    store: Box<Store<()>>,
    last_error: Box<String>,
    last_error_c: Vec<u8>,
    instance: Instance,
    memory: Option<Memory>,
    exports: Vec<Box<dyn std::any::Any>>,
    module_name: String,
}

fn describe_failure(module: &str, e: &Error) -> (u8, u8, String) {
    if let Some(trap) = trap_kind(e) {
        return (ERR_TRAP, trap, format!("module '{module}': the start function trapped: {e}"));
    }
    // A memory or table wasmi could not allocate is a resource limit; the rest, a failure.
    let kind = match e.kind() {
        ErrorKind::Memory(_) | ErrorKind::Table(_) => ERR_RESOURCE_LIMIT,
        _ => ERR_INSTANTIATION_FAILED,
    };
    (kind, TRAP_NONE, format!("module '{module}': instantiation failed: {e}"))
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_instance_new(module: *mut WhpModule, err: *mut WhpError) -> *mut WhpInstance {
    guarded(err, std::ptr::null_mut(), || {
        let m = &*module;
        // Nothing is provided to import: name what the module wants.
        let imports: Vec<String> = m
            .module
            .imports()
            .map(|i| {
                let what = match i.ty() {
                    ExternType::Func(_) => "function",
                    ExternType::Memory(_) => "memory",
                    ExternType::Global(_) => "global",
                    ExternType::Table(_) => "table",
                };
                format!("{what} {}.{}", i.module(), i.name())
            })
            .collect();
        if !imports.is_empty() {
            set_error(
                err,
                ERR_INSTANTIATION_FAILED,
                TRAP_NONE,
                &format!("module '{}': imports the host does not provide: {}", m.name, imports.join(", ")),
            );
            return std::ptr::null_mut();
        }
        instantiate(m, Box::new(Store::new(&m.engine, ())), &[], err)
    })
}

/// Instantiates `m` in `store` with `externs` (its imports, in order), running its start function.
unsafe fn instantiate(m: &WhpModule, mut store: Box<Store<()>>, externs: &[Extern], err: *mut WhpError) -> *mut WhpInstance {
    let instance = match Instance::new(&mut *store, &m.module, externs) {
        Ok(i) => i,
        Err(e) => {
            let (kind, trap, msg) = describe_failure(&m.name, &e);
            set_error(err, kind, trap, &msg);
            return std::ptr::null_mut();
        }
    };
    let memory = instance.get_memory(&*store, "memory");
    Box::into_raw(Box::new(WhpInstance {
        store,
        last_error: Box::default(),
        last_error_c: vec![0],
        instance,
        memory,
        exports: Vec::new(),
        module_name: m.name.clone(),
    }))
}

/// plugin_abi.h's instance_new_imports: imports[k] is the module's k-th function import.
#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_instance_new_imports(
    module: *mut WhpModule,
    imports: *const host::WhpImport,
    nimports: u32,
    err: *mut WhpError,
) -> *mut WhpInstance {
    guarded(err, std::ptr::null_mut(), || {
        let m = &*module;
        let imports = if nimports == 0 { &[][..] } else { std::slice::from_raw_parts(imports, nimports as usize) };
        let mut store = Box::new(Store::new(&m.engine, ()));
        match host::externs(&mut store, &m.module, imports) {
            Ok(externs) => instantiate(m, store, &externs, err),
            Err(why) => {
                set_error(err, ERR_INSTANTIATION_FAILED, TRAP_NONE, &format!("module '{}': {why}", m.name));
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_instance_free(instance: *mut WhpInstance) {
    if !instance.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| drop(Box::from_raw(instance))));
    }
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_instance_memory(instance: *mut WhpInstance, base: *mut *mut u8, size: *mut u64) {
    let i = &*instance;
    match i.memory {
        Some(mem) => {
            *base = mem.data_ptr(&*i.store);
            *size = mem.data_size(&*i.store) as u64;
        }
        None => {
            *base = std::ptr::null_mut();
            *size = 0;
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_instance_last_error(instance: *mut WhpInstance) -> *const c_char {
    let i = &mut *instance;
    i.last_error_c.clear();
    i.last_error_c.extend(i.last_error.bytes().filter(|&b| b != 0));
    i.last_error_c.push(0);
    i.last_error_c.as_ptr() as *const c_char
}
