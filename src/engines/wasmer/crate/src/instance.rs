//! Instances: a Store of their own (Wasmer stores are not shared between wasmhop instances), their
//! host functions (host_calls.rs), the exported memory, and the typed functions handed out for calls.
use std::any::Any;
use std::ffi::{c_void, CString};
use std::os::raw::c_char;

use wasmer::{Extern, FunctionEnv, InstantiationError, Instance, LinkError, Memory, Store};

use crate::c_types::*;
use crate::engine::WasmerModule;
use crate::host_calls::{host_function, HostEnv};
use crate::traps::trap_kind;
use crate::typed_calls::{dispatch, Binder};

pub struct WasmerInstance {
    // Raw pointers, freed in Drop after everything that refers to them: the call contexts hold
    // them too and reach them on every call.
    store: *mut Store,
    last_error: *mut CString,
    instance: Option<Instance>,
    memory: Option<Memory>,
    calls: Vec<Box<dyn Any>>,
    module_name: String,
}

impl Drop for WasmerInstance {
    fn drop(&mut self) {
        self.calls.clear();
        self.memory = None;
        self.instance = None;
        unsafe {
            drop(Box::from_raw(self.store));
            drop(Box::from_raw(self.last_error));
        }
    }
}

/// Instantiates `m` in a Store of its own, its function imports bound to `host` (the host refused
/// every other kind of import, so host[k] is the module's k-th import).
fn instantiate(m: &WasmerModule, host: &[WhpImport]) -> Result<WasmerInstance, Failure> {
    let name = &m.name;
    let wanted: Vec<String> = m.module.imports().map(|i| format!("{}.{}", i.module(), i.name())).collect();
    if wanted.len() != host.len() {
        let given = match host.len() {
            0 => "no host functions were given".to_string(),
            n => format!("the host gave {n} functions"),
        };
        return Err(Failure::new(
            ERR_INSTANTIATION_FAILED,
            format!("module '{name}': imports {} ({} items); {given}", wanted.join(", "), wanted.len()),
        ));
    }
    let store = Box::into_raw(Box::new(Store::new(m.engine.clone())));
    let last_error = Box::into_raw(Box::new(CString::default()));
    let mut inst = WasmerInstance {
        store,
        last_error,
        instance: None,
        memory: None,
        calls: Vec::new(),
        module_name: name.clone(),
    };
    let store = unsafe { &mut *store };
    let env = FunctionEnv::new(store, HostEnv::default());
    let externs: Vec<Extern> = host
        .iter()
        .map(|h| host_function(store, &env, h, m.singlepass).map(Extern::Function))
        .collect::<Result<_, _>>()?;
    let instance = Instance::new_by_index(store, &m.module, &externs).map_err(|e| instantiation_failure(name, e))?;
    inst.memory = instance.exports.get_memory("memory").ok().cloned();
    env.as_mut(store).memory = inst.memory.clone();
    inst.instance = Some(instance);
    Ok(inst)
}

fn instantiation_failure(name: &str, e: InstantiationError) -> Failure {
    match e {
        InstantiationError::Start(rt) => Failure {
            kind: ERR_TRAP,
            trap: trap_kind(&rt),
            message: format!("module '{name}': the start function trapped: {}", rt.message()),
        },
        InstantiationError::Link(LinkError::Resource(why)) => {
            Failure::new(ERR_RESOURCE_LIMIT, format!("module '{name}': Wasmer cannot instantiate it: {why}"))
        }
        other => Failure::new(ERR_INSTANTIATION_FAILED, format!("module '{name}': Wasmer cannot instantiate it: {other}")),
    }
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_instance_new(module: *mut c_void, err: *mut WhpError) -> *mut c_void {
    guard(err, "instance_new", std::ptr::null_mut(), || {
        let inst = instantiate(&*(module as *const WasmerModule), &[])?;
        Ok(Box::into_raw(Box::new(inst)) as *mut c_void)
    })
}

/// plugin_abi.h's instance_new_imports (without the timeout, which wasmer_plugin.cpp refuses).
#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_instance_new_imports(
    module: *mut c_void,
    imports: *const WhpImport,
    nimports: u32,
    err: *mut WhpError,
) -> *mut c_void {
    guard(err, "instance_new_imports", std::ptr::null_mut(), || {
        let host = if nimports == 0 { &[][..] } else { std::slice::from_raw_parts(imports, nimports as usize) };
        let inst = instantiate(&*(module as *const WasmerModule), host)?;
        Ok(Box::into_raw(Box::new(inst)) as *mut c_void)
    })
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_instance_free(instance: *mut c_void) {
    if !instance.is_null() {
        let _ = std::panic::catch_unwind(|| drop(Box::from_raw(instance as *mut WasmerInstance)));
    }
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_instance_func(
    instance: *mut c_void,
    name: *const c_char,
    ty: *const WhpFuncType,
    call: *mut Option<CallFn>,
    ctx: *mut *mut c_void,
    err: *mut WhpError,
) -> i32 {
    let name = c_str(name).into_owned();
    guard(err, "instance_func", -1, || {
        let inst = &mut *(instance as *mut WasmerInstance);
        let ty = &*ty;
        let params = std::slice::from_raw_parts(ty.params, ty.nparams as usize);
        let results = std::slice::from_raw_parts(ty.results, ty.nresults as usize);
        let binder = Binder {
            exports: &inst.instance.as_ref().expect("instantiated").exports,
            store: inst.store,
            last_error: inst.last_error,
            module: &inst.module_name,
            name: &name,
        };
        let bound = dispatch(&binder, params, results)?;
        *call = Some(bound.call);
        *ctx = bound.ctx;
        inst.calls.push(bound.owner);
        Ok(0)
    })
}

/// plugin_abi.h's func_direct: the direct entry of an export instance_func bound, or NULL.
#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_func_direct(call: CallFn, _ctx: *mut c_void, ty: *const WhpFuncType) -> *const c_void {
    let ty = &*ty;
    let slice = |p: *const u8, n: u32| if n == 0 { &[][..] } else { std::slice::from_raw_parts(p, n as usize) };
    crate::typed_calls::direct_for(slice(ty.params, ty.nparams), slice(ty.results, ty.nresults), call)
        .unwrap_or(std::ptr::null())
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_instance_memory(instance: *mut c_void, base: *mut *mut u8, size: *mut u64) {
    let inst = &*(instance as *const WasmerInstance);
    *base = std::ptr::null_mut();
    *size = 0;
    if let Some(mem) = &inst.memory {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let view = mem.view(&*inst.store);
            (view.data_ptr(), view.data_size())
        }));
        if let Ok((p, n)) = r {
            *base = p;
            *size = n;
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_instance_last_error(instance: *mut c_void) -> *const c_char {
    (*(*(instance as *const WasmerInstance)).last_error).as_ptr()
}
