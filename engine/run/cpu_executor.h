// CpuExecutor runs the CPU steps of evaluated items (rendering, response handling, code scorers, judge verdict parsing,
// trace building) on oneTBB worker threads, so the HTTP IO thread only moves bytes. Submit is thread-safe and never
// blocks; Wait returns when every submitted task (and the tasks they submitted) has finished.
#ifndef LLMEVAL_ENGINE_RUN_CPU_EXECUTOR_H_
#define LLMEVAL_ENGINE_RUN_CPU_EXECUTOR_H_

#include <functional>
#include <memory>

namespace llmeval {

class CpuExecutor {
 public:
  // `threads` <= 0: one per core.
  explicit CpuExecutor(int threads = 0);
  ~CpuExecutor();  // Waits for submitted tasks.
  CpuExecutor(const CpuExecutor&) = delete;
  CpuExecutor& operator=(const CpuExecutor&) = delete;

  void Submit(std::function<void()> task);
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_CPU_EXECUTOR_H_
