//! Host functions: each whp_import (plugin_abi.h) becomes a Wasmer function of its exact type in
//! the instance's store. When the guest calls it, its arguments go into wasmhop's 8-byte slots,
//! the host function is called with the calling instance's memory at hand, and its results come
//! back; a failing host function returns a RuntimeError, which Wasmer raises as a trap in the
//! guest (nothing unwinds through the C++ host function).
//!
//! The path per signature: all-i32/i64 signatures of up to 4 parameters and at most one result
//! (what host functions almost always are), and those with a float result (see `typed`), get a
//! monomorphised typed host function (`Function::new_typed_with_env`): Wasmer calls it with native
//! arguments, no allocation. Any other signature uses `Function::new_with_env`, whose arguments
//! and results Wasmer boxes into `Vec<Value>`s every call. Measured on add_loop
//! (guest/test/host_calls.cpp, one (i32, i32) -> i32 host call per iteration): ~20 ns a call typed,
//! ~70 ns dynamic, on all three compilers.
//!
//! The caller's memory is the instance's exported "memory", resolved once after instantiation:
//! Wasmer 4.x gives a host function no handle on its calling instance, so a host function called
//! from the start function (before the instance exists) sees no memory (NULL, 0).
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

use wasmer::{
    AsStoreMut, FromToNativeWasmType, Function, FunctionEnv, FunctionEnvMut, FunctionType, Memory, RuntimeError, Type,
    Value, WasmTypeList,
};

use crate::c_types::*;

/// The per-instance data every host function of the instance sees: its exported "memory",
/// resolved once, after instantiation (during the start function there is none yet).
#[derive(Default)]
pub struct HostEnv {
    pub memory: Option<Memory>,
}

/// One import's host function, copied out of the whp_import (valid while the instance lives).
#[derive(Clone, Copy)]
struct Import {
    call: HostFn,
    ctx: *mut c_void,
    module: *const std::os::raw::c_char,
    field: *const std::os::raw::c_char,
}
// The host function may be called from whichever thread calls into the instance (one at a time).
unsafe impl Send for Import {}
unsafe impl Sync for Import {}

impl Import {
    /// Calls the host function on io; a failure becomes the RuntimeError that traps the guest.
    #[inline(always)]
    fn invoke(&self, env: &mut FunctionEnvMut<HostEnv>, io: *mut u64) -> Result<(), RuntimeError> {
        let caller = WhpCaller { opaque: env as *mut FunctionEnvMut<HostEnv> as *mut c_void, memory: caller_memory };
        if unsafe { (self.call)(self.ctx, &caller, io) } != 0 {
            return Err(self.failed());
        }
        Ok(())
    }

    /// The trap's text (last_error); the host keeps and reports the host function's own error.
    #[cold]
    #[inline(never)]
    fn failed(&self) -> RuntimeError {
        let (module, field) = unsafe { (c_str(self.module), c_str(self.field)) };
        RuntimeError::new(format!("host function {module}.{field} failed"))
    }
}

/// whp_caller::memory: the calling instance's memory now (it may have grown since the last call).
unsafe extern "C" fn caller_memory(opaque: *mut c_void, base: *mut *mut u8, size: *mut u64) {
    *base = std::ptr::null_mut();
    *size = 0;
    let env = &*(opaque as *const FunctionEnvMut<HostEnv>);
    let found = catch_unwind(AssertUnwindSafe(|| {
        env.data().memory.as_ref().map(|m| {
            let view = m.view(env);
            (view.data_ptr(), view.data_size())
        })
    }));
    if let Ok(Some((p, n))) = found {
        *base = p;
        *size = n;
    }
}

// --- typed host functions: all-i32/i64 signatures, up to 4 parameters, at most one result -------

/// A parameter: stored whole into its slot (the host reads an i32 from the low 4 bytes).
trait Param: FromToNativeWasmType + Copy + Send + 'static {
    fn bits(self) -> u64;
}
impl Param for i32 {
    #[inline(always)]
    fn bits(self) -> u64 { self as u32 as u64 }
}
impl Param for i64 {
    #[inline(always)]
    fn bits(self) -> u64 { self as u64 }
}
impl Param for f32 {
    #[inline(always)]
    fn bits(self) -> u64 { self.to_bits() as u64 }
}
impl Param for f64 {
    #[inline(always)]
    fn bits(self) -> u64 { self.to_bits() }
}

