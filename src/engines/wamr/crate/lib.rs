// Nothing: this crate exists to pin and fetch the wamr-sys sources (see Cargo.toml).
