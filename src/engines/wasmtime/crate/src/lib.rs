//! Links Wasmtime's C API (`wasmtime.h`) into this static library, which the engine plugin
//! (wasmtime_plugin.cpp) calls for core modules; and components through Wasmtime's own typed
//! component API (component.rs, worlds.rs), which the C API lacks, behind a C interface of ours
//! (src/engines/wasmtime/component_ffi.h). No panic unwinds into C (ffi.rs).
pub use wasmtime_c_api::*;

mod component;
mod ffi;
mod worlds;
