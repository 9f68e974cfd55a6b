#include "engines/v8/v8_runtime.hpp"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <optional>

#include <fmt/format.h>
#include <libplatform/libplatform.h>

#include "engines/common/trap_guard.hpp"

// V8 10.2 ships this in v8-wasm-trap-handler-posix.h, which Debian's libnode-dev does not
// install; libnode exports the function.
namespace v8 {
V8_EXPORT bool TryHandleWebAssemblyTrapPosix(int sig_code, siginfo_t* info, void* context);
}

namespace wasmhop::v8engine {

constinit thread_local Runtime* Runtime::t_current = nullptr;

namespace {

std::atomic<std::uint64_t> g_trap_handler_hits{0};
std::atomic<bool> g_trap_handler_enabled{false};

// Consulted first by wasmhop's process-wide signal handler: V8 recognises faults of its own
// wasm code (guard-page hits) and redirects the thread to the code's trap landing pad.
bool v8_trap_handler(int sig, siginfo_t* info, void* ucontext) {
  if (!v8::TryHandleWebAssemblyTrapPosix(sig, info, ucontext)) return false;
  g_trap_handler_hits.fetch_add(1, std::memory_order_relaxed);
  return true;
}

struct Process {
  std::mutex mutex;
  Runtime* runtime = nullptr;         // never destroyed: V8 cannot restart in a process
  std::optional<Error> start_error;   // V8 failed to start: every later acquire says why
  v8::Platform* platform = nullptr;   // never destroyed either: V8 uses it until the process ends
};

Process& process() {
  static Process p;
  return p;
}

std::string to_std(v8::Isolate* isolate, v8::Local<v8::Value> v) {
  if (v.IsEmpty()) return {};
  v8::String::Utf8Value s(isolate, v);
  return *s != nullptr ? std::string(*s, static_cast<std::size_t>(s.length())) : std::string();
}

std::string strip_uncaught(std::string s) {
  constexpr std::string_view kPrefix = "Uncaught ";
  if (s.starts_with(kPrefix)) s.erase(0, kPrefix.size());
  return s;
}

}  // namespace

const char* tier_name(V8Tier tier) noexcept {
  switch (tier) {
    case V8Tier::dynamic: return "dynamic";
    case V8Tier::liftoff: return "baseline";
    case V8Tier::turbofan: return "optimizing";
  }
  return "?";
}

const char* engine_id(V8Tier tier) noexcept {
  switch (tier) {
    case V8Tier::dynamic: return "v8";
    case V8Tier::liftoff: return "v8-liftoff";
    case V8Tier::turbofan: return "v8-turbofan";
  }
  return "?";
}

const char* tier_flags(V8Tier tier) noexcept {
  switch (tier) {
    case V8Tier::dynamic: return "";  // V8 10.2's default: Liftoff, dynamic tier-up to TurboFan
    case V8Tier::liftoff: return "--liftoff-only";
    case V8Tier::turbofan: return "--no-liftoff";
  }
  return "";
}

namespace {

// The runtime this process already started, when it has `tier` and this is its thread.
Result<Runtime*> started_runtime(Process& p, V8Tier tier) {
  const Runtime* rt = p.runtime;
  if (rt->tier() != tier) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("engine '{}': V8 already runs in this process with the {} tier (engine "
                            "'{}'); V8's tier is process-global, so use one process per V8 tier",
                            engine_id(tier), tier_name(rt->tier()), engine_id(rt->tier())));
  }
  if (Runtime::current() != rt) {
    return fail(ErrorKind::engine_unavailable,
                fmt::format("engine '{}': V8 runs on the thread that started it; it cannot be "
                            "used from another thread",
                            engine_id(tier)));
  }
  return p.runtime;
}

void set_flags(V8Tier tier) {
  std::string flags = tier_flags(tier);
  if (const char* extra = std::getenv("WASMHOP_V8_FLAGS"); extra != nullptr && *extra != '\0') {
    flags += ' ';
    flags += extra;
  }
  if (!flags.empty()) v8::V8::SetFlagsFromString(flags.c_str(), flags.size());
}

// Guard-page bounds checks without V8's own SIGSEGV handler: wasmhop's handler (shared with
// wasm2c and native) asks V8 first. Must happen before V8 compiles any wasm.
void share_signal_handler() {
  if (v8::V8::EnableWebAssemblyTrapHandler(/*use_v8_signal_handler=*/false)) {
    g_trap_handler_enabled.store(true, std::memory_order_relaxed);
    detail::set_foreign_trap_handler(&v8_trap_handler);
    detail::prepare_thread_for_guarded_calls();
  }
}

