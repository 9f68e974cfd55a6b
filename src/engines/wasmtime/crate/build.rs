//! Copies the C API headers that `wasmtime-c-api-impl` generated for the enabled features
//! (its `include` dir, handed to us as DEP_WASMTIME_C_API_INCLUDE) next to the static library:
//! <target-dir>/<profile>/include. CMake points the plugin's include path there.
use std::path::{Path, PathBuf};
use std::{env, fs, io};

fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DEP_WASMTIME_C_API_INCLUDE");
    let include = PathBuf::from(env::var("DEP_WASMTIME_C_API_INCLUDE").expect("wasmtime-c-api-impl gives its include dir"));
    // OUT_DIR is <target-dir>/<profile>/build/<package>-<hash>/out.
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let profile_dir = out.ancestors().nth(3).expect("OUT_DIR has the cargo layout");
    let dest = profile_dir.join("include");
    copy_tree(&include, &dest).expect("copy the Wasmtime headers");
}
