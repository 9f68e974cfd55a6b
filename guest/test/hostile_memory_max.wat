;; Declares the largest memory wasm32 allows (65536 pages = 4 GiB as its maximum) and grows it
;; from inside: memory.grow answers -1 at the maximum, the engine's or the host's limit.
(module
  (memory (export "memory") 1 65536)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "pages") (result i32) (memory.size))
  (func (export "ok") (result i32) (i32.const 1)))
