//! The study's WIT worlds (guest/component/wasmhop.wit) as typed calls: each export is checked once
//! against its Rust type (`Func::typed`), then every call is `TypedFunc::call`, lowering and
//! lifting through the canonical ABI as Wasmtime's own bindgen output does. The `extern "C"`
//! functions are what plugin_abi.h's whp_micro_world / whp_policy_world point to.
use std::ffi::c_void;

use wasmtime::component::{ComponentNamedList, ComponentType, Func, Lift, Lower, TypedFunc};

use crate::component::CmInstance;
use crate::ffi::{guarded, one_line, trap_kind, TRAP_HOST_ERROR, TRAP_NONE};

#[derive(ComponentType, Lower, Clone, Copy)]
#[component(record)]
pub struct Pair {
    a: i32,
    b: i32,
}

#[derive(ComponentType, Lower, Clone, Copy)]
#[component(record)]
pub struct Request {
    id: u64,
    size: u64,
}

#[derive(ComponentType, Lower, Clone, Copy)]
#[component(enum)]
#[repr(u8)]
pub enum SizeChange {
    #[component(name = "first-size")]
    FirstSize,
    #[component(name = "miss")]
    Miss,
}

#[derive(ComponentType, Lower, Clone, Copy)]
#[component(enum)]
#[repr(u8)]
pub enum Cost {
    #[component(name = "one")]
    One,
    #[component(name = "packets")]
    Packets,
    #[component(name = "size")]
    Size,
}

#[derive(ComponentType, Lift, Clone, Copy)]
#[component(record)]
pub struct Stats {
    requests: u64,
    hits: u64,
    #[component(name = "bytes-requested")]
    bytes_requested: u64,
    #[component(name = "bytes-hit")]
    bytes_hit: u64,
}

pub struct MicroFuncs {
    mul_scalars: TypedFunc<(i32, i32), (i32,)>,
    mul_record: TypedFunc<(Pair,), (i32,)>,
    checksum: Func, // typed per call (a borrowed list): TypedFunc::new_unchecked, checked at resolve
}

pub struct PolicyFuncs {
    init: TypedFunc<(u64, SizeChange, Cost), ()>,
    access: TypedFunc<(Request,), (bool,)>,
    stats: TypedFunc<(), (Stats,)>,
}

/// Looks up export `name` and checks its type; Err(kind, message) as whp_error wants them.
fn typed<P, R>(inst: &mut CmInstance, name: &str) -> Result<TypedFunc<P, R>, (u8, String)>
where
    P: ComponentNamedList + Lower,
    R: ComponentNamedList + Lift,
{
    let Some(func) = inst.instance.get_func(&mut inst.store, name) else {
        return Err((crate::ffi::ERR_MISSING_EXPORT, format!("component '{}': no export '{name}'", inst.name)));
    };
    func.typed::<P, R>(&inst.store).map_err(|e| {
        (crate::ffi::ERR_SIGNATURE_MISMATCH, format!("component '{}', export '{name}': {}", inst.name, one_line(&e)))
    })
}

pub fn resolve_micro(inst: &mut CmInstance) -> Result<MicroFuncs, (u8, String)> {
    let mul_scalars = typed(inst, "mul-scalars")?;
    let mul_record = typed(inst, "mul-record")?;
    let checksum = typed::<(&[u8],), (u32,)>(inst, "checksum")?.func().clone();
    Ok(MicroFuncs { mul_scalars, mul_record, checksum })
}

pub fn resolve_policy(inst: &mut CmInstance) -> Result<PolicyFuncs, (u8, String)> {
    Ok(PolicyFuncs { init: typed(inst, "init")?, access: typed(inst, "access")?, stats: typed(inst, "stats")? })
}

/// One call: the result through `done`, a failure as its trap kind (the text kept for
/// component_last_error). Never unwinds into C.
fn call<T>(ctx: *mut c_void, body: impl FnOnce(&mut CmInstance) -> wasmtime::Result<T>, done: impl FnOnce(T)) -> u8 {
    // SAFETY: ctx is the CmInstance that component_world handed out; it lives while the instance does.
    let inst = unsafe { &mut *(ctx as *mut CmInstance) };
    guarded(std::ptr::null_mut(), "component call", TRAP_HOST_ERROR, || match body(inst) {
        Ok(v) => {
            done(v);
            TRAP_NONE
        }
        Err(e) => {
            inst.set_last_error(&one_line(&e));
            trap_kind(&e)
        }
    })
}

fn micro(inst: &CmInstance) -> &MicroFuncs {
    inst.micro.as_ref().expect("resolved before its table was handed out")
}
fn policy(inst: &CmInstance) -> &PolicyFuncs {
    inst.policy.as_ref().expect("resolved before its table was handed out")
}

pub extern "C" fn mul_scalars(ctx: *mut c_void, a: i32, b: i32, out: *mut i32) -> u8 {
    call(ctx, |i| micro(i).mul_scalars.clone().call(&mut i.store, (a, b)), |(r,)| unsafe { *out = r })
}

pub extern "C" fn mul_record(ctx: *mut c_void, a: i32, b: i32, out: *mut i32) -> u8 {
    call(ctx, |i| micro(i).mul_record.clone().call(&mut i.store, (Pair { a, b },)), |(r,)| unsafe { *out = r })
}

pub extern "C" fn checksum(ctx: *mut c_void, data: *const u8, len: usize, out: *mut u32) -> u8 {
    let bytes: &[u8] = if len == 0 { &[] } else { unsafe { std::slice::from_raw_parts(data, len) } };
    call(
        ctx,
        |i| {
            // SAFETY: resolve_micro checked this export's type as (list<u8>) -> u32.
            let f = unsafe { TypedFunc::<(&[u8],), (u32,)>::new_unchecked(micro(i).checksum.clone()) };
            f.call(&mut i.store, (bytes,))
        },
        |(r,)| unsafe { *out = r },
    )
}

fn size_change_of(v: u8) -> Option<SizeChange> {
    match v {
        0 => Some(SizeChange::FirstSize),
        1 => Some(SizeChange::Miss),
        _ => None,
    }
}
fn cost_of(v: u8) -> Option<Cost> {
    match v {
        0 => Some(Cost::One),
        1 => Some(Cost::Packets),
        2 => Some(Cost::Size),
        _ => None,
    }
}

pub extern "C" fn init(ctx: *mut c_void, capacity: u64, size_change: u8, cost: u8) -> u8 {
    call(
        ctx,
        |i| {
            // A value with no case cannot be lowered: refused as the canonical ABI's lift would trap.
            let (Some(sc), Some(c)) = (size_change_of(size_change), cost_of(cost)) else {
                wasmtime::bail!("size-change {size_change} / cost {cost}: not a case of the WIT enum");
            };
            policy(i).init.clone().call(&mut i.store, (capacity, sc, c))
        },
        |()| {},
    )
}

pub extern "C" fn access(ctx: *mut c_void, id: u64, size: u64, hit: *mut u8) -> u8 {
    call(ctx, |i| policy(i).access.clone().call(&mut i.store, (Request { id, size },)), |(h,)| unsafe { *hit = h as u8 })
}

pub extern "C" fn stats(ctx: *mut c_void, out4: *mut u64) -> u8 {
    call(
        ctx,
        |i| policy(i).stats.clone().call(&mut i.store, ()),
        |(s,)| unsafe {
            *out4 = s.requests;
            *out4.add(1) = s.hits;
            *out4.add(2) = s.bytes_requested;
            *out4.add(3) = s.bytes_hit;
        },
    )
}
