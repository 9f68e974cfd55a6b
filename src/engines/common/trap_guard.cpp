#include "engines/common/trap_guard.hpp"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>

#include <sys/mman.h>
#include <ucontext.h>

#if defined(__SANITIZE_ADDRESS__)
#define WASMHOP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WASMHOP_ASAN 1
#endif
#endif
#if WASMHOP_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace wasmhop::detail {

constinit thread_local TrapFrame* t_trap_frame __attribute__((tls_model("initial-exec"))) = nullptr;

namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
struct sigaction g_previous[4];
std::once_flag g_install_once;
std::atomic<ForeignTrapHandler> g_foreign{nullptr};

// Registered linear-memory reservations. Read lock-free from the signal handler.
constexpr std::size_t kMaxRegions = 4096;
std::atomic<std::uintptr_t> g_region_base[kMaxRegions];
std::atomic<std::uintptr_t> g_region_end[kMaxRegions];
std::mutex g_region_mutex;

// Registered guest code (executable segments of loaded objects). Read lock-free from the handler.
constexpr std::size_t kMaxCodeRegions = 4096;
std::atomic<std::uintptr_t> g_code_base[kMaxCodeRegions];
std::atomic<std::uintptr_t> g_code_end[kMaxCodeRegions];
const void* g_code_owner[kMaxCodeRegions];  // whose range it is (under g_region_mutex)

thread_local bool t_altstack_ready = false;

bool in_code_region(std::uintptr_t pc) noexcept {
  for (std::size_t i = 0; i < kMaxCodeRegions; ++i) {
    const std::uintptr_t b = g_code_base[i].load(std::memory_order_acquire);
    if (b != 0 && pc >= b && pc < g_code_end[i].load(std::memory_order_relaxed)) return true;
  }
  return false;
}

bool in_memory_region(std::uintptr_t addr) noexcept {
  for (std::size_t i = 0; i < kMaxRegions; ++i) {
    const std::uintptr_t b = g_region_base[i].load(std::memory_order_acquire);
    if (b != 0 && addr >= b && addr < g_region_end[i].load(std::memory_order_relaxed)) return true;
  }
  return false;
}

std::uintptr_t stack_pointer(void* ucontext) noexcept {
#if defined(__x86_64__)
  return static_cast<std::uintptr_t>(static_cast<ucontext_t*>(ucontext)->uc_mcontext.gregs[REG_RSP]);
#elif defined(__aarch64__)
  return static_cast<std::uintptr_t>(static_cast<ucontext_t*>(ucontext)->uc_mcontext.sp);
#else
  return 0;
#endif
}

std::uintptr_t instruction_pointer(void* ucontext) noexcept {
#if defined(__x86_64__)
  return static_cast<std::uintptr_t>(static_cast<ucontext_t*>(ucontext)->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
  return static_cast<std::uintptr_t>(static_cast<ucontext_t*>(ucontext)->uc_mcontext.pc);
#else
  return 0;
#endif
}

// Under a scope (`scoped`) the host's own code runs between guest calls: a fault is a trap only
// in guest code, or (SIGSEGV/SIGBUS) at an address inside a guest's linear memory, which a native
// script may also reach through libc (memcpy).
TrapKind classify(int sig, siginfo_t* info, void* ucontext, bool scoped) noexcept {
  const bool in_guest = !scoped || in_code_region(instruction_pointer(ucontext));
  switch (sig) {
    case SIGSEGV:
    case SIGBUS: {
      const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
      if (in_memory_region(addr)) return TrapKind::out_of_bounds_memory;
      const std::uintptr_t sp = stack_pointer(ucontext);
      // A push or call just below the stack pointer hit the guard page: stack overflow.
      if (in_guest && sp != 0 && addr + 65536 > sp && addr < sp + 65536) return TrapKind::call_stack_exhausted;
      return TrapKind::none;
    }
    case SIGILL: return in_guest ? TrapKind::unreachable : TrapKind::none;  // native __builtin_trap (ud2)
    case SIGFPE:
      if (!in_guest) return TrapKind::none;
      if (info->si_code == FPE_INTDIV) return TrapKind::integer_divide_by_zero;
      if (info->si_code == FPE_INTOVF) return TrapKind::integer_overflow;
      return TrapKind::unknown;
    default: return TrapKind::none;
  }
}

// AddressSanitizer builds: ASan poisons the redzones around a frame's stack objects and unpoisons
// them when the frame returns. A trap jumps over the trapped frames (wasmhop_longjmp does not go
// through ASan's longjmp interceptor), so their redzones would stay poisoned and later frames at
// those addresses would report false errors. Unpoison the stack from the trap's stack pointer (less
// the 128-byte red zone of the x86-64 ABI) up to the guarded call's, and this thread's signal stack
// when the trap is taken on it.
void unpoison_skipped_frames([[maybe_unused]] const TrapFrame* frame, [[maybe_unused]] std::uintptr_t from_sp,
                             [[maybe_unused]] bool on_signal_stack) noexcept {
#if WASMHOP_ASAN && defined(__x86_64__)
  const auto to = reinterpret_cast<std::uintptr_t>(frame->buf[6]);  // the guarded call's rsp
  from_sp -= 128;
  if (from_sp < to && to - from_sp < (std::uintptr_t{1} << 30)) {
    __asan_unpoison_memory_region(reinterpret_cast<void*>(from_sp), to - from_sp);
  }
  if (on_signal_stack) {
    stack_t ss{};
    if (sigaltstack(nullptr, &ss) == 0 && ss.ss_sp != nullptr) __asan_unpoison_memory_region(ss.ss_sp, ss.ss_size);
  }
#endif
}

void chain(int sig, siginfo_t* info, void* ucontext) noexcept {
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    if (kSignals[i] != sig) continue;
    const struct sigaction& prev = g_previous[i];
    if (prev.sa_flags & SA_SIGINFO) {
      if (prev.sa_sigaction != nullptr) return prev.sa_sigaction(sig, info, ucontext);
    } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
      return prev.sa_handler(sig);
    }
  }
  // Default action: restore it and return; the faulting instruction runs again and the process
  // dies as it would have without us (a host bug is not a guest trap).
  signal(sig, SIG_DFL);
}

