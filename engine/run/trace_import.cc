// Collected traces into a stored source run (engine/run/trace_import.h).
#include "engine/run/trace_import.h"

#include <algorithm>

#include "core/json_writer.h"
#include "engine/store/span_rows.h"
#include "tracing/trace_items.h"

namespace llmeval {
uint64_t StableTraceHash(const std::string& trace_id) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : trace_id) h = (h ^ c) * 1099511628211ULL;
  return h;
}

Result<TraceImport> ImportCollectedTraces(Store* store, const CollectedTraceQuery& query,
                                          const TraceImportOptions& options) {
  Result<std::vector<CollectedRoot>> roots = CollectedRoots(store, query);
  if (!roots.ok()) return roots.status();
  const int64_t matched = static_cast<int64_t>(roots->size());
  std::vector<CollectedRoot> selected = std::move(roots.value());
  if (options.sample > 0 && static_cast<int64_t>(selected.size()) > options.sample) {
    std::stable_sort(selected.begin(), selected.end(), [](const CollectedRoot& a, const CollectedRoot& b) {
      return StableTraceHash(a.root.span.trace_id) < StableTraceHash(b.root.span.trace_id);
    });
    selected.resize(static_cast<size_t>(options.sample));
  }
  return ImportTraceRoots(store, std::move(selected), matched, options);
}

Result<TraceImport> ImportTraceRoots(Store* store, std::vector<CollectedRoot> selected, int64_t matched,
                                     const TraceImportOptions& options) {
  TraceImport out;
  out.matched = matched;
  std::stable_sort(selected.begin(), selected.end(), [](const CollectedRoot& a, const CollectedRoot& b) {
    return a.root.span.start_unix_ns < b.root.span.start_unix_ns;
  });
  std::vector<ItemRecord> items;
  std::string model;
  for (const CollectedRoot& root : selected) {
    Result<std::vector<SpanRow>> rows = store->TraceSpans(root.root.span.trace_id);
    if (!rows.ok()) return rows.status();
    Result<std::vector<Span>> spans = SpansFromRows(*rows);
    if (!spans.ok()) return spans.status();
    std::string reason;
    std::optional<TraceItem> item = ExtractTraceItem(*spans, &reason);
    if (!item.has_value()) {
      ++out.skipped[reason];
      out.skipped_traces.emplace_back(root.root.span.trace_id, reason);
      continue;
    }
    ++out.conventions[item->convention];
    if (model.empty()) model = item->model;
    ItemRecord r;
    r.row_index = static_cast<int64_t>(items.size());
    r.item_key = root.root.span.trace_id;
    JsonWriter inputs;
    inputs.BeginObject();
    inputs.Field("question", item->input);
    inputs.Field("source_trace_id", root.root.span.trace_id);
    inputs.Field("service", root.root.service_name);
    inputs.EndObject();
    r.inputs_json = inputs.Take();
    r.rendered_input = item->input;
    r.output = item->output;
    if (root.root.span.status == 2) {
      r.error = root.root.span.status_message.empty() ? "the traced operation failed" : root.root.span.status_message;
      r.error_type = "trace_error";
    }
    r.tool_calls = static_cast<int>(item->tools.size());
    for (const Span& s : *spans) {
      if (s.name.rfind("chat", 0) == 0 || FindString(s.attributes, "gen_ai.request.model") != nullptr) ++r.model_calls;
    }
    r.trace_id = root.root.span.trace_id;
    r.started_unix_ns = root.root.span.start_unix_ns;
    r.ended_unix_ns = root.root.span.end_unix_ns;
    r.latency_ms = static_cast<double>(r.ended_unix_ns - r.started_unix_ns) / 1e6;
    items.push_back(std::move(r));
  }
  out.items = static_cast<int64_t>(items.size());
  if (items.empty()) return out;
  RunRecord run;
  run.experiment = options.experiment;
  run.name = "traces: " + options.query_text;
  run.status = "running";
  JsonWriter params;
  params.BeginObject();
  params.Field("source", "traces");
  params.Field("traces_query", options.query_text);
  params.Field("sample", options.sample);
  params.Field("matched_traces", out.matched);
  params.Key("skipped");
  params.BeginObject();
  for (const auto& [reason, n] : out.skipped) params.Field(reason, n);
  params.EndObject();
  params.EndObject();
  run.params_json = params.Take();
  run.dataset_path = "traces:" + options.query_text;
  run.dataset_rows = out.items;
  Result<int64_t> run_id = store->CreateRun(run);
  if (!run_id.ok()) return run_id.status();
  VariantRecord variant;
  variant.run_id = *run_id;
  variant.prompt_name = "traces";
  variant.model = model.empty() ? "app" : model;
  Result<int64_t> variant_id = store->AddVariant(variant);
  if (!variant_id.ok()) return variant_id.status();
  for (ItemRecord& r : items) {
    r.run_id = *run_id;
    r.variant_id = *variant_id;
  }
  Status s = store->WriteItems(items);
  if (s.ok()) s = store->SetRunStatus(*run_id, "completed", true);
  if (!s.ok()) return s;
  out.run_id = *run_id;
  return out;
}

}  // namespace llmeval
