// wasmhop_setjmp / wasmhop_longjmp: the smallest jump buffer that unwinds machine code back to a
// guarded call on x86-64 (System V): callee-saved registers, stack pointer and return address.
// No signal mask (no system call), no pointer mangling (the buffer lives on the host's stack for
// the duration of one call only). 8 stores instead of glibc's _setjmp path.
    .text
    .globl  wasmhop_setjmp
    .type   wasmhop_setjmp, @function
wasmhop_setjmp:
    movq    %rbx, 0(%rdi)
    movq    %rbp, 8(%rdi)
    movq    %r12, 16(%rdi)
    movq    %r13, 24(%rdi)
    movq    %r14, 32(%rdi)
    movq    %r15, 40(%rdi)
    leaq    8(%rsp), %rdx
    movq    %rdx, 48(%rdi)
    movq    (%rsp), %rdx
    movq    %rdx, 56(%rdi)
    xorl    %eax, %eax
    ret
    .size   wasmhop_setjmp, .-wasmhop_setjmp

    .globl  wasmhop_longjmp
    .type   wasmhop_longjmp, @function
wasmhop_longjmp:
    movl    %esi, %eax
    movq    0(%rdi), %rbx
    movq    8(%rdi), %rbp
    movq    16(%rdi), %r12
    movq    24(%rdi), %r13
    movq    32(%rdi), %r14
    movq    40(%rdi), %r15
    movq    48(%rdi), %rsp
    jmpq    *56(%rdi)
    .size   wasmhop_longjmp, .-wasmhop_longjmp

    .section .note.GNU-stack,"",@progbits
