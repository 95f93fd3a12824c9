#include "engine/run/run_driver.h"

#include <cstdio>
#include <cstdlib>

namespace llmeval {
namespace {

// The error when the store writer failed: the cause and how to finish the run once it is fixed. Marks the run
// interrupted if the store still takes that write (a later command marks it so anyway: its process is gone).
Status StoreWriteFailure(const RunDrive& drive, const Status& error) {
  Status marked = drive.store->SetRunStatus(drive.run_id, "interrupted", true);
  (void)marked;  // Best effort: on a full disk this write may fail too.
  std::string id = std::to_string(drive.run_id);
  return Status::IOError("results could not be stored (" + error.message() + "), so run " + id +
                         " stopped taking items; those stored are kept. Fix the cause (disk space, file size limit, "
                         "a process holding the store), then finish it with: llmeval " +
                         drive.command + " --resume " + id);
}

}  // namespace

Result<RunRecord> LoadResumableRun(Store* store, int64_t run_id) {
  Result<RunRecord> run = store->GetRun(run_id);
  if (!run.ok()) return run.status();
  if (run->status == "completed") {
    return Status::InvalidInput("run " + std::to_string(run->id) + " is already completed; nothing to resume");
  }
  if (run->status == "running") {
    return Status::InvalidInput("run " + std::to_string(run->id) + " is still running in another process");
  }
  return run;
}

bool RunStopper::StopTaking() {
  int level = drive_->interrupts != nullptr ? drive_->interrupts->load() : 0;
  if (level > seen_interrupt_) {
    seen_interrupt_ = level;
    drive_->observer->OnInterrupt(level);
  }
  return level >= 1 || drive_->writer->failed();  // Nothing more could be stored: stop spending calls.
}

bool RunStopper::GiveUp() const { return drive_->interrupts != nullptr && drive_->interrupts->load() >= 2; }

bool RunStopper::Interrupted() const { return drive_->interrupts != nullptr && drive_->interrupts->load() > 0; }

Result<RunOutcome> FinishDrivenRun(const RunDrive& drive, const RunStopper& stopper, bool stopped,
                                   const Status& feed_status, RunOutcome outcome) {
  if (stopper.GiveUp()) {
    // Items still in flight are abandoned: they were never stored and a later --resume evaluates them.
    Status flushed = drive.writer->Flush();
    Status marked = drive.store->SetRunStatus(drive.run_id, "interrupted", true);
    (void)flushed;
    (void)marked;
    std::fflush(nullptr);
    std::_Exit(130);
  }
  Status s = drive.writer->Flush();
  if (!s.ok()) return StoreWriteFailure(drive, s);
  if (!feed_status.ok()) return feed_status;  // The dataset or source run could not be read to its end.
  outcome.status = stopped || stopper.Interrupted() ? "interrupted" : "completed";
  s = drive.store->SetRunStatus(drive.run_id, outcome.status, true);
  if (!s.ok()) return s;
  return outcome;
}

}  // namespace llmeval
