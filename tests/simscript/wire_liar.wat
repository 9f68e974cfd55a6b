;; A policy module whose answers cannot be true: hit = 2, a negative hit, more hits than a batch
;; holds, and an alloc() buffer outside memory. The host must refuse each one.
(module
  (memory (export "memory") 2)
  (func (export "init") (param i64 i32 i32) (result i32) (i32.const 0))
  (func (export "access_pair") (param i64 i64) (result i32) (i32.const 2))
  (func (export "access_bincode") (param i32 i32) (result i32) (i32.const 0))
  (func (export "access_pod_dynamic") (param i32 i32) (result i32) (i32.const 0))
  (func (export "access_pod_static") (param i32 i32) (result i32) (i32.const -1))
  (func (export "access_batch") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "access_flatbuffers") (param i32 i32) (result i32) (i32.const 0))
  ;; ptr 0xffff0000, len 16: far outside the 128 KiB memory
  (func (export "alloc") (param i32) (result i64) (i64.const 0xffff000000000010))
  (func (export "dealloc") (param i32 i32))
  ;; ptr 0x1000, len 0x10000: inside
  (func (export "static_buffer") (result i64) (i64.const 0x0000100000010000))
  (func (export "stats_requests") (result i64) (i64.const 0))
  (func (export "stats_hits") (result i64) (i64.const 0))
  (func (export "stats_bytes_requested") (result i64) (i64.const 0))
  (func (export "stats_bytes_hit") (result i64) (i64.const 0)))