/// The result list: nothing or one value, read with its own width (the host wrote an i32 as 4
/// bytes; an 8-byte read of it would not be store-forwarded).
trait HostRet: WasmTypeList + Send + 'static {
    unsafe fn take(io: *const u64) -> Self;
}
impl HostRet for () {
    #[inline(always)]
    unsafe fn take(_: *const u64) -> Self {}
}
impl HostRet for i32 {
    #[inline(always)]
    unsafe fn take(io: *const u64) -> Self { (io as *const i32).read() }
}
impl HostRet for i64 {
    #[inline(always)]
    unsafe fn take(io: *const u64) -> Self { io.read() as i64 }
}
impl HostRet for f32 {
    #[inline(always)]
    unsafe fn take(io: *const u64) -> Self { (io as *const f32).read() }
}
impl HostRet for f64 {
    #[inline(always)]
    unsafe fn take(io: *const u64) -> Self { (io as *const f64).read() }
}

/// One typed host function of parameters $a: $A..., as a generic fn over their types.
macro_rules! typed_fn {
    ($name:ident $(, $a:ident: $A:ident)*) => {
        fn $name<$($A: Param,)* R: HostRet>(store: &mut impl AsStoreMut, env: &FunctionEnv<HostEnv>, imp: Import)
            -> Function {
            let host = move |mut env: FunctionEnvMut<HostEnv>, $($a: $A),*| -> Result<R, RuntimeError> {
                let mut io = [0u64; 4];
                let mut _k = 0;
                $( io[_k] = $a.bits(); _k += 1; )*
                imp.invoke(&mut env, io.as_mut_ptr())?;
                Ok(unsafe { R::take(io.as_ptr()) })
            };
            Function::new_typed_with_env(store, env, host)
        }
    };
}
typed_fn!(typed0);
typed_fn!(typed1, a: A);
typed_fn!(typed2, a: A, b: B);
typed_fn!(typed3, a: A, b: B, c: C);
typed_fn!(typed4, a: A, b: B, c: C, d: D);

/// Runs `$body` with `$T` the Rust type of an integer value-type code; None for a float.
macro_rules! int_type {
    ($code:expr, $T:ident => $body:expr) => {
        match $code {
            I32 => { type $T = i32; $body }
            I64 => { type $T = i64; $body }
            _ => None,
        }
    };
}

/// Runs `$body` with `$T` the Rust type of any value-type code.
macro_rules! any_type {
    ($code:expr, $T:ident => $body:expr) => {
        match $code {
            I32 => { type $T = i32; $body }
            I64 => { type $T = i64; $body }
            F32 => { type $T = f32; $body }
            F64 => { type $T = f64; $body }
            _ => None,
        }
    };
}

/// The typed host function for these parameters, each of a type `$ty!` accepts.
macro_rules! typed_params {
    ($ty:ident, $params:expr, $R:ty, $store:expr, $env:expr, $imp:expr) => {
        match *$params {
            [] => Some(typed0::<$R>($store, $env, $imp)),
            [p] => $ty!(p, A => Some(typed1::<A, $R>($store, $env, $imp))),
            [p, q] => $ty!(p, A => $ty!(q, B => Some(typed2::<A, B, $R>($store, $env, $imp)))),
            [p, q, r] => $ty!(p, A => $ty!(q, B => $ty!(r, C => Some(typed3::<A, B, C, $R>($store, $env, $imp))))),
            [p, q, r, s] => $ty!(p, A => $ty!(q, B => $ty!(r, C => $ty!(s, D =>
                Some(typed4::<A, B, C, D, $R>($store, $env, $imp)))))),
            _ => None,
        }
    };
}

