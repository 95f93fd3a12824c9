// ThreadPool: a fixed set of threads running queued tasks in order of arrival. The engine runs blocking work on it
// (tool processes, command scorers) so the IO thread never blocks. Submit is thread-safe; the destructor runs what is
// queued, then joins.
#ifndef LLMEVAL_ENGINE_RUN_THREAD_POOL_H_
#define LLMEVAL_ENGINE_RUN_THREAD_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace llmeval {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  void Submit(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_THREAD_POOL_H_
