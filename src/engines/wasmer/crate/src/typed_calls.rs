//! The call path: one C-ABI function per export signature over Wasmer's own TypedFunction, so a
//! call is Wasmer's typed call plus loading the arguments from wasmhop's 8-byte slots and storing
//! the result back. (Wasmer's C API would allocate per call; this does not.)
//!
//! TypedFunction<Args, Rets> is generic: every signature of 0..3 parameters over i32/i64/f32/f64
//! with 0 or 1 result gets its own monomorphized trampoline (`dispatch` below picks it). Wider
//! signatures (none of wasmhop's ABIs has one) go through Function::call with wasmer::Value
//! arguments: that path allocates (Wasmer returns the results boxed) and is documented as slow.
use std::any::Any;
use std::ffi::{c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use wasmer::{AsStoreMut, ExportError, FromToNativeWasmType, Function, RuntimeError, Store, TypedFunction, Value, WasmTypeList};

use crate::c_types::*;
use crate::traps::trap_kind;

/// What a trampoline gets as `ctx`: the function, the store it lives in and where a trap's text
/// goes (both owned by the instance, which outlives every handle).
pub struct CallCtx<F> {
    pub store: *mut Store,
    pub last_error: *mut CString,
    pub func: F,
}

impl<F> CallCtx<F> {
    #[cold]
    #[inline(never)]
    fn trapped(&self, e: &RuntimeError) -> u8 {
        let kind = trap_kind(e);
        self.note(format!("{}", e.message()));
        kind
    }

    #[cold]
    #[inline(never)]
    fn panicked(&self, p: Box<dyn Any + Send>) -> u8 {
        self.note(format!("Wasmer panicked during the call: {}", panic_text(&p)));
        TRAP_HOST_ERROR
    }

    fn note(&self, text: String) {
        let text = CString::new(text.replace('\0', " ")).unwrap_or_default();
        unsafe { *self.last_error = text };
    }
}

/// A wasm value in an 8-byte slot (32-bit values in the low half).
pub trait Slot: FromToNativeWasmType + Copy + 'static {
    fn from_bits(v: u64) -> Self;
    fn bits(self) -> u64;
    #[inline(always)]
    unsafe fn load(p: *const u64) -> Self { Self::from_bits(*p) }
    #[inline(always)]
    unsafe fn put(self, p: *mut u64) { *p = self.bits() }
}
impl Slot for i32 {
    #[inline(always)]
    fn from_bits(v: u64) -> Self { v as u32 as i32 }
    #[inline(always)]
    fn bits(self) -> u64 { self as u32 as u64 }
}
impl Slot for i64 {
    #[inline(always)]
    fn from_bits(v: u64) -> Self { v as i64 }
    #[inline(always)]
    fn bits(self) -> u64 { self as u64 }
}
impl Slot for f32 {
    #[inline(always)]
    fn from_bits(v: u64) -> Self { f32::from_bits(v as u32) }
    #[inline(always)]
    fn bits(self) -> u64 { self.to_bits() as u64 }
}
impl Slot for f64 {
    #[inline(always)]
    fn from_bits(v: u64) -> Self { f64::from_bits(v) }
    #[inline(always)]
    fn bits(self) -> u64 { self.to_bits() }
}

/// A call's result list: nothing or one value.
pub trait Ret: WasmTypeList + 'static {
    unsafe fn put_ret(self, io: *mut u64);
    /// The result as a direct entry returns it (0 for none).
    fn ret_bits(self) -> u64;
}
impl Ret for () {
    unsafe fn put_ret(self, _: *mut u64) {}
    #[inline(always)]
    fn ret_bits(self) -> u64 { 0 }
}
macro_rules! ret_slot {
    ($($t:ty),*) => {$(
        impl Ret for $t {
            #[inline(always)]
            unsafe fn put_ret(self, io: *mut u64) { self.put(io) }
            #[inline(always)]
            fn ret_bits(self) -> u64 { self.bits() }
        }
    )*};
}
ret_slot!(i32, i64, f32, f64);

