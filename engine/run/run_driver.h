// The part `run` and `evaluate` share once their items are ready to flow: LoadResumableRun checks a run may be resumed;
// DriveItems keeps `concurrency` items of a feed in flight through an ItemPump, stops taking items on Ctrl-C or when
// the store can no longer be written, then flushes the writer and records how the run ended.
//
// Ctrl-C once (`interrupts` at 1): no new item starts, in-flight ones finish, the run ends "interrupted". Twice: the
// writer is flushed, the run marked interrupted and the process exits 130 at once (in-flight items are abandoned:
// they were never stored, and --resume evaluates them). A failed store write: the run stops taking items and
// DriveItems returns an IOError naming the cause and the resume command.
#ifndef LLMEVAL_ENGINE_RUN_RUN_DRIVER_H_
#define LLMEVAL_ENGINE_RUN_RUN_DRIVER_H_

#include <atomic>
#include <functional>
#include <string>
#include <utility>

#include "core/status.h"
#include "engine/run/cpu_executor.h"
#include "engine/run/item_pump.h"
#include "engine/run/runner.h"
#include "engine/store/store.h"
#include "engine/store/store_writer.h"

namespace llmeval {

// The run `run_id` if it may be resumed: not completed, not running in another process.
Result<RunRecord> LoadResumableRun(Store* store, int64_t run_id);

struct RunDrive {
  Store* store = nullptr;  // The run's own connection, for its final status.
  StoreWriter* writer = nullptr;
  CpuExecutor* cpu = nullptr;
  RunObserver* observer = nullptr;
  const std::atomic<int>* interrupts = nullptr;  // Ctrl-C presses; may be null.
  int64_t run_id = 0;
  std::string command;  // "run" or "evaluate", for the resume hint.
  int concurrency = 1;
  // Called once every item has finished, before the run's status is set (a run with targets waits there for the
  // app's late spans: engine/run/app_spans.h). May be empty.
  std::function<void()> before_finish = nullptr;
};

// Whether to stop taking items (asked under the pump's lock: it reports new Ctrl-C levels to the observer), and
// whether to stop waiting for the items in flight.
class RunStopper {
 public:
  explicit RunStopper(const RunDrive* drive) : drive_(drive) {}
  bool StopTaking();
  bool GiveUp() const;
  bool Interrupted() const;

 private:
  const RunDrive* drive_;
  int seen_interrupt_ = 0;
};

// After the pump has drained: flushes the writer and sets the run's status (exits the process on a second Ctrl-C).
Result<RunOutcome> FinishDrivenRun(const RunDrive& drive, const RunStopper& stopper, bool stopped,
                                   const Status& feed_status, RunOutcome outcome);

// `start(item, done)` starts one item of `feed`; `done(record)` must be called exactly once when it has finished.
template <typename Feed, typename Start>
Result<RunOutcome> DriveItems(const RunDrive& drive, Feed* feed, RunOutcome outcome, Start start) {
  RunStopper stopper(&drive);
  ItemPump<Feed> pump(
      feed, drive.concurrency, [&] { return stopper.StopTaking(); },
      [&](typename Feed::Item item) {
        start(std::move(item), [&](const ItemRecord& record) {
          pump.Finished([&] {
            ++outcome.items;
            if (!record.error.empty()) ++outcome.errors;
            drive.observer->OnItem(record);
          });
        });
      });
  pump.Fill();
  pump.Wait([&] { return stopper.GiveUp(); });
  if (!stopper.GiveUp()) drive.cpu->Wait();
  if (!stopper.GiveUp() && drive.before_finish) drive.before_finish();
  return FinishDrivenRun(drive, stopper, pump.stopped(), pump.status(), std::move(outcome));
}

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_DRIVER_H_
