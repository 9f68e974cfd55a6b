//! Host functions (plugin_abi.h's whp_import): every bound import becomes a wasmi host function of
//! exactly its type, which hands the guest's values to the host in 8-byte slots and turns a failed
//! host call into an error, which traps the guest. Types of up to 3 parameters and 0 or 1 result
//! are `Func::wrap`ped for their Rust types: wasmi then moves the values straight between its
//! cells and ours, where `Func::new` goes through `Val` slices (measured on host_calls.wasm's
//! add_loop, (i32, i32) -> i32: about 40 ns a guest-to-host call against 70). Other types take
//! `Func::new`.

use std::ffi::{c_char, c_void};
use std::sync::{Arc, OnceLock};

use wasmi::{Caller, Error, Extern, ExternType, Func, FuncType, Memory, Module, Store, Val, ValType, WasmRet, WasmTy, F32, F64};

use crate::values::{val_type, Slot};
use crate::{c_str, WhpFuncType, T_F32, T_F64, T_I32, T_I64};

/// plugin_abi.h's whp_caller: the instance calling a host function.
#[repr(C)]
pub struct WhpCaller {
    opaque: *const c_void,
    memory: unsafe extern "C" fn(*const c_void, *mut *mut u8, *mut u64),
}

type HostFn = unsafe extern "C" fn(*mut c_void, *const WhpCaller, *mut u64) -> u8;

/// plugin_abi.h's whp_import: one function import bound to its host function.
#[repr(C)]
pub struct WhpImport {
    module: *const c_char,
    field: *const c_char,
    ty: WhpFuncType,
    call: HostFn,
    ctx: *mut c_void,
}

/// What a host function's closure keeps: the host's function, and the calling instance's memory,
/// found on first use (the instance does not exist yet when its imports are made; the handle
/// stays the same when the memory grows).
#[derive(Clone)]
struct Target {
    call: HostFn,
    ctx: *mut c_void,
    module: *const c_char,
    field: *const c_char,
    memory: Arc<OnceLock<Option<Memory>>>,
}

// SAFETY: the pointers are the host's, valid while the instance lives; the host's functions may
// be called from whichever thread uses the instance (one at a time, as the store is).
unsafe impl Send for Target {}
unsafe impl Sync for Target {}

/// A whp_caller's opaque: the wasmi caller of this one host call.
struct CallerRef<'a, 'b> {
    caller: &'a Caller<'b, ()>,
    memory: &'a OnceLock<Option<Memory>>,
}

unsafe extern "C" fn caller_memory(opaque: *const c_void, base: *mut *mut u8, size: *mut u64) {
    // SAFETY: opaque is the CallerRef of the host call in progress.
    let c = &*(opaque as *const CallerRef);
    let memory = c.memory.get_or_init(|| c.caller.get_export("memory").and_then(Extern::into_memory));
    match memory {
        Some(m) => {
            *base = m.data_ptr(c.caller);
            *size = m.data_size(c.caller) as u64;
        }
        None => {
            *base = std::ptr::null_mut();
            *size = 0;
        }
    }
}

impl Target {
    /// Calls the host function on io (arguments in, results out); Err when it failed.
    #[inline(always)]
    fn call(&self, caller: &Caller<'_, ()>, io: *mut u64) -> Result<(), Error> {
        let r = CallerRef { caller, memory: &self.memory };
        let view = WhpCaller { opaque: &r as *const CallerRef as *const c_void, memory: caller_memory };
        // SAFETY: the host's function, with room in io for max(params, results) slots.
        match unsafe { (self.call)(self.ctx, &view, io) } {
            0 => Ok(()),
            _ => Err(self.failed()),
        }
    }

    /// The error that traps the guest (the host keeps the reason and reports it).
    #[cold]
    #[inline(never)]
    fn failed(&self) -> Error {
        // SAFETY: the import's names, valid while the instance lives.
        let (module, field) = unsafe { (c_str(self.module), c_str(self.field)) };
        Error::new(format!("host function {module}.{field} failed"))
    }
}

/// A result read back from io[0] (nothing for no result).
trait FromIo: Sized + 'static {
    unsafe fn from_io(io: *const u64) -> Self;
}
impl FromIo for () {
    #[inline(always)]
    unsafe fn from_io(_: *const u64) -> Self {}
}
macro_rules! from_io {
    ($($t:ty),*) => {$(
        impl FromIo for $t {
            #[inline(always)]
            unsafe fn from_io(io: *const u64) -> Self {
                <$t as Slot>::load(*io)
            }
        }
    )*};
}
from_io!(i32, i64, F32, F64);