void on_signal(int sig, siginfo_t* info, void* ucontext) {
  if (sig == SIGSEGV || sig == SIGBUS) {
    if (ForeignTrapHandler h = g_foreign.load(std::memory_order_acquire); h && h(sig, info, ucontext))
      return;
  }
  if (TrapFrame* frame = t_trap_frame; frame != nullptr) {
    const TrapKind kind = classify(sig, info, ucontext, is_scope(frame));
    if (kind != TrapKind::none) {
      // Under a scope: thrown through the signal frame (the unwinder knows the kernel's signal
      // trampoline) into the faulting guest code's frames, up to the scoped call. ASan's throw
      // interceptor unpoisons the stacks itself.
      if (is_scope(frame)) throw TrapUnwind{kind};
      unpoison_skipped_frames(frame, stack_pointer(ucontext), true);
      WASMHOP_TRAP_LONGJMP(frame, static_cast<int>(kind));
    }
  }
  chain(sig, info, ucontext);
}

void install_handlers() {
  struct sigaction sa {};
  sa.sa_sigaction = &on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  for (std::size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &sa, &g_previous[i]);
}

}  // namespace

void raise_trap(TrapKind kind) {
  TrapFrame* frame = t_trap_frame;
  if (frame == nullptr) std::abort();  // a trap outside any guarded call is a wasmhop bug
  if (is_scope(frame)) throw TrapUnwind{kind};
  unpoison_skipped_frames(frame, reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)), false);
  WASMHOP_TRAP_LONGJMP(frame, static_cast<int>(kind));
}

TrapKind guarded_target_call(void* target, RawVal* io) noexcept {
  const auto* t = static_cast<const GuardedTarget*>(target);
  TrapFrame frame;
  frame.prev = t_trap_frame;
  if (const int code = WASMHOP_TRAP_SETJMP(frame); code != 0) [[unlikely]] {
    t_trap_frame = frame.prev;
    return static_cast<TrapKind>(code);
  }
  t_trap_frame = &frame;
  t->fn(t->arg, io);
  t_trap_frame = frame.prev;
  return TrapKind::none;
}

#if defined(__x86_64__)
std::intptr_t trap_frame_tls_offset() noexcept {
  char* thread_pointer;
  __asm__("movq %%fs:0, %0" : "=r"(thread_pointer));
  return reinterpret_cast<char*>(&t_trap_frame) - thread_pointer;
}
#else
std::intptr_t trap_frame_tls_offset() noexcept { return 0; }
#endif

void prepare_thread_for_guarded_calls() {
  std::call_once(g_install_once, install_handlers);
  if (t_altstack_ready) return;
  stack_t current{};
  if (sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE)) {
    t_altstack_ready = true;  // someone (V8, the sanitizer runtime) already gave this thread one
    return;
  }
  constexpr std::size_t kSize = 256 * 1024;
  void* mem = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return;  // without it a stack overflow crashes; other traps still work
  stack_t ss{};
  ss.ss_sp = mem;
  ss.ss_size = kSize;
  if (sigaltstack(&ss, nullptr) == 0) t_altstack_ready = true;
  // The mapping lives as long as the thread; a thread that exits leaks 256 KiB (by design:
  // freeing it safely needs a thread-exit hook, and guarded threads are few and long-lived).
}

bool register_memory_region(const void* base, std::size_t length) noexcept {
  std::lock_guard lock(g_region_mutex);
  for (std::size_t i = 0; i < kMaxRegions; ++i) {
    if (g_region_base[i].load(std::memory_order_relaxed) == 0) {
      const auto b = reinterpret_cast<std::uintptr_t>(base);
      g_region_end[i].store(b + length, std::memory_order_relaxed);
      g_region_base[i].store(b, std::memory_order_release);
      return true;
    }
  }
  return false;
}

void unregister_memory_region(const void* base) noexcept {
  std::lock_guard lock(g_region_mutex);
  const auto b = reinterpret_cast<std::uintptr_t>(base);
  for (std::size_t i = 0; i < kMaxRegions; ++i) {
    if (g_region_base[i].load(std::memory_order_relaxed) == b) {
      g_region_base[i].store(0, std::memory_order_release);
      return;
    }
  }
}

bool register_code_range(const void* owner, std::uintptr_t begin, std::uintptr_t end) noexcept {
  std::lock_guard lock(g_region_mutex);
  for (std::size_t i = 0; i < kMaxCodeRegions; ++i) {
    if (g_code_base[i].load(std::memory_order_relaxed) != 0) continue;
    g_code_owner[i] = owner;
    g_code_end[i].store(end, std::memory_order_relaxed);
    g_code_base[i].store(begin, std::memory_order_release);
    return true;
  }
  return false;
}

void unregister_code_ranges(const void* owner) noexcept {
  std::lock_guard lock(g_region_mutex);
  for (std::size_t i = 0; i < kMaxCodeRegions; ++i) {
    if (g_code_owner[i] == owner && g_code_base[i].load(std::memory_order_relaxed) != 0) {
      g_code_base[i].store(0, std::memory_order_release);
      g_code_owner[i] = nullptr;
    }
  }
}

void set_foreign_trap_handler(ForeignTrapHandler handler) noexcept {
  g_foreign.store(handler, std::memory_order_release);
}

}  // namespace wasmhop::detail