#[inline(always)]
fn finish<F, R: Ret>(c: &CallCtx<F>, r: std::thread::Result<Result<R, RuntimeError>>, io: *mut u64) -> u8 {
    match r {
        Ok(Ok(v)) => {
            unsafe { v.put_ret(io) };
            TRAP_NONE
        }
        Ok(Err(e)) => c.trapped(&e),
        Err(p) => c.panicked(p),
    }
}

/// The store as a StoreMut: TypedFunction::call is generic over the store type, so this gives the
/// trampolines instantiations of their own (one caller each), which LLVM inlines into them (seen in
/// the disassembly). With `&mut Store` they would share raw_baseline.rs's instantiation, which has
/// two callers and stays out of line: one more call per call.
#[inline(always)]
unsafe fn store_of<F>(c: &CallCtx<F>) -> wasmer::StoreMut<'_> {
    (*c.store).as_store_mut()
}

unsafe extern "C" fn call0<R: Ret>(ctx: *mut c_void, io: *mut u64) -> u8 {
    let c = &*(ctx as *const CallCtx<TypedFunction<(), R>>);
    finish(c, catch_unwind(AssertUnwindSafe(|| c.func.call(&mut store_of(c)))), io)
}
unsafe extern "C" fn call1<A: Slot, R: Ret>(ctx: *mut c_void, io: *mut u64) -> u8 {
    let c = &*(ctx as *const CallCtx<TypedFunction<A, R>>);
    let a = A::load(io);
    finish(c, catch_unwind(AssertUnwindSafe(|| c.func.call(&mut store_of(c), a))), io)
}
unsafe extern "C" fn call2<A: Slot, B: Slot, R: Ret>(ctx: *mut c_void, io: *mut u64) -> u8 {
    let c = &*(ctx as *const CallCtx<TypedFunction<(A, B), R>>);
    let (a, b) = (A::load(io), B::load(io.add(1)));
    finish(c, catch_unwind(AssertUnwindSafe(|| c.func.call(&mut store_of(c), a, b))), io)
}
unsafe extern "C" fn call3<A: Slot, B: Slot, C: Slot, R: Ret>(ctx: *mut c_void, io: *mut u64) -> u8 {
    let c = &*(ctx as *const CallCtx<TypedFunction<(A, B, C), R>>);
    let (a, b, d) = (A::load(io), B::load(io.add(1)), C::load(io.add(2)));
    finish(c, catch_unwind(AssertUnwindSafe(|| c.func.call(&mut store_of(c), a, b, d))), io)
}

// --- direct entries (plugin_abi.h): the same calls, arguments and result in registers ----------

/// plugin_abi.h's whp_direct_result (returned in two registers).
#[repr(C)]
pub struct DirectResult {
    value: u64,
    trap: u64,
}

/// The store as the direct entries pass it: the same StoreMut under a type of its own, so that
/// TypedFunction::call gets an instantiation per signature whose one caller is the direct entry,
/// inlined into it as into the packed trampolines (see store_of); sharing theirs, it would have
/// two callers and stay out of line (measured: 16 instructions more per call).
struct DirectStore<'a>(wasmer::StoreMut<'a>);
impl<'a> std::ops::Deref for DirectStore<'a> {
    type Target = wasmer::StoreMut<'a>;
    #[inline(always)]
    fn deref(&self) -> &Self::Target { &self.0 }
}
impl std::ops::DerefMut for DirectStore<'_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut Self::Target { &mut self.0 }
}

#[inline(always)]
unsafe fn direct_store_of<F>(c: &CallCtx<F>) -> DirectStore<'_> {
    DirectStore(store_of(c))
}

#[inline(always)]
fn finish_direct<F, R: Ret>(c: &CallCtx<F>, r: std::thread::Result<Result<R, RuntimeError>>) -> DirectResult {
    match r {
        Ok(Ok(v)) => DirectResult { value: v.ret_bits(), trap: TRAP_NONE as u64 },
        Ok(Err(e)) => DirectResult { value: 0, trap: c.trapped(&e) as u64 },
        Err(p) => DirectResult { value: 0, trap: c.panicked(p) as u64 },
    }
}

