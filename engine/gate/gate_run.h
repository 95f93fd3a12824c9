// Helpers for `llmeval gate` that read stored runs: the item-selecting options a run was made with (so a baseline can
// be evaluated fresh on the same items), and the gate targets of a run (one per prompt x model variant).
#ifndef LLMEVAL_ENGINE_GATE_GATE_RUN_H_
#define LLMEVAL_ENGINE_GATE_GATE_RUN_H_

#include <vector>

#include "core/status.h"
#include "engine/gate/gate.h"
#include "engine/run/runner.h"
#include "engine/store/store.h"

namespace llmeval {

// Copies the dataset, limit, sample, filters, repeat, judge, scorers and variables of `run` into `options`.
Status ApplyRunSelection(const RunRecord& run, RunOptions* options);

// One target per variant of `run_id`, with its summary and items; no baselines.
Result<std::vector<GateTarget>> LoadGateTargets(Store* store, int64_t run_id);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_GATE_GATE_RUN_H_
