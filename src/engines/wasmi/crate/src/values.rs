//! Wasm values in plugin_abi.h's 8-byte slots, and the Rust types wasmi's typed API gives them:
//! shared by the export call path (calls.rs) and host functions (host.rs).

use wasmi::{ValType, WasmParams, WasmResults, F32, F64};

use crate::{T_F32, T_I32, T_I64};

/// One wasm value in an 8-byte slot (plugin_abi.h: i32/f32 in the low 4 bytes).
pub(crate) trait Slot: Copy + 'static {
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

pub(crate) trait LoadParams: WasmParams + 'static {
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

pub(crate) trait StoreResults: WasmResults + 'static {
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

pub(crate) fn val_type(t: u8) -> ValType {
    match t {
        T_I32 => ValType::I32,
        T_I64 => ValType::I64,
        T_F32 => ValType::F32,
        _ => ValType::F64,
    }
}
