#include "engine/gate/gate_run.h"

#include "engine/run/run_summary.h"

namespace llmeval {

Result<std::vector<GateTarget>> LoadGateTargets(Store* store, int64_t run_id) {
  Result<RunSummary> summary = SummarizeRun(store, run_id);
  if (!summary.ok()) return summary.status();
  Result<std::vector<ItemRecord>> items = store->Items(run_id);
  if (!items.ok()) return items.status();
  std::vector<GateTarget> targets;
  for (const VariantSummary& v : summary->variants) {
    GateTarget t;
    t.label = v.variant.Label();
    t.summary = v;
    for (const ItemRecord& item : *items) {
      if (item.variant_id == v.variant.id) t.items.push_back(item);
    }
    targets.push_back(std::move(t));
  }
  return targets;
}

}  // namespace llmeval
