;; A start function (run inside instantiation itself, before any export exists) that never ends.
(module
  (memory (export "memory") 1)
  (func $start
    (loop $forever (br $forever)))
  (start $start)
  (func (export "ok") (result i32) (i32.const 1)))
