// CommandTarget: a Target for an application run as a program (`kind: command` in `targets:`). With `workers: N` it
// keeps N persistent worker processes speaking JSON Lines: one request per line on stdin
//   {"id": 7, "vars": {"question": "..."}, "traceparent": "00-..."}
// and one reply per line on stdout: {"output": "...", "tool_calls": [...], "usage": {"input_tokens": n,
// "output_tokens": n}, "cost_usd": x, "metadata": {...}} or {"error": "..."}. A worker that crashes, closes its output
// or exceeds timeout_ms is killed; that item is recorded as an error and the worker is restarted for the next item.
// With `per_item: true` each item runs its own process, which reads the one request line and answers one line.
// Every process gets TRACEPARENT (per_item) and OTEL_EXPORTER_OTLP_ENDPOINT (when the run has a receiver) in its
// environment, plus the target's `env`.
//
// Thread-safety: Invoke may be called from any thread; it only queues the item. `done` runs on one of the target's own
// threads (one per worker). The destructor stops the workers and joins the threads; calls still queued then fail.
#ifndef LLMEVAL_ENGINE_TARGETS_COMMAND_TARGET_H_
#define LLMEVAL_ENGINE_TARGETS_COMMAND_TARGET_H_

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/config/target_settings.h"
#include "engine/targets/target.h"

namespace llmeval {

class CommandTarget : public Target {
 public:
  // `dir`: the working directory of the processes (the project's). `extra_env`: added to every process's environment.
  CommandTarget(TargetSettings settings, std::string dir, std::map<std::string, std::string> extra_env = {});
  ~CommandTarget() override;
  void Invoke(TargetRequest request, TargetCallback done) override;

 private:
  struct Job {
    TargetRequest request;
    TargetCallback done;
  };
  void WorkerLoop();

  const TargetSettings settings_;
  const std::string dir_;
  std::map<std::string, std::string> env_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  int64_t next_id_ = 1;
  std::vector<std::thread> threads_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TARGETS_COMMAND_TARGET_H_
