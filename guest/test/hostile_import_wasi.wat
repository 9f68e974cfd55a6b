;; Imports a WASI function the host does not provide (a guest built as a command, not a reactor).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "ok") (result i32) (i32.const 1)))
