//! Calling exports: every export is called through a `TypedFunc` monomorphized for its signature
//! (0..3 parameters over i32/i64/f32/f64, 0 or 1 result); other signatures go through
//! `Func::call` with values on the stack.

use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

use wasmi::{Error, Func, Store, TypedFunc, Val, ValType, F32, F64};

use crate::values::{val_type, LoadParams, Slot, StoreResults};
use crate::*;

/// What one export's call function gets as its context (boxed: its address is handed out).
/// `F` is a `TypedFunc<P, R>`, or `Untyped` for signatures outside the monomorphized set.
struct Export<F> {
    store: *mut Store<()>,
    last_error: *mut String,
    func: F,
}

struct Untyped {
    func: Func,
    params: Vec<ValType>,
    results: Vec<ValType>,
}

#[cold]
#[inline(never)]
fn record_trap(last_error: *mut String, e: Error) -> u8 {
    let kind = trap_kind(&e).unwrap_or(TRAP_HOST_ERROR);
    // SAFETY: the instance outlives its exports' contexts.
    unsafe { *last_error = format!("wasmi: {e}") };
    kind
}

/// The call function of an export of signature P -> R: the context is its `Export`.
///
/// No catch_unwind here, unlike every other entry point: measured, it costs 5-6 ns per call
/// (10% of a whole wasmi call) and makes this path slower than wasmi's own TypedFunc::call. A
/// trap is a value (Err), not a panic; wasmi panics only on misuse (a store that does not own the
/// function, impossible here by construction). Were it to panic anyway, Rust stops the unwind at
/// this `extern "C"` boundary and aborts: it never unwinds into C.
extern "C" fn call_typed<P: LoadParams, R: StoreResults>(ctx: *mut c_void, io: *mut u64) -> u8 {
    // SAFETY: ctx is the Export this function was handed out with; io has room for max(P, R) slots.
    let export = unsafe { &*(ctx as *const Export<TypedFunc<P, R>>) };
    let params = unsafe { P::load(io) };
    match export.func.call(unsafe { &mut *export.store }, params) {
        Ok(r) => {
            unsafe { r.store(io) };
            TRAP_NONE
        }
        Err(e) => record_trap(export.last_error, e),
    }
}

/// What a direct entry returns (plugin_abi.h's whp_direct_result: in two registers).
#[repr(C)]
pub struct DirectResult {
    value: u64,
    trap: u64,
}

/// The direct entry of P -> R: call_typed with the arguments and the result in registers.
#[inline(always)]
fn direct_call<P: LoadParams, R: StoreResults>(ctx: *mut c_void, params: P) -> DirectResult {
    // SAFETY: as call_typed's (whp_wasmi_func_direct hands this out only with call_typed's context).
    let export = unsafe { &*(ctx as *const Export<TypedFunc<P, R>>) };
    match export.func.call(unsafe { &mut *export.store }, params) {
        Ok(r) => DirectResult { value: r.bits(), trap: TRAP_NONE as u64 },
        Err(e) => DirectResult { value: 0, trap: record_trap(export.last_error, e) as u64 },
    }
}
extern "C" fn direct0<R: StoreResults>(ctx: *mut c_void) -> DirectResult {
    direct_call::<(), R>(ctx, ())
}
extern "C" fn direct1<A: Slot, R: StoreResults>(ctx: *mut c_void, a: u64) -> DirectResult
where
    (A,): LoadParams,
{
    direct_call::<(A,), R>(ctx, (A::load(a),))
}
extern "C" fn direct2<A: Slot, B: Slot, R: StoreResults>(ctx: *mut c_void, a: u64, b: u64) -> DirectResult
where
    (A, B): LoadParams,
{
    direct_call::<(A, B), R>(ctx, (A::load(a), B::load(b)))
}
extern "C" fn direct3<A: Slot, B: Slot, C: Slot, R: StoreResults>(ctx: *mut c_void, a: u64, b: u64, c: u64) -> DirectResult
where
    (A, B, C): LoadParams,
{
    direct_call::<(A, B, C), R>(ctx, (A::load(a), B::load(b), C::load(c)))
}

/// Any other signature: `Func::call` with values in small vectors on the stack of this call.
extern "C" fn call_dynamic(ctx: *mut c_void, io: *mut u64) -> u8 {
    let export = unsafe { &*(ctx as *const Export<Untyped>) };
    let Untyped { func, params, results } = &export.func;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let args: Vec<Val> = params
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let v = unsafe { *io.add(k) };
                match t {
                    ValType::I32 => Val::I32(v as u32 as i32),
                    ValType::I64 => Val::I64(v as i64),
                    ValType::F32 => Val::F32(F32::from_bits(v as u32)),
                    _ => Val::F64(F64::from_bits(v)),
                }
            })
            .collect();
        let mut out: Vec<Val> = results.iter().map(|t| Val::default_for_ty(*t)).collect();
        func.call(unsafe { &mut *export.store }, &args, &mut out).map(|_| out)
    }));
    match outcome {
        Ok(Ok(out)) => {
            for (k, v) in out.iter().enumerate() {
                let slot = match v {
                    Val::I32(x) => *x as u32 as u64,
                    Val::I64(x) => *x as u64,
                    Val::F32(x) => x.to_bits() as u64,
                    Val::F64(x) => x.to_bits(),
                    _ => 0,
                };
                unsafe { *io.add(k) = slot };
            }
            TRAP_NONE
        }
        Ok(Err(e)) => record_trap(export.last_error, e),
        Err(_) => TRAP_UNKNOWN,
    }
}

