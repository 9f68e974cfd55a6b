//! `__rust_probestack` for Wasmer 4.x. Wasmer's compiled code calls it (through wasmer-vm's
//! libcall table) before allocating a large stack frame; rustc >= 1.89 no longer exports it from
//! its compiler builtins and Wasmer only brought its own in 6.1, so without this the plugin does
//! not link.
//!
//! Contract (LLVM's x86-64 stack-probe call): %rax = bytes the caller is about to subtract from its
//! stack pointer. Touch every 4 KiB page of that range, highest first, so a guard page is hit
//! before anything below it; leave every register but %r11 and the flags as they were.
#[cfg(target_arch = "x86_64")]
std::arch::global_asm!(
    ".pushsection .text.__rust_probestack,\"ax\",@progbits",
    ".globl __rust_probestack",
    ".type __rust_probestack,@function",
    ".p2align 4",
    "__rust_probestack:",
    ".cfi_startproc",
    "    push rax",                   // remaining size: counted down below, restored at the end
    ".cfi_adjust_cfa_offset 8",
    "    lea r11, [rsp + 16]",        // the caller's stack pointer before its call
    "2:",
    "    cmp rax, 0x1000",
    "    jb 3f",
    "    sub r11, 0x1000",
    "    test qword ptr [r11], r11",  // read probe: faults on a guard page
    "    sub rax, 0x1000",
    "    jmp 2b",
    "3:",
    "    sub r11, rax",               // the last, partial page: the frame's lowest address
    "    test qword ptr [r11], r11",
    "    pop rax",
    ".cfi_adjust_cfa_offset -8",
    "    ret",
    ".cfi_endproc",
    ".size __rust_probestack, . - __rust_probestack",
    ".popsection",
);
