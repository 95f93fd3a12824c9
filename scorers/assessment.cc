#include "scorers/assessment.h"

#include <simdjson.h>

#include "core/json_writer.h"
#include "core/strings.h"
#include "scorers/json_util.h"

namespace llmeval {

namespace {

Assessment WithOutcome(std::string name, AssessmentOutcome outcome, std::string rationale) {
  Assessment a;
  a.name = std::move(name);
  a.outcome = outcome;
  a.rationale = std::move(rationale);
  return a;
}

}  // namespace

Assessment PassAssessment(std::string name, std::string rationale) {
  return WithOutcome(std::move(name), AssessmentOutcome::kPass, std::move(rationale));
}

Assessment FailAssessment(std::string name, std::string rationale) {
  return WithOutcome(std::move(name), AssessmentOutcome::kFail, std::move(rationale));
}

Assessment ErrorAssessment(std::string name, std::string error) {
  Assessment a = WithOutcome(std::move(name), AssessmentOutcome::kError, "");
  a.error = std::move(error);
  return a;
}

Assessment SkippedAssessment(std::string name, std::string rationale) {
  return WithOutcome(std::move(name), AssessmentOutcome::kSkipped, std::move(rationale));
}

const char* AssessmentOutcomeName(AssessmentOutcome outcome) {
  switch (outcome) {
    case AssessmentOutcome::kPass:
      return "pass";
    case AssessmentOutcome::kFail:
      return "fail";
    case AssessmentOutcome::kError:
      return "error";
    case AssessmentOutcome::kSkipped:
      return "skipped";
  }
  return "error";
}

std::optional<AssessmentOutcome> ParseAssessmentOutcome(std::string_view name) {
  for (AssessmentOutcome o :
       {AssessmentOutcome::kPass, AssessmentOutcome::kFail, AssessmentOutcome::kError, AssessmentOutcome::kSkipped}) {
    if (name == AssessmentOutcomeName(o)) return o;
  }
  return std::nullopt;
}

const char* AssessmentSourceName(AssessmentSource source) {
  switch (source) {
    case AssessmentSource::kCode:
      return "code";
    case AssessmentSource::kLlmJudge:
      return "llm_judge";
    case AssessmentSource::kHuman:
      return "human";
  }
  return "code";
}

std::optional<AssessmentSource> ParseAssessmentSource(std::string_view name) {
  for (AssessmentSource s : {AssessmentSource::kCode, AssessmentSource::kLlmJudge, AssessmentSource::kHuman}) {
    if (name == AssessmentSourceName(s)) return s;
  }
  return std::nullopt;
}

std::string AssessmentToJson(const Assessment& a) {
  JsonWriter w;
  w.BeginObject();
  w.Field("name", a.name);
  w.Field("outcome", AssessmentOutcomeName(a.outcome));
  if (a.score) w.Field("score", *a.score);
  if (!a.label.empty()) w.Field("label", a.label);
  if (!a.rationale.empty()) w.Field("rationale", a.rationale);
  w.Field("source", AssessmentSourceName(a.source));
  if (!a.error.empty()) w.Field("error", a.error);
  if (a.judge_samples > 0 || !a.judge_model.empty() || a.judge_input_tokens > 0 || a.judge_output_tokens > 0) {
    w.Key("judge");
    w.BeginObject();
    w.Field("model", a.judge_model);
    w.Field("input_tokens", a.judge_input_tokens);
    w.Field("output_tokens", a.judge_output_tokens);
    if (a.judge_cost_usd) w.Field("cost_usd", *a.judge_cost_usd);
    w.Field("samples", a.judge_samples);
    w.Field("agreement", a.judge_agreement);
    w.EndObject();
  }
  w.EndObject();
  return w.Take();
}

Result<Assessment> ParseAssessmentJson(std::string_view json, const std::string& name) {
  auto fail = [&](const std::string& what) {
    return Status::InvalidInput("scorer '" + name + "': " + what + ": " + Excerpt(TrimWhitespace(json), 80));
  };
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return fail("expected a JSON object like {\"pass\": true, \"score\": 0.9, \"rationale\": \"...\"}");
  }
  simdjson::dom::object object(root);
  Assessment a;
  a.name = name;
  a.source = AssessmentSource::kCode;
  bool have_outcome = false;
  simdjson::dom::element v;
  if (object.at_key("outcome").get(v) == simdjson::SUCCESS) {
    std::optional<AssessmentOutcome> outcome;
    if (v.is_string()) outcome = ParseAssessmentOutcome(AsciiLower(std::string_view(v)));
    if (!outcome) return fail("\"outcome\" must be \"pass\", \"fail\", \"error\" or \"skipped\"");
    a.outcome = *outcome;
    have_outcome = true;
  }
  for (const char* key : {"pass", "passed"}) {
    if (have_outcome || object.at_key(key).get(v) != simdjson::SUCCESS) continue;
    if (!v.is_bool()) return fail(std::string("\"") + key + "\" must be true or false");
    a.outcome = bool(v) ? AssessmentOutcome::kPass : AssessmentOutcome::kFail;
    have_outcome = true;
  }
  if (object.at_key("score").get(v) == simdjson::SUCCESS && !v.is_null()) {
    if (!v.is_number()) return fail("\"score\" must be a number");
    a.score = v.is_int64()    ? static_cast<double>(int64_t(v))
              : v.is_uint64() ? static_cast<double>(uint64_t(v))
                              : double(v);
  }
  auto text = [&](const char* key, std::string* out) -> bool {
    if (object.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return true;
    if (!v.is_string()) return false;
    *out = std::string(std::string_view(v));
    return true;
  };
  if (!text("label", &a.label)) return fail("\"label\" must be a string");
  if (!text("rationale", &a.rationale)) return fail("\"rationale\" must be a string");
  if (a.rationale.empty() && !text("reason", &a.rationale)) return fail("\"reason\" must be a string");
  if (!text("error", &a.error)) return fail("\"error\" must be a string");
  if (!have_outcome) {
    if (!a.error.empty()) {
      a.outcome = AssessmentOutcome::kError;
    } else if (a.score) {
      a.outcome = AssessmentOutcome::kPass;
    } else {
      return fail("expected \"outcome\", \"pass\" or \"score\"");
    }
  }
  if (a.outcome == AssessmentOutcome::kError && a.error.empty()) a.error = "the scorer reported an error";
  return a;
}

}  // namespace llmeval
