// Helpers for `llmeval gate` that read stored runs: the gate targets of a run (one per prompt x model variant). The
// options a run was made with, to evaluate a baseline on the same items, are LoadRunSelection
// (engine/run/run_params.h).
#ifndef LLMEVAL_ENGINE_GATE_GATE_RUN_H_
#define LLMEVAL_ENGINE_GATE_GATE_RUN_H_

#include <vector>

#include "core/status.h"
#include "engine/gate/gate.h"
#include "engine/run/runner.h"
#include "engine/store/store.h"

namespace llmeval {

// One target per variant of `run_id`, with its summary and items; no baselines.
Result<std::vector<GateTarget>> LoadGateTargets(Store* store, int64_t run_id);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_GATE_GATE_RUN_H_
