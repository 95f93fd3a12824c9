#include "engine/gate/baseline.h"

#include <simdjson.h>

#include "core/json_writer.h"
#include "engine/os/file_io.h"
#include "engine/run/run_summary.h"

namespace llmeval {

std::string ItemLabel(const ItemRecord& item) {
  std::string text = InputValue(item, "question");
  if (text.empty()) {
    simdjson::dom::parser parser;
    simdjson::dom::object inputs;
    if (parser.parse(item.inputs_json).get(inputs) == simdjson::SUCCESS) {
      for (auto field : inputs) {
        std::string_view v;
        if (field.value.get(v) == simdjson::SUCCESS && !v.empty()) {
          text = std::string(v);
          break;
        }
      }
    }
  }
  if (text.empty()) text = item.rendered_input;
  for (char& ch : text) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  if (text.size() > 80) {
    size_t cut = 77;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // Keep UTF-8 whole.
    text = text.substr(0, cut) + "...";
  }
  return text;
}

Baseline BaselineFromItems(const std::string& source, const RunRecord& run, const VariantRecord& variant,
                           const std::vector<ItemRecord>& items) {
  Baseline b;
  b.source = source;
  b.prompt = variant.prompt_name + "/" + std::to_string(variant.prompt_version);
  b.model = variant.model;
  b.dataset_sha256 = run.dataset_sha256;
  for (const ItemRecord& item : items) {
    if (item.variant_id != variant.id) continue;
    BaselineItem bi;
    bi.item_key = item.item_key;
    bi.repeat = item.repeat;
    bi.label = ItemLabel(item);
    bi.error = item.error;
    for (const AssessmentRow& a : item.assessments) bi.outcomes[a.ResultName()] = a.outcome;
    b.items.push_back(std::move(bi));
  }
  return b;
}

std::string BaselineToJson(const Baseline& b) {
  JsonWriter w;
  w.BeginObject();
  w.Field("llmeval_baseline", 1);
  w.Field("source", b.source);
  w.Field("prompt", b.prompt);
  w.Field("model", b.model);
  w.Field("dataset_sha256", b.dataset_sha256);
  w.Key("items");
  w.BeginArray();
  for (const BaselineItem& item : b.items) {
    w.BeginObject();
    w.Field("id", item.item_key);
    w.Field("repeat", item.repeat);
    w.Field("label", item.label);
    w.Field("error", item.error);
    w.Key("outcomes");
    w.BeginObject();
    for (const auto& [name, outcome] : item.outcomes) w.Field(name, outcome);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take() + "\n";
}

namespace {

Status Bad(const std::string& path, const std::string& what) {
  return Status::InvalidInput(path + ": not an llmeval baseline file: " + what);
}

bool IsOutcome(std::string_view v) { return v == "pass" || v == "fail" || v == "error" || v == "skipped"; }

}  // namespace

Result<Baseline> ParseBaselineJson(const std::string& json, const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) return Bad(path, "expected a JSON object");
  int64_t version = 0;
  if (root["llmeval_baseline"].get(version) != simdjson::SUCCESS) return Bad(path, "missing \"llmeval_baseline\": 1");
  if (version != 1) return Bad(path, "unsupported version " + std::to_string(version) + " (expected 1)");
  Baseline b;
  std::string_view text;
  if (root["source"].get(text) == simdjson::SUCCESS) b.source = std::string(text);
  if (root["prompt"].get(text) == simdjson::SUCCESS) b.prompt = std::string(text);
  if (root["model"].get(text) == simdjson::SUCCESS) b.model = std::string(text);
  if (root["dataset_sha256"].get(text) == simdjson::SUCCESS) b.dataset_sha256 = std::string(text);
  simdjson::dom::array items;
  if (root["items"].get(items) != simdjson::SUCCESS) return Bad(path, "expected \"items\": an array");
  size_t index = 0;
  for (simdjson::dom::element e : items) {
    std::string where = "items[" + std::to_string(index++) + "]";
    BaselineItem item;
    simdjson::dom::object o;
    if (e.get(o) != simdjson::SUCCESS) return Bad(path, where + ": expected an object");
    if (o["id"].get(text) != simdjson::SUCCESS || text.empty()) return Bad(path, where + ".id: expected a string");
    item.item_key = std::string(text);
    int64_t repeat = 0;
    if (o["repeat"].get(repeat) != simdjson::SUCCESS || repeat < 0) {
      return Bad(path, where + ".repeat: expected a whole number >= 0");
    }
    item.repeat = static_cast<int>(repeat);
    if (o["label"].get(text) == simdjson::SUCCESS) item.label = std::string(text);
    if (o["error"].get(text) == simdjson::SUCCESS) item.error = std::string(text);
    simdjson::dom::object outcomes;
    if (o["outcomes"].get(outcomes) != simdjson::SUCCESS) return Bad(path, where + ".outcomes: expected an object");
    for (auto field : outcomes) {
      std::string_view outcome;
      if (field.value.get(outcome) != simdjson::SUCCESS || !IsOutcome(outcome)) {
        return Bad(path, where + ".outcomes." + std::string(field.key) + ": expected pass, fail, error or skipped");
      }
      item.outcomes[std::string(field.key)] = std::string(outcome);
    }
    b.items.push_back(std::move(item));
  }
  return b;
}

Result<Baseline> LoadBaselineFile(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return Status::InvalidInput("baseline file " + path + " does not exist");
    }
    return text.status();
  }
  return ParseBaselineJson(*text, path);
}

}  // namespace llmeval
