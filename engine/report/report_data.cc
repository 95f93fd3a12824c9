// The JSON documents of `llmeval report` and `llmeval ui` (shapes in engine/report/report_data.h), read from the store.
// Item pages filter and page in SQL (Store::ListItems); the report streams each run once (Store::ForEachItemWithSpans)
// writing the item rows and the item details side by side, so memory holds one item at a time plus the output.
#include "engine/report/report_data.h"

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "core/clock.h"
#include "core/json_writer.h"
#include "core/strings.h"
#include "core/version.h"
#include "engine/report/report_items.h"
#include "engine/report/report_json.h"
#include "engine/run/run_compare.h"
#include "engine/run/run_summary.h"

namespace llmeval {
namespace {

using report_json::AdviseHugePages;
using report_json::CategoryColumn;
using report_json::Excerpt;
using report_json::JsonReader;
using report_json::kExcerptChars;
using report_json::NsToMs;
using report_json::OptionalDouble;
using report_json::RunNotFound;
using report_json::StreamRunItems;
using report_json::TrimPartialUtf8;
using report_json::WriteItemDetail;
using report_json::WriteItemRowFields;

void WriteRunHeader(JsonWriter* w, JsonReader* json, const RunRecord& run, const std::vector<VariantRecord>& variants,
                    int64_t items) {
  w->BeginObject();
  w->Field("id", run.id);
  w->Field("experiment", run.experiment);
  w->Field("name", run.name);
  w->Field("status", run.status);
  w->Field("started_unix_ms", NsToMs(run.started_unix_ns));
  w->Key("ended_unix_ms");
  if (run.ended_unix_ns > 0) {
    w->Int(NsToMs(run.ended_unix_ns));
  } else {
    w->Null();
  }
  w->Key("duration_ms");
  if (run.ended_unix_ns > 0) {
    w->Double(static_cast<double>(run.ended_unix_ns - run.started_unix_ns) / 1e6);
  } else {
    w->Null();
  }
  w->Key("dataset");
  w->BeginObject();
  w->Field("path", run.dataset_path);
  w->Field("sha256", run.dataset_sha256);
  w->Field("rows", run.dataset_rows);
  w->EndObject();
  w->Field("git_commit", run.git_commit);
  json->RawOr(w, "params", run.params_json, "{}");
  w->Key("variants");
  w->BeginArray();
  for (const VariantRecord& v : variants) w->String(v.Label());
  w->EndArray();
  w->Field("items", items);
  w->EndObject();
}

// The header of one run, read from the store.
Result<std::string> RunHeaderJson(Store* store, JsonReader* json, const RunRecord& run) {
  Result<std::vector<VariantRecord>> variants = store->Variants(run.id);
  if (!variants.ok()) return variants.status();
  Result<std::vector<std::pair<int64_t, int64_t>>> counts = store->ItemCounts({run.id});
  if (!counts.ok()) return counts.status();
  JsonWriter w;
  WriteRunHeader(&w, json, run, *variants, counts->empty() ? 0 : (*counts)[0].second);
  return w.Take();
}

void WriteScorerStat(JsonWriter* w, const ScorerSummary& s, bool with_category) {
  w->BeginObject();
  w->Field("scorer", s.scorer);
  if (with_category) w->Field("category", s.group);
  w->Field("passed", s.passed);
  w->Field("failed", s.failed);
  w->Field("errors", s.errored);
  w->Field("skipped", s.skipped);
  bool decided = s.decided() > 0;
  OptionalDouble(w, "pass_rate", decided ? std::optional<double>(s.pass_rate) : std::nullopt);
  OptionalDouble(w, "ci_low", decided ? std::optional<double>(s.pass_rate_ci.low) : std::nullopt);
  OptionalDouble(w, "ci_high", decided ? std::optional<double>(s.pass_rate_ci.high) : std::nullopt);
  OptionalDouble(w, "mean_score", s.score.has_value() ? std::optional<double>(s.score->mean) : std::nullopt);
  w->EndObject();
}

}  // namespace

Result<std::string> RunListJson(Store* store, int limit) {
  if (limit <= 0) limit = 100;
  Result<std::vector<RunRecord>> runs = store->ListRuns(limit);
  if (!runs.ok()) return runs.status();
  Result<std::vector<std::pair<std::string, int64_t>>> experiments = store->ExperimentRunCounts();
  if (!experiments.ok()) return experiments.status();
  std::vector<int64_t> ids;
  for (const RunRecord& r : *runs) ids.push_back(r.id);
  Result<std::vector<std::pair<int64_t, int64_t>>> counts = store->ItemCounts(ids);
  if (!counts.ok()) return counts.status();
  JsonReader json;
  JsonWriter w;
  w.BeginObject();
  w.Key("experiments");
  w.BeginArray();
  for (const auto& [name, n] : *experiments) {
    w.BeginObject();
    w.Field("name", name);
    w.Field("runs", n);
    w.EndObject();
  }
  w.EndArray();
  w.Key("runs");
  w.BeginArray();
  for (size_t i = 0; i < runs->size(); ++i) {
    Result<std::vector<VariantRecord>> variants = store->Variants((*runs)[i].id);
    if (!variants.ok()) return variants.status();
    WriteRunHeader(&w, &json, (*runs)[i], *variants, (*counts)[i].second);
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

Result<std::string> RunJson(Store* store, int64_t run_id) {
  Result<RunRecord> run = store->GetRun(run_id);
  if (!run.ok()) return RunNotFound(run.status(), run_id);
  Result<std::string> category_column = CategoryColumn(store, *run);
  if (!category_column.ok()) return category_column.status();
  Result<RunSummary> summary = SummarizeRun(store, run_id, *category_column);
  if (!summary.ok()) return summary.status();
  JsonReader json;
  Result<std::string> header = RunHeaderJson(store, &json, *run);
  if (!header.ok()) return header.status();

  JsonWriter w;
  w.BeginObject();
  w.Key("run");
  w.Raw(*header);

  // Every distinct prompt version the variants used.
  w.Key("prompts");
  w.BeginArray();
  std::set<std::tuple<std::string, std::string, int>> seen;
  for (const VariantSummary& vs : summary->variants) {
    const VariantRecord& v = vs.variant;
    const std::tuple<const char*, const std::string&, int> uses[] = {{"user", v.prompt_name, v.prompt_version},
                                                                     {"system", v.system_name, v.system_version},
                                                                     {"addendum", v.addendum_name, v.addendum_version}};
    for (const auto& [role, name, version] : uses) {
      if (name.empty() || !seen.insert({role, name, version}).second) continue;
      Result<PromptVersion> p = store->GetPromptVersion(name, version);
      if (!p.ok() && p.status().code() != StatusCode::kNotFound) return p.status();
      w.BeginObject();
      w.Field("role", role);
      w.Field("name", name);
      w.Field("version", version);
      w.Field("sha256", p.ok() ? p->sha256 : std::string());
      w.Field("content", p.ok() ? p->content : std::string());
      w.EndObject();
    }
  }
  w.EndArray();

  std::vector<std::string> scorers;
  std::set<std::string> categories;
  w.Key("variants");
  w.BeginArray();
  for (const VariantSummary& vs : summary->variants) {
    w.BeginObject();
    w.Field("id", vs.variant.id);
    w.Field("label", vs.variant.Label());
    w.Field("prompt", vs.variant.prompt_name + "/" + std::to_string(vs.variant.prompt_version));
    w.Field("model", vs.variant.model);
    w.Field("items", vs.items);
    w.Field("errors", vs.errors);
    w.Field("cache_hits", vs.cache_hits);
    w.Field("input_tokens", vs.input_tokens);
    w.Field("output_tokens", vs.output_tokens);
    OptionalDouble(&w, "cost_usd", vs.cost_usd);
    OptionalDouble(&w, "judge_cost_usd", vs.judge_cost_usd);
    // Null when no item's latency was measured (all cache hits or errors), not a latency of 0 ms.
    std::optional<double> p50, p95;
    if (vs.latency_measured > 0) {
      p50 = vs.latency_p50_ms;
      p95 = vs.latency_p95_ms;
    }
    OptionalDouble(&w, "latency_p50_ms", p50);
    OptionalDouble(&w, "latency_p95_ms", p95);
    w.Field("tool_calls", vs.tool_calls);
    w.Key("scorers");
    w.BeginArray();
    for (const ScorerSummary& s : vs.scorers) {
      WriteScorerStat(&w, s, false);
      if (std::find(scorers.begin(), scorers.end(), s.scorer) == scorers.end()) scorers.push_back(s.scorer);
    }
    w.EndArray();
    w.Key("categories");
    w.BeginArray();
    for (const ScorerSummary& s : vs.by_group) {
      WriteScorerStat(&w, s, true);
      if (!s.group.empty()) categories.insert(s.group);
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("scorers");
  w.BeginArray();
  for (const std::string& s : scorers) w.String(s);
  w.EndArray();
  w.Key("categories");
  w.BeginArray();
  for (const std::string& c : categories) w.String(c);
  w.EndArray();
  w.Field("category_column", *category_column);
  w.EndObject();
  return w.Take();
}

Result<std::string> ItemsJson(Store* store, int64_t run_id, const ItemQuery& query) {
  Result<RunRecord> run = store->GetRun(run_id);
  if (!run.ok()) return RunNotFound(run.status(), run_id);
  Result<std::string> category_column = CategoryColumn(store, *run);
  if (!category_column.ok()) return category_column.status();
  Store::ItemFilter filter;
  filter.variant_id = query.variant_id;
  filter.failed_scorer = query.failed_scorer;
  filter.errors_only = query.errors_only;
  filter.category_column = *category_column;
  filter.category = query.category;
  filter.text = query.text;
  int64_t offset = std::max<int64_t>(0, query.offset);
  int64_t limit = query.limit <= 0 ? 100 : std::min<int64_t>(query.limit, 1000);
  Result<int64_t> total = store->CountItems(run_id, filter);
  if (!total.ok()) return total.status();
  Result<std::vector<Store::ItemListRow>> rows =
      store->ListItems(run_id, filter, offset, limit, static_cast<int>(kExcerptChars));
  if (!rows.ok()) return rows.status();
  JsonWriter w;
  w.BeginObject();
  w.Field("total", *total);
  w.Field("offset", offset);
  w.Key("items");
  w.BeginArray();
  for (const Store::ItemListRow& r : *rows) {
    std::optional<std::string> answer;
    if (r.item.output.has_value()) answer = Excerpt(*r.item.output);
    w.BeginObject();
    WriteItemRowFields(&w, r.item, r.category, Excerpt(r.item.rendered_input), answer);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

Result<std::string> ItemDetailJson(Store* store, int64_t item_id) {
  Result<ItemRecord> item = store->GetItem(item_id);
  if (!item.ok()) {
    if (item.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("item " + std::to_string(item_id) + " not found");
    }
    return item.status();
  }
  Result<RunRecord> run = store->GetRun(item->run_id);
  if (!run.ok()) return RunNotFound(run.status(), item->run_id);
  Result<std::string> category_column = CategoryColumn(store, *run);
  if (!category_column.ok()) return category_column.status();
  std::vector<SpanRow> spans;
  if (!item->trace_id.empty()) {
    Result<std::vector<SpanRow>> rows = store->TraceSpans(item->trace_id);
    if (!rows.ok()) return rows.status();
    spans = std::move(*rows);
  }
  JsonReader json;
  json.ParseInputs(item->inputs_json);
  JsonWriter w;
  WriteItemDetail(&w, &json, *item, json.Input(*category_column), spans);
  return w.Take();
}

Result<std::string> CompareJson(Store* store, int64_t run_a, int64_t run_b) {
  Result<RunRecord> a = store->GetRun(run_a);
  if (!a.ok()) return RunNotFound(a.status(), run_a);
  Result<RunRecord> b = store->GetRun(run_b);
  if (!b.ok()) return RunNotFound(b.status(), run_b);
  JsonReader json;
  Result<std::string> header_a = RunHeaderJson(store, &json, *a);
  if (!header_a.ok()) return header_a.status();
  Result<std::string> header_b = RunHeaderJson(store, &json, *b);
  if (!header_b.ok()) return header_b.status();
  Result<RunComparison> cmp = CompareRuns(store, run_a, run_b);
  if (!cmp.ok()) return cmp.status();

  JsonWriter w;
  w.BeginObject();
  w.Key("run_a");
  w.Raw(*header_a);
  w.Key("run_b");
  w.Raw(*header_b);
  w.Key("notes");
  w.BeginArray();
  for (const std::string& n : cmp->notes) w.String(n);
  w.EndArray();
  w.Key("variants");
  w.BeginArray();
  for (const VariantComparison& vc : cmp->variants) {
    w.BeginObject();
    w.Field("label_a", vc.label_a);
    w.Field("label_b", vc.label_b);
    w.Field("items_a", vc.items_a);
    w.Field("items_b", vc.items_b);
    w.Field("paired_items", vc.paired_items);
    w.Key("scorers");
    w.BeginArray();
    for (const ScorerComparison& sc : vc.scorers) {
      bool paired = sc.paired > 0;
      w.BeginObject();
      w.Field("scorer", sc.scorer);
      w.Field("paired", sc.paired);
      OptionalDouble(&w, "rate_a", paired ? std::optional<double>(sc.rate_a) : std::nullopt);
      OptionalDouble(&w, "rate_b", paired ? std::optional<double>(sc.rate_b) : std::nullopt);
      OptionalDouble(&w, "delta", paired ? std::optional<double>(sc.delta.estimate) : std::nullopt);
      OptionalDouble(&w, "ci_low", paired ? std::optional<double>(sc.delta.ci95.low) : std::nullopt);
      OptionalDouble(&w, "ci_high", paired ? std::optional<double>(sc.delta.ci95.high) : std::nullopt);
      w.Field("flipped_worse", sc.flipped_worse);
      w.Field("flipped_better", sc.flipped_better);
      w.Key("flipped");
      w.BeginArray();
      for (const FlippedItem& f : sc.flipped) {
        w.BeginObject();
        w.Field("key", f.item_key);
        w.Field("repeat", f.repeat);
        w.Field("question", Excerpt(TrimPartialUtf8(f.question)));
        w.Field("now_passes", f.now_passes);
        w.Field("rationale", f.rationale);
        w.Field("item_a", f.item_a);
        w.Field("item_b", f.item_b);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

Result<ReportDocuments> ReportJson(Store* store, const std::vector<int64_t>& run_ids) {
  if (run_ids.empty() || run_ids.size() > 2) {
    return Status::InvalidInput("a report covers one run or compares two; got " + std::to_string(run_ids.size()));
  }
  if (run_ids.size() == 2 && run_ids[0] == run_ids[1]) {
    return Status::InvalidInput("cannot compare run " + std::to_string(run_ids[0]) + " with itself");
  }
  std::vector<RunRecord> runs;
  for (int64_t id : run_ids) {
    Result<RunRecord> run = store->GetRun(id);
    if (!run.ok()) return RunNotFound(run.status(), id);
    runs.push_back(std::move(*run));
  }
  JsonWriter data;
  data.BeginObject();
  data.Field("generated_unix_ms", NsToMs(Clock::Real()->NowUnixNanos()));
  data.Field("version", kLlmevalVersion);
  data.Field("mode", "report");
  data.Key("runs");
  data.BeginArray();
  for (const RunRecord& run : runs) {
    Result<std::string> run_json = RunJson(store, run.id);
    if (!run_json.ok()) return run_json.status();
    data.Raw(*run_json);
  }
  data.EndArray();
  // The details document is most of the store's text: size it once instead of growing (and copying) it repeatedly.
  std::string details;
  int64_t estimate = 4096;
  for (const RunRecord& run : runs) {
    Result<int64_t> bytes = store->ApproximateRunBytes(run.id);
    if (!bytes.ok()) return bytes.status();
    estimate += *bytes + *bytes / 4;
  }
  details.reserve(static_cast<size_t>(std::min<int64_t>(estimate, int64_t{16} << 30)));
  AdviseHugePages(&details);
  details += '{';
  bool first = true;
  data.Key("items");
  data.BeginObject();
  for (const RunRecord& run : runs) {
    Result<std::string> category_column = CategoryColumn(store, run);
    if (!category_column.ok()) return category_column.status();
    data.Key(std::to_string(run.id));
    Status s = StreamRunItems(store, run, *category_column, &data, &details, &first);
    if (!s.ok()) return s;
  }
  details += '}';
  data.EndObject();
  data.Key("compare");
  if (runs.size() == 2) {
    Result<std::string> compare = CompareJson(store, runs[0].id, runs[1].id);
    if (!compare.ok()) return compare.status();
    data.Raw(*compare);
  } else {
    data.Null();
  }
  data.EndObject();
  return ReportDocuments{data.Take(), std::move(details)};
}

}  // namespace llmeval
