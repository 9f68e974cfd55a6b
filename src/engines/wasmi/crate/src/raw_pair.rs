//! The raw baseline for bench/engines/raw_wasmi.cpp: conformance.wasm's add_i32 called in a
//! plain Rust loop over wasmi's own API, the way a Rust host would, with no wasmhop in between.

use std::ffi::c_char;
use std::time::Instant;

use wasmi::{Engine, Instance, Module, Store, TypedFunc, Val};

#[repr(C)]
pub struct RawLoop {
    seconds: f64,
    checksum: i64,
}

fn run(wasm: &[u8], calls: i64, typed_out: &mut RawLoop, untyped_out: Option<&mut RawLoop>) -> Result<(), String> {
    let engine = Engine::new(&crate::config());
    let module = Module::new(&engine, wasm).map_err(|e| format!("compile: {e}"))?;
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).map_err(|e| format!("instantiate: {e}"))?;
    if let Ok(init) = instance.get_typed_func::<(), ()>(&store, "_initialize") {
        init.call(&mut store, ()).map_err(|e| format!("_initialize: {e}"))?;
    }
    let add: TypedFunc<(i32, i32), i32> =
        instance.get_typed_func(&store, "add_i32").map_err(|e| format!("add_i32: {e}"))?;
    let t0 = Instant::now();
    let mut sum = 0i64;
    for i in 0..calls {
        let a = i as i32;
        let r = add.call(&mut store, (a, 7)).map_err(|e| format!("add_i32 trapped: {e}"))?;
        if r != a.wrapping_add(7) {
            return Err("wrong result".into());
        }
        sum += r as i64;
    }
    *typed_out = RawLoop { seconds: t0.elapsed().as_secs_f64(), checksum: sum };
    let Some(untyped_out) = untyped_out else { return Ok(()) };

    let func = instance.get_func(&store, "add_i32").ok_or("add_i32 missing")?;
    let mut args = [Val::I32(0), Val::I32(7)];
    let mut out = [Val::I32(0)];
    let t0 = Instant::now();
    let mut sum = 0i64;
    for i in 0..calls {
        let a = i as i32;
        args[0] = Val::I32(a);
        func.call(&mut store, &args, &mut out).map_err(|e| format!("add_i32 trapped: {e}"))?;
        let Val::I32(r) = out[0] else { return Err("wrong result type".into()) };
        if r != a.wrapping_add(7) {
            return Err("wrong result".into());
        }
        sum += r as i64;
    }
    *untyped_out = RawLoop { seconds: t0.elapsed().as_secs_f64(), checksum: sum };
    Ok(())
}

/// Runs both loops (TypedFunc::call, then Func::call with Val slices; the second only when
/// `untyped_out` is not null). Returns 0, or -1 with a message in err[0..errlen).
#[no_mangle]
pub unsafe extern "C" fn whp_wasmi_raw_pair(
    wasm: *const u8,
    len: usize,
    calls: i64,
    typed_out: *mut RawLoop,
    untyped_out: *mut RawLoop,
    err: *mut c_char,
    errlen: usize,
) -> i32 {
    let bytes = std::slice::from_raw_parts(wasm, len);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(bytes, calls, &mut *typed_out, untyped_out.as_mut())
    }));
    let message = match outcome {
        Ok(Ok(())) => return 0,
        Ok(Err(m)) => m,
        Err(_) => "wasmi panicked".to_string(),
    };
    if errlen > 0 {
        let n = message.len().min(errlen - 1);
        std::ptr::copy_nonoverlapping(message.as_ptr(), err as *mut u8, n);
        *err.add(n) = 0;
    }
    -1
}
