//! Engines (one Wasmer compiler each) and compiled modules.
use std::ffi::c_void;
use std::os::raw::c_char;

use wasmer::{CompileError, Engine, Module, WasmError};

use crate::c_types::*;

pub struct WasmerEngine {
    pub engine: Engine,
    pub singlepass: bool,  // host functions differ there (host_calls.rs)
}

pub struct WasmerModule {
    pub engine: Engine,
    pub singlepass: bool,
    pub module: Module,
    pub name: String,
}

/// A Wasmer engine for one of the paper's compilers, each with Wasmer's default settings
/// (Cranelift: opt level "speed"; LLVM: "aggressive"), as the paper's Rust host had them.
pub fn engine_for(config: &str) -> Result<Engine, Failure> {
    match config {
        "singlepass" => Ok(Engine::from(wasmer::Singlepass::new())),
        "cranelift" => Ok(Engine::from(wasmer::Cranelift::new())),
        #[cfg(feature = "llvm")]
        "llvm" => Ok(Engine::from(wasmer::LLVM::new())),
        #[cfg(not(feature = "llvm"))]
        "llvm" => Err(Failure::new(ERR_ENGINE_UNAVAILABLE, "this build has no Wasmer LLVM compiler (LLVM 15 was not found)")),
        other => Err(Failure::new(
            ERR_ENGINE_UNAVAILABLE,
            format!("unknown Wasmer configuration '{other}' (singlepass, cranelift or llvm)"),
        )),
    }
}

/// Validation and translation failures are malformed modules; a compiler giving up on a valid
/// module (its own limits, resources) is a resource limit.
pub fn compile_failure(name: &str, e: &CompileError) -> Failure {
    let kind = match e {
        CompileError::Validate(_) => ERR_MALFORMED_MODULE,
        CompileError::Wasm(WasmError::InvalidWebAssembly { .. }) | CompileError::Wasm(WasmError::Generic(_)) => {
            ERR_MALFORMED_MODULE
        }
        CompileError::Wasm(WasmError::Unsupported(_)) | CompileError::UnsupportedFeature(_) => ERR_MALFORMED_MODULE,
        _ => ERR_RESOURCE_LIMIT,
    };
    Failure::new(kind, format!("module '{name}': Wasmer cannot compile it: {e}"))
}

pub fn compile(engine: &Engine, bytes: &[u8], name: &str) -> Result<Module, Failure> {
    Module::new(engine, bytes).map_err(|e| compile_failure(name, &e))
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_version() -> *const c_char {
    // wasmer::VERSION with a NUL: a static string for the plugin's lifetime.
    static VERSION: std::sync::OnceLock<std::ffi::CString> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| std::ffi::CString::new(wasmer::VERSION).unwrap()).as_ptr()
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_engine_new(config: *const c_char, err: *mut WhpError) -> *mut c_void {
    let config = c_str(config);
    guard(err, "engine_new", std::ptr::null_mut(), || {
        let engine = engine_for(&config)?;
        let singlepass = config == "singlepass";
        Ok(Box::into_raw(Box::new(WasmerEngine { engine, singlepass })) as *mut c_void)
    })
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_engine_free(engine: *mut c_void) {
    if !engine.is_null() {
        let _ = std::panic::catch_unwind(|| drop(Box::from_raw(engine as *mut WasmerEngine)));
    }
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_module_new(
    engine: *mut c_void,
    wasm: *const u8,
    len: usize,
    name: *const c_char,
    err: *mut WhpError,
) -> *mut c_void {
    let name = c_str(name).into_owned();
    guard(err, "module_new", std::ptr::null_mut(), || {
        let e = &*(engine as *const WasmerEngine);
        let bytes = if len == 0 { &[][..] } else { std::slice::from_raw_parts(wasm, len) };
        let module = compile(&e.engine, bytes, &name)?;
        let m = WasmerModule { engine: e.engine.clone(), singlepass: e.singlepass, module, name };
        Ok(Box::into_raw(Box::new(m)) as *mut c_void)
    })
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_module_free(module: *mut c_void) {
    if !module.is_null() {
        let _ = std::panic::catch_unwind(|| drop(Box::from_raw(module as *mut WasmerModule)));
    }
}
