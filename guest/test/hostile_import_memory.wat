;; Imports its linear memory instead of defining it: the host provides none.
(module
  (import "env" "memory" (memory 1))
  (func (export "ok") (result i32) (i32.const 1)))
