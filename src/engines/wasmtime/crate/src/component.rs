//! Components for the engine plugin (wasmtime_plugin.cpp's component_* entries), with Wasmtime's
//! own Rust API: the C API has no typed component calls. One wasmtime::Engine per plugin engine,
//! configured as the C API's (engine_config.hpp: strategy, pulley64, epoch interruption); one
//! Store per instance, its epoch deadline far away (components take no call limits).
use std::ffi::{c_char, c_void, CStr, CString};

use wasmtime::component::{Component, Instance, Linker};
use wasmtime::{Config, Engine, OptLevel, Store, Strategy};

use crate::ffi::*;
use crate::worlds::{self, MicroFuncs, PolicyFuncs};

const NO_DEADLINE: u64 = 1 << 62; // as kNoDeadline in engine_config.hpp

pub struct CmComponent {
    engine: Engine,
    component: Component,
    name: String,
}

pub struct CmInstance {
    pub store: Store<()>,
    pub instance: Instance,
    pub name: String,
    pub micro: Option<MicroFuncs>,
    pub policy: Option<PolicyFuncs>,
    last_error: CString,
}

impl CmInstance {
    pub fn set_last_error(&mut self, text: &str) {
        self.last_error = CString::new(text.replace('\0', " ")).unwrap_or_default();
    }
}

fn config_for(flavor: &str) -> Result<Config, String> {
    let mut c = Config::new();
    c.epoch_interruption(true);
    c.wasm_component_model(true);
    match flavor {
        "cranelift" => {
            c.strategy(Strategy::Cranelift);
            c.cranelift_opt_level(OptLevel::Speed);
        }
        "winch" => {
            c.strategy(Strategy::Winch);
        }
        "pulley" => {
            c.strategy(Strategy::Cranelift);
            c.cranelift_opt_level(OptLevel::Speed);
            c.target("pulley64").map_err(|e| format!("target pulley64: {}", one_line(&e)))?;
        }
        other => return Err(format!("unknown Wasmtime configuration '{other}'")),
    }
    Ok(c)
}

fn str_of<'a>(s: *const c_char) -> &'a str {
    if s.is_null() {
        return "";
    }
    // SAFETY: the C side passes NUL-terminated strings.
    unsafe { CStr::from_ptr(s) }.to_str().unwrap_or("?")
}