/// The typed host function for this signature, if it is one of the monomorphised shapes: up to 4
/// parameters and at most one result, the parameters all i32/i64 -- or of any type when the result
/// is a float. Those are typed whatever their cost: Wasmer 4.4's Singlepass returns a dynamic host
/// function's result in RAX only, where its code reads a float result from XMM0 (checked in
/// wasmer-compiler-singlepass 4.4 to 6.0, gen_std_dynamic_import_trampoline), so on Singlepass a
/// dynamic host function cannot return a float.
fn typed(
    params: &[u8],
    results: &[u8],
    store: &mut impl AsStoreMut,
    env: &FunctionEnv<HostEnv>,
    imp: Import,
) -> Option<Function> {
    match *results {
        [] => typed_params!(int_type, params, (), store, env, imp),
        [I32] => typed_params!(int_type, params, i32, store, env, imp),
        [I64] => typed_params!(int_type, params, i64, store, env, imp),
        [F32] => typed_params!(any_type, params, f32, store, env, imp),
        [F64] => typed_params!(any_type, params, f64, store, env, imp),
        _ => None,
    }
}

// --- any other signature: a dynamic host function ------------------------------------------------

fn value_bits(v: &Value) -> u64 {
    match *v {
        Value::I32(x) => x as u32 as u64,
        Value::I64(x) => x as u64,
        Value::F32(x) => x.to_bits() as u64,
        Value::F64(x) => x.to_bits(),
        _ => 0,
    }
}

fn value_of(t: Type, slot: u64) -> Value {
    match t {
        Type::I32 => Value::I32(slot as u32 as i32),
        Type::I64 => Value::I64(slot as i64),
        Type::F32 => Value::F32(f32::from_bits(slot as u32)),
        _ => Value::F64(f64::from_bits(slot)),
    }
}

fn dynamic(
    params: Vec<Type>,
    results: Vec<Type>,
    store: &mut impl AsStoreMut,
    env: &FunctionEnv<HostEnv>,
    imp: Import,
) -> Function {
    let ty = FunctionType::new(params, results.clone());
    Function::new_with_env(store, env, ty, move |mut env: FunctionEnvMut<HostEnv>, args: &[Value]| {
        const STACK: usize = 16;
        let n = args.len().max(results.len());
        let mut stack = [0u64; STACK];
        let mut heap = Vec::new();
        let io: &mut [u64] = if n <= STACK { &mut stack[..] } else { heap.resize(n, 0); &mut heap[..] };
        for (slot, v) in io.iter_mut().zip(args) {
            *slot = value_bits(v);
        }
        imp.invoke(&mut env, io.as_mut_ptr())?;
        Ok(results.iter().zip(io.iter()).map(|(t, &slot)| value_of(*t, slot)).collect())
    })
}

fn wasm_type(code: u8) -> Option<Type> {
    match code {
        I32 => Some(Type::I32),
        I64 => Some(Type::I64),
        F32 => Some(Type::F32),
        F64 => Some(Type::F64),
        _ => None,
    }
}

/// The Wasmer function for one import, in the store of `env`: typed where the signature allows,
/// dynamic otherwise (refused on Singlepass for a float result, which it would lose: see `typed`).
pub fn host_function(
    store: &mut impl AsStoreMut,
    env: &FunctionEnv<HostEnv>,
    imp: &WhpImport,
    singlepass: bool,
) -> Result<Function, Failure> {
    let name = || unsafe { format!("{}.{}", c_str(imp.module), c_str(imp.field)) };
    let call = imp.call.ok_or_else(|| Failure::new(ERR_INSTANTIATION_FAILED, format!("import {}: no function", name())))?;
    let slice = |p: *const u8, n: u32| {
        if n == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(p, n as usize) } }
    };
    let (params, results) = (slice(imp.ty.params, imp.ty.nparams), slice(imp.ty.results, imp.ty.nresults));
    let types = |codes: &[u8]| codes.iter().map(|&c| wasm_type(c)).collect::<Option<Vec<Type>>>();
    let (Some(ptypes), Some(rtypes)) = (types(params), types(results)) else {
        let why = format!("import {}: a value type code wasmhop does not know", name());
        return Err(Failure::new(ERR_SIGNATURE_MISMATCH, why));
    };
    let import = Import { call, ctx: imp.ctx, module: imp.module, field: imp.field };
    if let Some(f) = typed(params, results, store, env, import) {
        return Ok(f);
    }
    if singlepass && rtypes.iter().any(|t| matches!(t, Type::F32 | Type::F64)) {
        return Err(Failure::new(
            ERR_INSTANTIATION_FAILED,
            format!("import {}: Wasmer's Singlepass cannot return a float from a host function of over 4 parameters", name()),
        ));
    }
    Ok(dynamic(ptypes, rtypes, store, env, import))
}