/// Where an export's context points: the store and the instance's last-error text.
#[derive(Clone, Copy)]
struct Home {
    store: *mut Store<()>,
    last_error: *mut String,
}

type Bound = (CallFn, *mut c_void, Box<dyn std::any::Any>);

fn bind<F: 'static>(home: Home, func: F, call: CallFn) -> Bound {
    let export = Box::new(Export { store: home.store, last_error: home.last_error, func });
    let ctx = &*export as *const Export<F> as *mut c_void;
    (call, ctx, export)
}

/// The call function and context for P -> R, if the export really has that type.
fn typed<P: LoadParams, R: StoreResults>(func: Func, home: Home) -> Option<Bound> {
    let t: TypedFunc<P, R> = func.typed(unsafe { &*home.store }).ok()?;
    Some(bind(home, t, call_typed::<P, R>))
}

fn with_results<P: LoadParams>(results: &[u8], func: Func, home: Home) -> Option<Bound>
where
    P: LoadParams,
{
    match results {
        [] => typed::<P, ()>(func, home),
        [r] => by_type!(*r, R => typed::<P, R>(func, home)),
        _ => None,
    }
}

fn select(params: &[u8], results: &[u8], func: Func, home: Home) -> Option<Bound> {
    match params {
        [] => with_results::<()>(results, func, home),
        [a] => by_type!(*a, A => with_results::<(A,)>(results, func, home)),
        [a, b] => by_type!(*a, A => by_type!(*b, B => with_results::<(A, B)>(results, func, home))),
        [a, b, c] => by_type!(*a, A => by_type!(*b, B => by_type!(*c, C => with_results::<(A, B, C)>(results, func, home)))),
        _ => None,
    }
}

/// The direct entry for an export of these types bound to `call`, when `call` is the typed
/// caller of exactly these types (so that the context is the one the direct entry expects).
fn direct_for<R: StoreResults>(params: &[u8], call: CallFn) -> Option<*const c_void> {
    let (direct, typed): (*const c_void, CallFn) = match params {
        [] => (direct0::<R> as *const c_void, call_typed::<(), R>),
        [a] => by_type!(*a, A => Some((direct1::<A, R> as *const c_void, call_typed::<(A,), R> as CallFn)))?,
        [a, b] => by_type!(*a, A => by_type!(*b, B =>
            Some((direct2::<A, B, R> as *const c_void, call_typed::<(A, B), R> as CallFn))))?,
        [a, b, c] => by_type!(*a, A => by_type!(*b, B => by_type!(*c, C =>
            Some((direct3::<A, B, C, R> as *const c_void, call_typed::<(A, B, C), R> as CallFn)))))?,
        _ => return None,
    };
    (typed as usize == call as usize).then_some(direct)
}

/// plugin_abi.h's func_direct: NULL when the export has no direct entry.
#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_func_direct(call: CallFn, _ctx: *mut c_void, ty: *const WhpFuncType) -> *const c_void {
    let t = &*ty;
    let params = if t.nparams == 0 { &[][..] } else { std::slice::from_raw_parts(t.params, t.nparams as usize) };
    let results = if t.nresults == 0 { &[][..] } else { std::slice::from_raw_parts(t.results, t.nresults as usize) };
    let direct = match results {
        [] => direct_for::<()>(params, call),
        [r] => by_type!(*r, R => direct_for::<R>(params, call)),
        _ => None,
    };
    direct.unwrap_or(std::ptr::null())
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_instance_func(
    instance: *mut WhpInstance,
    name: *const c_char,
    ty: *const WhpFuncType,
    call: *mut Option<CallFn>,
    ctx: *mut *mut c_void,
    err: *mut WhpError,
) -> i32 {
    guarded(err, -1, || {
        let i = &mut *instance;
        let name = c_str(name);
        let Some(func) = i.instance.get_func(&*i.store, name) else {
            set_error(
                err,
                ERR_MISSING_EXPORT,
                TRAP_NONE,
                &format!("module '{}': no function export '{name}'", i.module_name),
            );
            return -1;
        };
        let t = &*ty;
        let params = if t.nparams == 0 { &[][..] } else { std::slice::from_raw_parts(t.params, t.nparams as usize) };
        let results = if t.nresults == 0 { &[][..] } else { std::slice::from_raw_parts(t.results, t.nresults as usize) };
        let want_params: Vec<ValType> = params.iter().map(|&p| val_type(p)).collect();
        let want_results: Vec<ValType> = results.iter().map(|&r| val_type(r)).collect();
        let real = func.ty(&*i.store);
        if real.params() != want_params.as_slice() || real.results() != want_results.as_slice() {
            set_error(
                err,
                ERR_SIGNATURE_MISMATCH,
                TRAP_NONE,
                &format!("module '{}', export '{name}': its type is {real:?}", i.module_name),
            );
            return -1;
        }
        let home = Home { store: &mut *i.store, last_error: &mut *i.last_error };
        let (fn_ptr, fn_ctx, owner) = match select(params, results, func, home) {
            Some(bound) => bound,
            None => bind(home, Untyped { func, params: want_params, results: want_results }, call_dynamic),
        };
        *ctx = fn_ctx;
        *call = Some(fn_ptr);
        i.exports.push(owner);
        0
    })
}
