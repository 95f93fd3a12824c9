#include "engine/report/report_items.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "core/strings.h"

namespace llmeval::report_json {
namespace {

const char* SpanStatus(int status) { return status == 1 ? "ok" : status == 2 ? "error" : "unset"; }

}  // namespace

// The fields of an ItemRow, without the enclosing braces. `question` and `answer` are written as given.
void WriteItemRowFields(JsonWriter* w, const ItemRecord& item, const std::string& category, const std::string& question,
                        const std::optional<std::string>& answer) {
  w->Field("id", item.id);
  w->Field("variant_id", item.variant_id);
  w->Field("row", item.row_index);
  w->Field("repeat", item.repeat);
  w->Field("key", item.item_key);
  w->Field("category", category);
  w->Field("question", question);
  w->Key("answer");
  if (answer.has_value()) {
    w->String(*answer);
  } else {
    w->Null();
  }
  w->Key("error");
  if (item.error.empty()) {
    w->Null();
  } else {
    w->String(item.error);
  }
  Number(w, "latency_ms", item.latency_ms);
  OptionalDouble(w, "cost_usd", item.cost_usd);
  w->Field("input_tokens", item.input_tokens);
  w->Field("output_tokens", item.output_tokens);
  w->Field("tool_calls", item.tool_calls);
  w->Field("from_cache", item.from_cache);
  w->Field("trace_id", item.trace_id);
  w->Key("scores");
  w->BeginObject();
  std::vector<std::string> seen;
  for (const AssessmentRow& a : item.assessments) {
    std::string name = a.ResultName();
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    w->Field(name, a.outcome);
    seen.push_back(std::move(name));
  }
  w->EndObject();
}

// An ItemRow of excerpts from an item read with its full texts (inputs already parsed into `json`).
void WriteItemRow(JsonWriter* w, JsonReader* json, const ItemRecord& item, const std::string& category) {
  std::string question = json->Input("question");
  if (question.empty()) question = item.rendered_input;
  std::optional<std::string> answer;
  if (item.output.has_value()) answer = Excerpt(*item.output);
  w->BeginObject();
  WriteItemRowFields(w, item, category, Excerpt(question), answer);
  w->EndObject();
}

// An ItemDetailJson from an item with full texts (inputs already parsed into `json`) and its spans in start order.
void WriteItemDetail(JsonWriter* w, JsonReader* json, const ItemRecord& item, const std::string& category,
                     const std::vector<SpanRow>& spans) {
  std::string question = json->Input("question");
  if (question.empty()) question = item.rendered_input;
  w->BeginObject();
  w->Key("item");
  w->BeginObject();
  WriteItemRowFields(w, item, category, question, item.output);
  json->RawOr(w, "inputs", item.inputs_json, "{}");
  w->Field("rendered_input", item.rendered_input);
  w->Key("output");
  if (item.output.has_value()) {
    w->String(*item.output);
  } else {
    w->Null();
  }
  w->Field("error_type", item.error_type);
  w->Field("finish_reason", item.finish_reason);
  Number(w, "ttfb_ms", item.ttfb_ms);
  w->Field("cached_tokens", item.cached_tokens);
  w->Field("reasoning_tokens", item.reasoning_tokens);
  w->Field("model_calls", item.model_calls);
  w->Field("started_unix_ms", NsToMs(item.started_unix_ns));
  w->EndObject();
  w->Key("assessments");
  w->BeginArray();
  for (const AssessmentRow& a : item.assessments) {
    w->BeginObject();
    w->Field("name", a.name);
    w->Field("outcome", a.outcome);
    OptionalDouble(w, "score", a.score);
    w->Field("label", a.label);
    w->Field("rationale", a.rationale);
    w->Field("source", a.source);
    w->Field("error", a.error);
    w->Field("judge_model", a.judge_model);
    w->Field("judge_samples", a.judge_samples);
    OptionalDouble(w, "judge_agreement", a.judge_agreement);
    w->Field("judge_input_tokens", a.judge_input_tokens);
    w->Field("judge_output_tokens", a.judge_output_tokens);
    OptionalDouble(w, "judge_cost_usd", a.judge_cost_usd);
    w->EndObject();
  }
  w->EndArray();
  w->Field("trace_id", item.trace_id);
  w->Key("spans");
  w->BeginArray();
  int64_t t0 = 0;
  for (size_t i = 0; i < spans.size(); ++i) t0 = i == 0 ? spans[i].start_unix_ns : std::min(t0, spans[i].start_unix_ns);
  for (const SpanRow& s : spans) {
    w->BeginObject();
    w->Field("span_id", s.span_id);
    w->Field("parent_span_id", s.parent_span_id);
    w->Field("name", s.name);
    w->Field("kind", s.kind);
    Number(w, "start_ms", static_cast<double>(s.start_unix_ns - t0) / 1e6);
    Number(w, "duration_ms", static_cast<double>(std::max<int64_t>(0, s.end_unix_ns - s.start_unix_ns)) / 1e6);
    w->Field("status", SpanStatus(s.status));
    w->Field("status_message", s.status_message);
    json->RawOr(w, "attributes", s.attributes_json, "{}");
    json->RawOr(w, "events", s.events_json, "[]");
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

// Streams every item of `run` as an ItemsJson into `data` and as `"<id>":ItemDetailJson` members into `details` (an
// object the caller has opened and sized; `*first` says whether a member was written yet). Each detail is written by
// its own small writer and appended, so the large document grows in place.
Status StreamRunItems(Store* store, const RunRecord& run, const std::string& category_column, JsonWriter* data,
                      std::string* details, bool* first) {
  JsonReader json;
  int64_t total = 0;
  data->BeginObject();
  data->Key("items");
  data->BeginArray();
  Status s = store->ForEachItemWithSpans(run.id, true, [&](const ItemRecord& item) {
    json.ParseInputs(item.inputs_json);
    std::string category = json.Input(category_column);
    WriteItemRow(data, &json, item, category);
    JsonWriter detail;
    WriteItemDetail(&detail, &json, item, category, item.spans);
    if (!*first) *details += ',';
    *first = false;
    AppendJsonString(std::to_string(item.id), details);
    *details += ':';
    *details += detail.str();
    ++total;
  });
  if (!s.ok()) return s;
  data->EndArray();
  data->Field("total", total);
  data->Field("offset", int64_t{0});
  data->EndObject();
  return Status::OK();
}

}  // namespace llmeval::report_json