/// A Wasmtime engine for components of flavor `flavor` ("cranelift", "winch", "pulley").
#[no_mangle]
pub extern "C" fn wasmhop_wt_component_engine_new(flavor: *const c_char, err: *mut WhpError) -> *mut c_void {
    guarded(err, "component engine", std::ptr::null_mut(), || {
        let engine = config_for(str_of(flavor)).and_then(|c| Engine::new(&c).map_err(|e| one_line(&e)));
        match engine {
            Ok(e) => Box::into_raw(Box::new(e)) as *mut c_void,
            Err(why) => {
                report(err, ERR_ENGINE_UNAVAILABLE, &format!("Wasmtime components: {why}"));
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub extern "C" fn wasmhop_wt_component_engine_free(engine: *mut c_void) {
    if !engine.is_null() {
        // SAFETY: made by wasmhop_wt_component_engine_new, freed once.
        let _ = std::panic::catch_unwind(|| drop(unsafe { Box::from_raw(engine as *mut Engine) }));
    }
}

#[no_mangle]
pub extern "C" fn wasmhop_wt_component_new(
    engine: *mut c_void, bytes: *const u8, len: usize, name: *const c_char, err: *mut WhpError,
) -> *mut c_void {
    guarded(err, "component compile", std::ptr::null_mut(), || {
        // SAFETY: the engine is live (its plugin engine owns it); bytes/len come from a span.
        let engine = unsafe { &*(engine as *const Engine) };
        let bytes: &[u8] = if len == 0 { &[] } else { unsafe { std::slice::from_raw_parts(bytes, len) } };
        let name = str_of(name).to_string();
        match Component::new(engine, bytes) {
            Ok(component) => Box::into_raw(Box::new(CmComponent { engine: engine.clone(), component, name })) as *mut c_void,
            Err(e) => {
                report(err, ERR_MALFORMED_MODULE, &format!("component '{name}': {}", one_line(&e)));
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub extern "C" fn wasmhop_wt_component_free(component: *mut c_void) {
    if !component.is_null() {
        // SAFETY: made by wasmhop_wt_component_new, freed once.
        let _ = std::panic::catch_unwind(|| drop(unsafe { Box::from_raw(component as *mut CmComponent) }));
    }
}

/// A fresh instance, nothing imported (the study's components import nothing); runs the start.
#[no_mangle]
pub extern "C" fn wasmhop_wt_component_instance_new(component: *mut c_void, err: *mut WhpError) -> *mut c_void {
    guarded(err, "component instantiate", std::ptr::null_mut(), || {
        // SAFETY: the component is live while its instances are made.
        let c = unsafe { &*(component as *const CmComponent) };
        let mut store = Store::new(&c.engine, ());
        store.set_epoch_deadline(NO_DEADLINE);
        let linker = Linker::<()>::new(&c.engine);
        match linker.instantiate(&mut store, &c.component) {
            Ok(instance) => Box::into_raw(Box::new(CmInstance {
                store,
                instance,
                name: c.name.clone(),
                micro: None,
                policy: None,
                last_error: CString::default(),
            })) as *mut c_void,
            Err(e) => {
                report(err, ERR_INSTANTIATION_FAILED, &format!("component '{}': {}", c.name, one_line(&e)));
                std::ptr::null_mut()
            }
        }
    })
}

#[no_mangle]
pub extern "C" fn wasmhop_wt_component_instance_free(instance: *mut c_void) {
    if !instance.is_null() {
        // SAFETY: made by wasmhop_wt_component_instance_new, freed once.
        let _ = std::panic::catch_unwind(|| drop(unsafe { Box::from_raw(instance as *mut CmInstance) }));
    }
}

/// plugin_abi.h's whp_micro_world and whp_policy_world.
#[repr(C)]
struct MicroTable {
    ctx: *mut c_void,
    mul_scalars: extern "C" fn(*mut c_void, i32, i32, *mut i32) -> u8,
    mul_record: extern "C" fn(*mut c_void, i32, i32, *mut i32) -> u8,
    checksum: extern "C" fn(*mut c_void, *const u8, usize, *mut u32) -> u8,
}
#[repr(C)]
struct PolicyTable {
    ctx: *mut c_void,
    init: extern "C" fn(*mut c_void, u64, u8, u8) -> u8,
    access: extern "C" fn(*mut c_void, u64, u64, *mut u8) -> u8,
    stats: extern "C" fn(*mut c_void, *mut u64) -> u8,
}

/// Resolves world `world` (0 micro, 1 policy) once into `table`; 0, or -1 with `err`.
#[no_mangle]
pub extern "C" fn wasmhop_wt_component_world(instance: *mut c_void, world: u32, table: *mut c_void, err: *mut WhpError) -> i32 {
    guarded(err, "component world", -1, || {
        // SAFETY: the instance is live; table points at the world's table (plugin_abi.h).
        let inst = unsafe { &mut *(instance as *mut CmInstance) };
        let ctx = instance;
        let resolved = match world {
            0 => worlds::resolve_micro(inst).map(|f| {
                inst.micro = Some(f);
                let t = MicroTable { ctx, mul_scalars: worlds::mul_scalars, mul_record: worlds::mul_record, checksum: worlds::checksum };
                unsafe { std::ptr::write(table as *mut MicroTable, t) };
            }),
            1 => worlds::resolve_policy(inst).map(|f| {
                inst.policy = Some(f);
                let t = PolicyTable { ctx, init: worlds::init, access: worlds::access, stats: worlds::stats };
                unsafe { std::ptr::write(table as *mut PolicyTable, t) };
            }),
            _ => Err((ERR_INVALID_ARGUMENT, format!("unknown world {world}"))),
        };
        match resolved {
            Ok(()) => 0,
            Err((kind, message)) => {
                report(err, kind, &message);
                -1
            }
        }
    })
}

#[no_mangle]
pub extern "C" fn wasmhop_wt_component_last_error(instance: *mut c_void) -> *const c_char {
    // SAFETY: the instance is live; the text stays until its next failed call.
    let inst = unsafe { &*(instance as *const CmInstance) };
    inst.last_error.as_ptr()
}