unsafe extern "C" fn direct0<R: Ret>(ctx: *mut c_void) -> DirectResult {
    let c = &*(ctx as *const CallCtx<TypedFunction<(), R>>);
    finish_direct(c, catch_unwind(AssertUnwindSafe(|| c.func.call(&mut direct_store_of(c)))))
}
unsafe extern "C" fn direct1<A: Slot, R: Ret>(ctx: *mut c_void, a: u64) -> DirectResult {
    let c = &*(ctx as *const CallCtx<TypedFunction<A, R>>);
    let a = A::from_bits(a);
    finish_direct(c, catch_unwind(AssertUnwindSafe(|| c.func.call(&mut direct_store_of(c), a))))
}
unsafe extern "C" fn direct2<A: Slot, B: Slot, R: Ret>(ctx: *mut c_void, a: u64, b: u64) -> DirectResult {
    let c = &*(ctx as *const CallCtx<TypedFunction<(A, B), R>>);
    let (a, b) = (A::from_bits(a), B::from_bits(b));
    finish_direct(c, catch_unwind(AssertUnwindSafe(|| c.func.call(&mut direct_store_of(c), a, b))))
}
unsafe extern "C" fn direct3<A: Slot, B: Slot, C: Slot, R: Ret>(ctx: *mut c_void, a: u64, b: u64, d: u64) -> DirectResult {
    let c = &*(ctx as *const CallCtx<TypedFunction<(A, B, C), R>>);
    let (a, b, d) = (A::from_bits(a), B::from_bits(b), C::from_bits(d));
    finish_direct(c, catch_unwind(AssertUnwindSafe(|| c.func.call(&mut direct_store_of(c), a, b, d))))
}

/// No value-type code is unknown here (dispatch refused those): stands for "no direct entry".
macro_rules! by_code {
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

/// The direct entry of an export of these types when `call` is the trampoline `dispatch` picked
/// for them (so that the context is the CallCtx it expects).
fn direct_with<R: Ret>(params: &[u8], call: CallFn) -> Option<*const c_void> {
    let (direct, trampoline): (*const c_void, CallFn) = match *params {
        [] => (direct0::<R> as *const c_void, call0::<R>),
        [p] => by_code!(p, A => Some((direct1::<A, R> as *const c_void, call1::<A, R> as CallFn)))?,
        [p, q] => by_code!(p, A => by_code!(q, B =>
            Some((direct2::<A, B, R> as *const c_void, call2::<A, B, R> as CallFn))))?,
        [p, q, r] => by_code!(p, A => by_code!(q, B => by_code!(r, C =>
            Some((direct3::<A, B, C, R> as *const c_void, call3::<A, B, C, R> as CallFn)))))?,
        _ => return None,
    };
    (trampoline as usize == call as usize).then_some(direct)
}

pub fn direct_for(params: &[u8], results: &[u8], call: CallFn) -> Option<*const c_void> {
    match *results {
        [] => direct_with::<()>(params, call),
        [r] => by_code!(r, R => direct_with::<R>(params, call)),
        _ => None,
    }
}

/// The export as a typed function, its context boxed (the instance keeps the box alive).
pub struct Bound {
    pub call: CallFn,
    pub ctx: *mut c_void,
    pub owner: Box<dyn Any>,
}

/// What a lookup needs from the instance.
pub struct Binder<'a> {
    pub exports: &'a wasmer::Exports,
    pub store: *mut Store,
    pub last_error: *mut CString,
    pub module: &'a str,
    pub name: &'a str,
}

impl Binder<'_> {
    fn typed<Args: WasmTypeList + 'static, R: Ret>(&self, call: CallFn) -> Result<Bound, Failure> {
        let func = self
            .exports
            .get_typed_function::<Args, R>(unsafe { &*self.store }, self.name)
            .map_err(|e| self.export_failure(e))?;
        Ok(self.bind(call, func))
    }

    fn bind<F: 'static>(&self, call: CallFn, func: F) -> Bound {
        let mut owner = Box::new(CallCtx { store: self.store, last_error: self.last_error, func });
        let ctx = &mut *owner as *mut CallCtx<F> as *mut c_void;
        Bound { call, ctx, owner }
    }

    fn export_failure(&self, e: ExportError) -> Failure {
        let (module, name) = (self.module, self.name);
        match e {
            ExportError::Missing(_) => {
                Failure::new(ERR_MISSING_EXPORT, format!("module '{module}': no function export '{name}'"))
            }
            ExportError::IncompatibleType => Failure::new(
                ERR_SIGNATURE_MISMATCH,
                format!("module '{module}', export '{name}': Wasmer says its type is not the one asked for"),
            ),
        }
    }
}

