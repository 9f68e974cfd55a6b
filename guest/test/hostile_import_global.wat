;; Imports a global and a table the host does not provide.
(module
  (import "env" "g_seed" (global $seed i32))
  (import "env" "table" (table 1 funcref))
  (memory (export "memory") 1)
  (func (export "ok") (result i32) (global.get $seed)))
