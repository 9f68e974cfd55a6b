//! wasmhop's wasmi core: wasmi's own Rust API behind the C functions that wasmi_plugin.cpp puts in
//! the plugin table (src/engines/plugin/plugin_abi.h). Every export is called through a
//! `TypedFunc` monomorphized for its signature (0..3 parameters over i32/i64/f32/f64, 0 or 1
//! result); other signatures go through `Func::call` with values on the stack. No panic crosses
//! into C: every entry point catches unwinding and reports an internal error instead.

mod raw_pair;

use std::ffi::{c_char, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use wasmi::errors::ErrorKind;
use wasmi::{
    Config, Engine, Error, ExternType, Func, Instance, Memory, Module, Store, TrapCode, TypedFunc, Val,
    ValType, WasmParams, WasmResults, F32, F64,
};

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
        let mut store = Box::new(Store::new(&m.engine, ()));
        let instance = match Instance::new(&mut *store, &m.module, &[]) {
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

// --- calls ---------------------------------------------------------------------------------------

/// One wasm value in an 8-byte slot (plugin_abi.h: i32/f32 in the low 4 bytes).
trait Slot: Copy + 'static {
    fn load(v: u64) -> Self;
    fn store(self) -> u64;
}
impl Slot for i32 {
    #[inline(always)]
    fn load(v: u64) -> Self {
        v as u32 as i32
    }
    #[inline(always)]
    fn store(self) -> u64 {
        self as u32 as u64
    }
}
impl Slot for i64 {
    #[inline(always)]
    fn load(v: u64) -> Self {
        v as i64
    }
    #[inline(always)]
    fn store(self) -> u64 {
        self as u64
    }
}
impl Slot for F32 {
    #[inline(always)]
    fn load(v: u64) -> Self {
        F32::from_bits(v as u32)
    }
    #[inline(always)]
    fn store(self) -> u64 {
        self.to_bits() as u64
    }
}
impl Slot for F64 {
    #[inline(always)]
    fn load(v: u64) -> Self {
        F64::from_bits(v)
    }
    #[inline(always)]
    fn store(self) -> u64 {
        self.to_bits()
    }
}

trait LoadParams: WasmParams + 'static {
    unsafe fn load(io: *const u64) -> Self;
}
impl LoadParams for () {
    #[inline(always)]
    unsafe fn load(_: *const u64) -> Self {}
}
impl<A: Slot> LoadParams for (A,)
where
    (A,): WasmParams,
{
    #[inline(always)]
    unsafe fn load(io: *const u64) -> Self {
        (A::load(*io),)
    }
}
impl<A: Slot, B: Slot> LoadParams for (A, B)
where
    (A, B): WasmParams,
{
    #[inline(always)]
    unsafe fn load(io: *const u64) -> Self {
        (A::load(*io), B::load(*io.add(1)))
    }
}
impl<A: Slot, B: Slot, C: Slot> LoadParams for (A, B, C)
where
    (A, B, C): WasmParams,
{
    #[inline(always)]
    unsafe fn load(io: *const u64) -> Self {
        (A::load(*io), B::load(*io.add(1)), C::load(*io.add(2)))
    }
}

trait StoreResults: WasmResults + 'static {
    unsafe fn store(self, io: *mut u64);
    /// The result as a direct entry returns it (0 for none).
    fn bits(self) -> u64;
}
impl StoreResults for () {
    #[inline(always)]
    unsafe fn store(self, _: *mut u64) {}
    #[inline(always)]
    fn bits(self) -> u64 {
        0
    }
}
macro_rules! single_result {
    ($($t:ty),*) => {$(
        impl StoreResults for $t {
            #[inline(always)]
            unsafe fn store(self, io: *mut u64) {
                *io = Slot::store(self);
            }
            #[inline(always)]
            fn bits(self) -> u64 {
                Slot::store(self)
            }
        }
    )*};
}
single_result!(i32, i64, F32, F64);

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

/// Binds the wasm type `$v` (T_I32 ...) to the Rust type `$name` within `$body`.
macro_rules! by_type {
    ($v:expr, $name:ident => $body:expr) => {
        match $v {
            T_I32 => {
                type $name = i32;
                $body
            }
            T_I64 => {
                type $name = i64;
                $body
            }
            T_F32 => {
                type $name = F32;
                $body
            }
            T_F64 => {
                type $name = F64;
                $body
            }
            _ => None,
        }
    };
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

fn val_type(t: u8) -> ValType {
    match t {
        T_I32 => ValType::I32,
        T_I64 => ValType::I64,
        T_F32 => ValType::F32,
        _ => ValType::F64,
    }
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