// Starts V8's platform and makes the isolate; null (and p.start_error) when V8 cannot.
v8::Isolate* start_isolate(Process& p, V8Tier tier) {
  p.platform = v8::platform::NewDefaultPlatform().release();
  v8::V8::InitializePlatform(p.platform);
  if (!v8::V8::Initialize()) {
    p.start_error = Error{ErrorKind::engine_unavailable,
                          fmt::format("engine '{}': V8 failed to initialise", engine_id(tier))};
    return nullptr;
  }
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = v8::ArrayBuffer::Allocator::NewDefaultAllocator();
  v8::Isolate* isolate = v8::Isolate::New(params);
  if (isolate == nullptr) {
    p.start_error = Error{ErrorKind::engine_unavailable,
                          fmt::format("engine '{}': V8 could not create an isolate", engine_id(tier))};
  }
  return isolate;
}

}  // namespace

Result<Runtime*> Runtime::acquire(V8Tier tier) {
  Process& p = process();
  std::lock_guard lock(p.mutex);
  if (p.start_error) return tl::unexpected(*p.start_error);
  if (p.runtime != nullptr) return started_runtime(p, tier);

  set_flags(tier);
  auto rt = std::unique_ptr<Runtime>(new Runtime());
  rt->tier_ = tier;
  share_signal_handler();
  v8::Isolate* isolate = start_isolate(p, tier);
  if (isolate == nullptr) return tl::unexpected(*p.start_error);
  rt->isolate_ = isolate;
  if (!rt->enter()) {
    p.start_error = Error{ErrorKind::engine_unavailable,
                          fmt::format("engine '{}': this V8 has no WebAssembly.Instance", engine_id(tier))};
    return tl::unexpected(*p.start_error);
  }
  p.runtime = rt.release();
  t_current = p.runtime;
  return p.runtime;
}

bool Runtime::enter() {
  v8::Isolate* isolate = isolate_;
  // Microtasks would otherwise be checked at the end of every call from the host.
  isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate->AddMessageListener(&Runtime::on_message);
  // The isolate and its context stay entered on this thread for the life of the process:
  // calls then skip V8's per-call context switch.
  isolate->Enter();
  // A HandleScope that stays open below every scope wasmhop opens, holding one handle so that
  // it owns a handle block. Without it, each call's HandleScope starts with no block: its first
  // handle fetches one (HandleScope::Extend) and its end gives it back (DeleteExtensions): +10-15%
  // per Pair call here. A host that embeds V8 by hand always has such an outer scope with
  // handles in it; wasmhop's users have none, so the runtime keeps one. It is never closed
  // (placement-new into static storage: V8 forbids allocating scopes with `new`).
  alignas(v8::HandleScope) static unsigned char bottom_scope[sizeof(v8::HandleScope)];
  ::new (static_cast<void*>(bottom_scope)) v8::HandleScope(isolate);
  static_cast<void>(v8::Integer::New(isolate, 0));  // the handle that makes the scope own a block
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = v8::Context::New(isolate);
  context->Enter();
  context_.Reset(isolate, context);
  auto str = [&](const char* s) { return v8::String::NewFromUtf8(isolate, s).ToLocalChecked(); };
  v8::Local<v8::Value> wasm, ctor;
  if (!context->Global()->Get(context, str("WebAssembly")).ToLocal(&wasm) || !wasm->IsObject() ||
      !wasm.As<v8::Object>()->Get(context, str("Instance")).ToLocal(&ctor) || !ctor->IsFunction()) {
    return false;
  }
  instance_ctor_.Reset(isolate, ctor.As<v8::Function>());
  exports_str_.Reset(isolate, str("exports"));
  buffer_str_.Reset(isolate, str("buffer"));
  return true;
}

void Runtime::on_message(v8::Local<v8::Message> message, v8::Local<v8::Value> error) {
  Runtime* rt = t_current;
  if (rt == nullptr) return;
  std::string text = message.IsEmpty() ? std::string() : to_std(rt->isolate_, message->Get());
  if (text.empty()) text = to_std(rt->isolate_, error);
  rt->uncaught_ = strip_uncaught(std::move(text));
}

std::string Runtime::take_uncaught_message() { return std::exchange(uncaught_, std::string()); }

