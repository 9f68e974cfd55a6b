//! engine_overhead's baseline for Wasmer (bench/engines/raw_plugin_abi.h, through the shim
//! bench/engines/raw_wasmer.cpp): a plain Rust loop over Wasmer's own TypedFunction, the way the
//! paper's Rust host called Wasmer, and the same over the untyped Function::call.
use std::os::raw::c_char;
use std::time::Instant;

use wasmer::{imports, Instance, Store, Value};

use crate::c_types::*;
use crate::engine::{compile, engine_for};

fn failed(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::new(ERR_INTERNAL, format!("{what}: {e}"))
}

/// The loops, fair one first; `max_out` of them run.
fn run(config: &str, path: &str, calls: i64, max_out: usize) -> Result<Vec<(String, f64, i64)>, Failure> {
    let engine = engine_for(config)?;
    let bytes = std::fs::read(path).map_err(|e| failed(path, e))?;
    let module = compile(&engine, &bytes, path)?;
    let mut store = Store::new(engine);
    let instance = Instance::new(&mut store, &module, &imports! {}).map_err(|e| failed("instantiate", e))?;
    if let Ok(init) = instance.exports.get_typed_function::<(), ()>(&store, "_initialize") {
        init.call(&mut store).map_err(|e| failed("_initialize", e))?;
    }
    let mut out = Vec::new();

    let add = instance.exports.get_typed_function::<(i32, i32), i32>(&store, "add_i32").map_err(|e| failed("add_i32", e))?;
    let t0 = Instant::now();
    let mut sum = 0i64;
    for i in 0..calls {
        let x = i as i32;
        let r = add.call(&mut store, x, 7).map_err(|e| failed("add_i32", e))?;
        if r != x.wrapping_add(7) {
            return Err(failed("add_i32", format!("add_i32({x}, 7) returned {r}")));
        }
        sum += r as i64;
    }
    out.push(("raw Rust loop over TypedFunction::call".to_string(), t0.elapsed().as_secs_f64(), sum));
    if max_out < 2 {
        return Ok(out);
    }

    let add = instance.exports.get_function("add_i32").map_err(|e| failed("add_i32", e))?;
    let t0 = Instant::now();
    let mut sum = 0i64;
    for i in 0..calls {
        let x = i as i32;
        let r = add.call(&mut store, &[Value::I32(x), Value::I32(7)]).map_err(|e| failed("add_i32", e))?;
        match r.first() {
            Some(Value::I32(v)) if *v == x.wrapping_add(7) => sum += *v as i64,
            other => return Err(failed("add_i32", format!("add_i32({x}, 7) returned {other:?}"))),
        }
    }
    out.push(("raw Function::call (Values, boxed results)".to_string(), t0.elapsed().as_secs_f64(), sum));
    Ok(out)
}

#[no_mangle]
pub unsafe extern "C" fn whp_wasmer_raw_pair(
    config: *const c_char,
    wasm_path: *const c_char,
    calls: i64,
    out: *mut RawVariant,
    max_out: i32,
    n_out: *mut i32,
    err: *mut c_char,
    errlen: usize,
) -> i32 {
    let (config, path) = (c_str(config).into_owned(), c_str(wasm_path).into_owned());
    let result = match std::panic::catch_unwind(|| run(&config, &path, calls, max_out.max(0) as usize)) {
        Ok(r) => r,
        Err(p) => Err(Failure::new(ERR_INTERNAL, format!("Wasmer panicked: {}", panic_text(&p)))),
    };
    match result {
        Ok(variants) => {
            let n = variants.len().min(max_out.max(0) as usize);
            for (i, (name, seconds, checksum)) in variants.into_iter().take(n).enumerate() {
                let v = &mut *out.add(i);
                copy_c_string(&mut v.name, &name);
                v.seconds = seconds;
                v.checksum = checksum;
            }
            *n_out = n as i32;
            0
        }
        Err(f) => {
            if !err.is_null() && errlen > 0 {
                copy_c_string(std::slice::from_raw_parts_mut(err, errlen), &f.message);
            }
            -1
        }
    }
}
