;; A reactor whose _initialize traps (integer divide by zero) 200 calls deep.
(module
  (memory (export "memory") 1)
  (func $chain (param $depth i32) (result i32)
    (if (result i32) (i32.eqz (local.get $depth))
      (then (i32.div_s (i32.const 1) (i32.const 0)))
      (else (i32.add (call $chain (i32.sub (local.get $depth) (i32.const 1))) (i32.const 1)))))
  (func (export "_initialize")
    (drop (call $chain (i32.const 200))))
  (func (export "ok") (result i32) (i32.const 1)))
