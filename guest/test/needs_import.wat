;; A module whose import the host does not provide: instantiation must fail cleanly.
(module
  (import "env" "host_log" (func $log (param i32)))
  (func (export "call_log") (param i32) (call $log (local.get 0))))
