//! wasmhop's Wasmer plugin core: Wasmer (compile, instantiate, typed calls) behind a small C
//! interface that `../wasmer_plugin.cpp` turns into the plugin table (src/engines/plugin/plugin_abi.h).
//!
//! Every `extern "C"` entry point catches panics: a Rust panic never unwinds into C.
mod c_types;
mod engine;
mod host_calls;
mod instance;
mod probestack;
mod raw_baseline;
mod traps;
mod typed_calls;
