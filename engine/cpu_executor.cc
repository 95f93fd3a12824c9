#include "engine/cpu_executor.h"

#include <tbb/task_arena.h>
#include <tbb/task_group.h>

namespace llmeval {

struct CpuExecutor::Impl {
  explicit Impl(int threads) : arena(threads > 0 ? threads : tbb::task_arena::automatic) {}
  tbb::task_arena arena;
  tbb::task_group group;
};

CpuExecutor::CpuExecutor(int threads) : impl_(std::make_unique<Impl>(threads)) {}

CpuExecutor::~CpuExecutor() { Wait(); }

void CpuExecutor::Submit(std::function<void()> task) {
  impl_->arena.execute([this, &task] { impl_->group.run(std::move(task)); });
}

void CpuExecutor::Wait() {
  impl_->arena.execute([this] { impl_->group.wait(); });
}

}  // namespace llmeval
