// ReportData: the JSON documents behind `llmeval report` (embedded in one self-contained HTML file) and `llmeval ui`
// (served live by engine/report/ui_server.h). One browser app (engine/report/assets/) renders both. Every function only
// reads the store; every string in the output is JSON-escaped by JsonWriter, and the HTML side never inserts it as
// markup.
//
// Times are Unix milliseconds (numbers); span times inside an item detail are milliseconds relative to the trace's
// first span. A cost that no price table knows is null, never 0. Shapes (keys always present unless noted):
//
// RunListJson:   {"experiments":[{"name","runs"}], "runs":[RunHeader]}        newest run first
// RunHeader:     {"id","experiment","name","status","started_unix_ms","ended_unix_ms","duration_ms",
//                 "dataset":{"path","sha256","rows"},"git_commit","params":<the stored params object>,
//                 "variants":["basic/2 x sim"],"items"}
// RunJson:       {"run":RunHeader,
//                 "prompts":[{"role":"user"|"system"|"addendum","name","version","sha256","content"}],
//                 "variants":[{"id","label","prompt","model","items","errors","cache_hits","input_tokens",
//                              "output_tokens","cost_usd","judge_cost_usd","latency_p50_ms","latency_p95_ms",
//                              "tool_calls","scorers":[ScorerStat],"categories":[ScorerStat + "category"]}],
//                 "scorers":["name"...], "categories":["value"...], "category_column":"category" or ""}
// ScorerStat:    {"scorer","passed","failed","errors","skipped","pass_rate" (null when nothing decided),
//                 "ci_low","ci_high","mean_score" (null when no scores)}
// ItemsJson:     {"total" (items matching the query), "offset", "items":[ItemRow]}
// ItemRow:       {"id","variant_id","row","repeat","key","category","question" (excerpt),"answer" (excerpt, null when
//                 the item has no output),"error","latency_ms","cost_usd","input_tokens","output_tokens",
//                 "tool_calls","from_cache","trace_id","scores":{"<scorer>":"pass"|"fail"|"error"|"skipped"}}
// ItemDetailJson:{"item":ItemRow + {"inputs":{...},"rendered_input","output","error_type","finish_reason","ttfb_ms",
//                 "cached_tokens","reasoning_tokens","model_calls","started_unix_ms"} (full texts, no excerpts),
//                 "assessments":[{"name","outcome","score","label","rationale","source","error","judge_model",
//                                 "judge_samples","judge_agreement"}],
//                 "trace_id", "spans":[{"span_id","parent_span_id","name","kind","start_ms","duration_ms",
//                                       "status":"unset"|"ok"|"error","status_message","attributes":{...},
//                                       "events":[...]}]}   spans ordered by start time
// CompareJson:   {"run_a":RunHeader,"run_b":RunHeader,"notes":[...],
//                 "variants":[{"label_a","label_b","items_a","items_b","paired_items",
//                              "scorers":[{"scorer","paired","rate_a","rate_b","delta","ci_low","ci_high",
//                                          "flipped_worse","flipped_better",   counts of every flip
//                                          "flipped":[{"key","repeat","question","now_passes","rationale",
//                                                      "item_a","item_b"}]}]}]}   the first 1000 per scorer
// ReportJson:    {"generated_unix_ms","version","mode":"report","runs":[RunJson],"items":{"<run id>":ItemsJson},
//                 "compare":CompareJson or null}        items of every run, unfiltered, as excerpts
// Report details:{"<item id>":ItemDetailJson}           every item of the report's runs, kept apart so the page
//                                                       parses it only when an item is opened
#ifndef LLMEVAL_ENGINE_REPORT_REPORT_DATA_H_
#define LLMEVAL_ENGINE_REPORT_REPORT_DATA_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/store/store.h"

namespace llmeval {

// Filters for a page of items; empty fields do not filter.
struct ItemQuery {
  int64_t offset = 0;
  int64_t limit = 100;  // At most 1000 per page.
  int64_t variant_id = 0;
  std::string failed_scorer;  // Items whose assessment of this scorer failed ("*": any scorer failed).
  bool errors_only = false;   // Items with an error, or with a scorer that errored.
  std::string category;       // Value of the run's category column.
  std::string text;           // Case-insensitive substring of the question, answer or error.
};

Result<std::string> RunListJson(Store* store, int limit);
Result<std::string> RunJson(Store* store, int64_t run_id);
Result<std::string> ItemsJson(Store* store, int64_t run_id, const ItemQuery& query);
Result<std::string> ItemDetailJson(Store* store, int64_t item_id);
Result<std::string> CompareJson(Store* store, int64_t run_a, int64_t run_b);

// The two documents of a self-contained report over `run_ids` (one or two runs; with two, "compare" is filled).
struct ReportDocuments {
  std::string data_json;
  std::string details_json;
};
Result<ReportDocuments> ReportJson(Store* store, const std::vector<int64_t>& run_ids);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_REPORT_REPORT_DATA_H_
