;; A reactor whose _initialize never returns: instantiation must end at the call time limit
;; (interruptible engines) or with the child process that runs it (the others).
(module
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func (export "_initialize")
    (loop $forever
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (br $forever)))
  (func (export "ok") (result i32) (i32.const 1)))