/// `Func::wrap` of a closure taking the listed parameters (each `name: Type`) into io's slots.
macro_rules! wrapper {
    ($fn:ident, $len:literal $(, $a:ident : $A:ident)*) => {
        fn $fn<$($A: Slot + WasmTy,)* R: FromIo>(store: &mut Store<()>, t: Target) -> Func
        where
            Result<R, Error>: WasmRet,
        {
            Func::wrap(store, move |caller: Caller<'_, ()>, $($a: $A),*| -> Result<R, Error> {
                let mut io = [0u64; $len];
                let mut _k = 0;
                $(
                    io[_k] = Slot::store($a);
                    _k += 1;
                )*
                t.call(&caller, io.as_mut_ptr())?;
                // SAFETY: io has a slot for the result.
                Ok(unsafe { R::from_io(io.as_ptr()) })
            })
        }
    };
}
wrapper!(wrap0, 1);
wrapper!(wrap1, 1, a: A);
wrapper!(wrap2, 2, a: A, b: B);
wrapper!(wrap3, 3, a: A, b: B, c: C);

fn typed_with<R: FromIo>(store: &mut Store<()>, t: Target, params: &[u8]) -> Option<Func>
where
    Result<R, Error>: WasmRet,
{
    match params {
        [] => Some(wrap0::<R>(store, t)),
        [a] => by_type!(*a, A => Some(wrap1::<A, R>(store, t))),
        [a, b] => by_type!(*a, A => by_type!(*b, B => Some(wrap2::<A, B, R>(store, t)))),
        [a, b, c] => by_type!(*a, A => by_type!(*b, B => by_type!(*c, C => Some(wrap3::<A, B, C, R>(store, t))))),
        _ => None,
    }
}

fn typed(store: &mut Store<()>, t: Target, params: &[u8], results: &[u8]) -> Option<Func> {
    match results {
        [] => typed_with::<()>(store, t, params),
        [r] => by_type!(*r, R => typed_with::<R>(store, t, params)),
        _ => None,
    }
}

fn to_slot(v: &Val) -> u64 {
    match v {
        Val::I32(x) => *x as u32 as u64,
        Val::I64(x) => *x as u64,
        Val::F32(x) => x.to_bits() as u64,
        Val::F64(x) => x.to_bits(),
        _ => 0,
    }
}

fn from_slot(t: &ValType, v: u64) -> Val {
    match t {
        ValType::I32 => Val::I32(v as u32 as i32),
        ValType::I64 => Val::I64(v as i64),
        ValType::F32 => Val::F32(F32::from_bits(v as u32)),
        _ => Val::F64(F64::from_bits(v)),
    }
}

/// Any other type: `Func::new`, values through `Val` slices.
fn dynamic(store: &mut Store<()>, t: Target, params: &[u8], results: &[u8]) -> Func {
    let result_types: Vec<ValType> = results.iter().map(|&r| val_type(r)).collect();
    let ty = FuncType::new(params.iter().map(|&p| val_type(p)), result_types.iter().copied());
    let width = params.len().max(results.len()).max(1);
    Func::new(store, ty, move |caller, args: &[Val], out: &mut [Val]| {
        let mut stack = [0u64; 16];
        let mut heap = Vec::new();
        let io: &mut [u64] = if width <= stack.len() {
            &mut stack[..width]
        } else {
            heap.resize(width, 0);
            &mut heap
        };
        for (slot, v) in io.iter_mut().zip(args) {
            *slot = to_slot(v);
        }
        t.call(&caller, io.as_mut_ptr())?;
        for ((v, ty), slot) in out.iter_mut().zip(&result_types).zip(io.iter()) {
            *v = from_slot(ty, *slot);
        }
        Ok(())
    })
}

unsafe fn types<'a>(p: *const u8, n: u32) -> &'a [u8] {
    if n == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(p, n as usize)
    }
}

/// The externs to instantiate `module` with: its k-th function import is imports[k]. Err names
/// an import that cannot be provided.
pub(crate) unsafe fn externs(store: &mut Store<()>, module: &Module, imports: &[WhpImport]) -> Result<Vec<Extern>, String> {
    let memory = Arc::new(OnceLock::new());
    let mut out = Vec::with_capacity(imports.len());
    for import in module.imports() {
        let what = format!("{}.{}", import.module(), import.name());
        if !matches!(import.ty(), ExternType::Func(_)) {
            return Err(format!("imports {what}, which is not a function (wasmhop provides only functions)"));
        }
        let Some(imp) = imports.get(out.len()) else {
            return Err(format!("imports function {what}, which the host did not bind"));
        };
        let t = Target { call: imp.call, ctx: imp.ctx, module: imp.module, field: imp.field, memory: memory.clone() };
        let (params, results) = (types(imp.ty.params, imp.ty.nparams), types(imp.ty.results, imp.ty.nresults));
        let func = match typed(store, t.clone(), params, results) {
            Some(f) => f,
            None => dynamic(store, t, params, results),
        };
        out.push(Extern::Func(func));
    }
    if out.len() != imports.len() {
        return Err(format!("has {} function imports; the host bound {}", out.len(), imports.len()));
    }
    Ok(out)
}
