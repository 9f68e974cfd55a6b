//! Links Wasmtime's C API (`wasmtime.h`) into this static library; the engine plugin
//! (wasmtime_plugin.cpp) calls it. Nothing of our own lives here.
pub use wasmtime_c_api::*;