void Runtime::pump_message_loop() {
  Process& p = process();
  while (v8::platform::PumpMessageLoop(p.platform, isolate_)) {
  }
}

Watchdog& Runtime::watchdog() {
  if (!watchdog_) watchdog_ = std::make_unique<Watchdog>(isolate_);
  return *watchdog_;
}

Watchdog::Watchdog(v8::Isolate* isolate) : isolate_(isolate), thread_([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Watchdog::arm(Clock::time_point deadline) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    armed_ = true;
    fired_ = false;
    deadline_ = deadline;
    wake = deadline < sleeping_until_;  // idle (sleeping until max) or towards a later deadline
  }
  if (wake) wake_.notify_one();
}

bool Watchdog::disarm() {
  bool fired = false;
  {
    std::lock_guard lock(mutex_);
    armed_ = false;
    fired = std::exchange(fired_, false);
  }
  // TerminateExecution was called under the lock, before we took it: cancelling now cannot race
  // with it. (When the call finished just before the interrupt was seen, the termination is still
  // pending and is cleared here too, so it never hits a later call.)
  if (fired) isolate_->CancelTerminateExecution();
  return fired;
}

void Watchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (!armed_) {
      sleeping_until_ = Clock::time_point::max();
      wake_.wait(lock);
      continue;
    }
    if (Clock::now() >= deadline_) {
      isolate_->TerminateExecution();
      fired_ = true;
      armed_ = false;
      continue;
    }
    // A later call's deadline may replace this one while we sleep: re-checked on waking.
    sleeping_until_ = deadline_;
    wake_.wait_until(lock, deadline_);
  }
}

std::string exception_text(v8::Isolate* isolate, const v8::TryCatch& tc) {
  std::string text;
  if (v8::Local<v8::Message> m = tc.Message(); !m.IsEmpty()) text = to_std(isolate, m->Get());
  if (text.empty() && !tc.Exception().IsEmpty()) text = to_std(isolate, tc.Exception());
  if (text.empty()) text = "V8 reported an exception without a message";
  return strip_uncaught(std::move(text));
}

TrapKind classify_exception(std::string_view message) noexcept {
  constexpr std::string_view kRuntime = "RuntimeError: ";
  if (message.starts_with("RangeError: Maximum call stack size exceeded")) return TrapKind::call_stack_exhausted;
  if (!message.starts_with(kRuntime)) return TrapKind::host_error;
  const std::string_view m = message.substr(kRuntime.size());
  struct Entry {
    std::string_view text;
    TrapKind kind;
  };
  // V8 10.2's WebAssembly trap messages (src/common/message-template.h, kWasmTrap*).
  static constexpr Entry kTraps[] = {
      {"unreachable", TrapKind::unreachable},
      {"memory access out of bounds", TrapKind::out_of_bounds_memory},
      {"divide by zero", TrapKind::integer_divide_by_zero},
      {"remainder by zero", TrapKind::integer_divide_by_zero},
      {"divide result unrepresentable", TrapKind::integer_overflow},
      {"float unrepresentable in integer range", TrapKind::invalid_conversion},
      {"table index is out of bounds", TrapKind::out_of_bounds_table},
      {"invalid index into function table", TrapKind::out_of_bounds_table},
      {"element segment out of bounds", TrapKind::out_of_bounds_table},
      {"table initializer is out of bounds", TrapKind::out_of_bounds_table},
      {"null function or function signature mismatch", TrapKind::indirect_call_mismatch},
      {"data segment out of bounds", TrapKind::out_of_bounds_memory},
      {"data segment is out of bounds", TrapKind::out_of_bounds_memory},
      {"array element access out of bounds", TrapKind::out_of_bounds_memory},
  };
  for (const Entry& e : kTraps) {
    if (m.starts_with(e.text)) return e.kind;
  }
  return TrapKind::unknown;
}

}  // namespace wasmhop::v8engine

// v8_introspection.hpp's answers, looked up by v8_loader.cpp (extern "C": unmangled names).
extern "C" __attribute__((visibility("default"))) std::uint64_t wasmhop_v8_trap_handler_hits() noexcept {
  return wasmhop::v8engine::g_trap_handler_hits.load(std::memory_order_relaxed);
}
extern "C" __attribute__((visibility("default"))) bool wasmhop_v8_trap_handler_enabled() noexcept {
  return wasmhop::v8engine::g_trap_handler_enabled.load(std::memory_order_relaxed);
}
