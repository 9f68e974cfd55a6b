//! The wasm3 plugin's validator and module reader (wasmparser): wasm3 0.4.7 parses a module
//! without validating it and compiles each function on its first call, trusting the bytes, so
//! the plugin validates every module here before wasm3 sees it.

use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};

use wasmparser::{ExternalKind, Parser, Payload, TypeRef, Validator, WasmFeatures};

/// What wasm3 0.4.7 runs: the MVP plus mutable globals, sign extension, saturating conversions.
fn features() -> WasmFeatures {
    WasmFeatures::FLOATS
        | WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::SATURATING_FLOAT_TO_INT
}

fn write_message(msg: *mut c_char, len: usize, text: &str) {
    if msg.is_null() || len == 0 {
        return;
    }
    let n = text.len().min(len - 1);
    // SAFETY: the caller hands a buffer of `len` bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), msg as *mut u8, n);
        *msg.add(n) = 0;
    }
}

/// 0 when `wasm` is a valid module wasm3 can run; else -1 with the reason in msg[0..len).
#[no_mangle]
pub unsafe extern "C" fn whp_wasm3_validate(wasm: *const u8, len: usize, msg: *mut c_char, msg_len: usize) -> i32 {
    let bytes: &[u8] = if len == 0 { &[] } else { std::slice::from_raw_parts(wasm, len) };
    let outcome = catch_unwind(AssertUnwindSafe(|| Validator::new_with_features(features()).validate_all(bytes).map(|_| ())));
    match outcome {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            write_message(msg, msg_len, &e.to_string());
            -1
        }
        Err(_) => {
            write_message(msg, msg_len, "the validator panicked");
            -1
        }
    }
}

/// Called once per import: kind ("function", "table", "memory", "global", "tag"), module, field.
pub type OnImport = extern "C" fn(user: *mut c_void, kind: *const c_char, module: *const u8, module_len: usize, field: *const u8, field_len: usize);
/// Called once per export: kind (0 function, 1 table, 2 memory, 3 global, 4 tag), name, index.
pub type OnExport = extern "C" fn(user: *mut c_void, kind: u8, name: *const u8, name_len: usize, index: u32);

/// Lists a validated module's imports and exports. 0, or -1 if the bytes cannot be read.
#[no_mangle]
pub unsafe extern "C" fn whp_wasm3_visit(wasm: *const u8, len: usize, user: *mut c_void, on_import: OnImport, on_export: OnExport) -> i32 {
    let bytes: &[u8] = if len == 0 { &[] } else { std::slice::from_raw_parts(wasm, len) };
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<(), wasmparser::BinaryReaderError> {
        for payload in Parser::new(0).parse_all(bytes) {
            match payload? {
                Payload::ImportSection(reader) => {
                    for import in reader {
                        let import = import?;
                        let kind: &[u8] = match import.ty {
                            TypeRef::Func(_) => b"function\0",
                            TypeRef::Table(_) => b"table\0",
                            TypeRef::Memory(_) => b"memory\0",
                            TypeRef::Global(_) => b"global\0",
                            TypeRef::Tag(_) => b"tag\0",
                        };
                        on_import(user, kind.as_ptr() as *const c_char, import.module.as_ptr(), import.module.len(), import.name.as_ptr(), import.name.len());
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export?;
                        let kind = match export.kind {
                            ExternalKind::Func => 0,
                            ExternalKind::Table => 1,
                            ExternalKind::Memory => 2,
                            ExternalKind::Global => 3,
                            ExternalKind::Tag => 4,
                        };
                        on_export(user, kind, export.name.as_ptr(), export.name.len(), export.index);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }));
    match outcome {
        Ok(Ok(())) => 0,
        _ => -1,
    }
}
