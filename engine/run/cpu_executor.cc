#include "engine/run/cpu_executor.h"

#include <pthread.h>
#include <tbb/task_arena.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace llmeval {

// Tasks go to the arena's shared queue with task_arena::enqueue: the submitting thread (usually the HTTP IO thread)
// never joins the arena, which would cost it an arena entry and exit per task. A counter of unfinished tasks gives
// Wait its meaning; a task that submits another counts it before its own count drops, so the count reaches zero only
// when the whole tree is done.
struct CpuExecutor::Impl {
  explicit Impl(int threads) : arena(threads > 0 ? threads : tbb::task_arena::automatic) {}

  void Done() {
    std::lock_guard<std::mutex> lock(mu);
    if (--pending == 0) idle.notify_all();
  }

  tbb::task_arena arena;
  std::mutex mu;
  std::condition_variable idle;
  int64_t pending = 0;  // Guarded by mu.
};

CpuExecutor::CpuExecutor(int threads) : impl_(std::make_unique<Impl>(threads)) {
  // oneTBB starts its worker threads on first demand, as copies of the demanding thread. Demand them now, from the
  // thread that builds the executor, rather than from the first Submit (usually on the HTTP IO thread, whose name the
  // workers would inherit until they first enter the arena).
  Submit([] {});
  Wait();
}

CpuExecutor::~CpuExecutor() { Wait(); }

void CpuExecutor::Submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    ++impl_->pending;
  }
  Impl* impl = impl_.get();
  auto held = std::make_shared<std::function<void()>>(std::move(task));
  impl->arena.enqueue([impl, held] {
    // Only the arena's workers run tasks (the submitter never joins the arena). Name each worker on its first task,
    // so top, perf and debuggers tell them from the process's other threads. (A task_scheduler_observer naming them
    // on arena entry left a 40-byte oneTBB record that LeakSanitizer reported at exit.)
    static thread_local bool named = false;
    if (!named) {
      pthread_setname_np(pthread_self(), "llmeval-cpu");
      named = true;
    }
    (*held)();
    *held = nullptr;  // Release what the task captured before it counts as done: Wait's caller may free it next.
    impl->Done();
  });
}

void CpuExecutor::Wait() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->idle.wait(lock, [this] { return impl_->pending == 0; });
}

}  // namespace llmeval