/// Runs `$body` with `$T` bound to the Rust type of value-type code `$code`.
macro_rules! with_type {
    ($b:expr, $code:expr, $T:ident => $body:expr) => {
        match $code {
            I32 => { type $T = i32; $body }
            I64 => { type $T = i64; $body }
            F32 => { type $T = f32; $body }
            F64 => { type $T = f64; $body }
            other => Err(Failure::new(
                ERR_SIGNATURE_MISMATCH,
                format!("module '{}', export '{}': value type code {other} is not one wasmhop knows", $b.module, $b.name),
            )),
        }
    };
}

fn with_params<R: Ret>(b: &Binder, params: &[u8]) -> Result<Bound, Failure> {
    match *params {
        [] => b.typed::<(), R>(call0::<R>),
        [p] => with_type!(b, p, A => b.typed::<A, R>(call1::<A, R>)),
        [p, q] => with_type!(b, p, A => with_type!(b, q, B => b.typed::<(A, B), R>(call2::<A, B, R>))),
        [p, q, r] => with_type!(b, p, A => with_type!(b, q, B => with_type!(b, r, C =>
            b.typed::<(A, B, C), R>(call3::<A, B, C, R>)))),
        _ => unreachable!("dispatch sends wider signatures to `dynamic`"),
    }
}

/// The trampoline for an export of this type (wasmhop read the type from the module; Wasmer
/// checks it again).
pub fn dispatch(b: &Binder, params: &[u8], results: &[u8]) -> Result<Bound, Failure> {
    if params.len() > 3 || results.len() > 1 {
        return dynamic(b, params, results);
    }
    match *results {
        [] => with_params::<()>(b, params),
        [r] => with_type!(b, r, R => with_params::<R>(b, params)),
        _ => unreachable!(),
    }
}

// --- wider signatures: Function::call ------------------------------------------------------------

pub struct DynamicFunc {
    func: Function,
    params: Vec<u8>,
}

fn dynamic(b: &Binder, params: &[u8], results: &[u8]) -> Result<Bound, Failure> {
    let func = b.exports.get_function(b.name).map_err(|e| b.export_failure(e))?.clone();
    let ty = func.ty(unsafe { &*b.store });
    let code = |t: &wasmer::Type| match t {
        wasmer::Type::I32 => I32,
        wasmer::Type::I64 => I64,
        wasmer::Type::F32 => F32,
        wasmer::Type::F64 => F64,
        _ => u8::MAX,
    };
    if !ty.params().iter().map(code).eq(params.iter().copied())
        || !ty.results().iter().map(code).eq(results.iter().copied())
    {
        return Err(b.export_failure(ExportError::IncompatibleType));
    }
    Ok(b.bind(call_dynamic, DynamicFunc { func, params: params.to_vec() }))
}

unsafe fn to_value(code: u8, slot: u64) -> Value {
    match code {
        I32 => Value::I32(slot as u32 as i32),
        I64 => Value::I64(slot as i64),
        F32 => Value::F32(f32::from_bits(slot as u32)),
        _ => Value::F64(f64::from_bits(slot)),
    }
}

unsafe extern "C" fn call_dynamic(ctx: *mut c_void, io: *mut u64) -> u8 {
    let c = &*(ctx as *const CallCtx<DynamicFunc>);
    let r = catch_unwind(AssertUnwindSafe(|| {
        let args: Vec<Value> = c.func.params.iter().enumerate().map(|(i, &t)| to_value(t, *io.add(i))).collect();
        c.func.func.call(&mut *c.store, &args)
    }));
    match r {
        Ok(Ok(values)) => {
            for (i, v) in values.iter().enumerate() {
                *io.add(i) = match *v {
                    Value::I32(x) => x as u32 as u64,
                    Value::I64(x) => x as u64,
                    Value::F32(x) => x.to_bits() as u64,
                    Value::F64(x) => x.to_bits(),
                    _ => 0,
                };
            }
            TRAP_NONE
        }
        Ok(Err(e)) => c.trapped(&e),
        Err(p) => c.panicked(p),
    }
}
