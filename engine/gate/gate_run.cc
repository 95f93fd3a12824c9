#include "engine/gate/gate_run.h"

#include <simdjson.h>

#include "engine/run/run_summary.h"

namespace llmeval {

Status ApplyRunSelection(const RunRecord& run, RunOptions* o) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(run.params_json).get(root) != simdjson::SUCCESS) {
    return Status::Internal("run " + std::to_string(run.id) + " has unreadable parameters");
  }
  std::string_view text;
  int64_t n = 0;
  if (root["dataset"].get(text) == simdjson::SUCCESS) o->dataset = std::string(text);
  if (root["judge"].get(text) == simdjson::SUCCESS) o->judge = std::string(text);
  if (root["limit"].get(n) == simdjson::SUCCESS) o->limit = n;
  if (root["sample"].get(n) == simdjson::SUCCESS) o->sample = n;
  if (root["sample_seed"].get(n) == simdjson::SUCCESS) o->sample_seed = static_cast<uint64_t>(n);
  if (root["repeat"].get(n) == simdjson::SUCCESS) o->repeat = static_cast<int>(n);
  auto list = [&](const char* key) {
    std::vector<std::string> out;
    simdjson::dom::array a;
    if (root[key].get(a) == simdjson::SUCCESS) {
      for (auto e : a) {
        std::string_view v;
        if (e.get(v) == simdjson::SUCCESS) out.emplace_back(v);
      }
    }
    return out;
  };
  o->filters = list("filters");
  o->scorers = list("scorers");
  simdjson::dom::object vars;
  if (root["variables"].get(vars) == simdjson::SUCCESS) {
    for (auto field : vars) {
      if (field.value.get(text) == simdjson::SUCCESS) o->variables[std::string(field.key)] = std::string(text);
    }
  }
  return Status::OK();
}

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
