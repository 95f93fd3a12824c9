// Assessment: what one scorer concludes about one item (a pass/fail outcome, an optional numeric score, a label and a
// rationale), plus the judge's own token and cost accounting when an LLM judge decided it. Plain values; the helpers
// here are pure functions, safe to call from several threads.
//
// An outcome of kError means "could not decide" (the application call failed, the judge reply was unparseable, ...):
// it is never counted as a failure. kSkipped means the scorer does not apply to the item (e.g. an empty per-row
// guideline column).
#ifndef LLMEVAL_SCORERS_ASSESSMENT_H_
#define LLMEVAL_SCORERS_ASSESSMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace llmeval {

enum class AssessmentSource { kCode, kLlmJudge, kHuman };
enum class AssessmentOutcome { kPass, kFail, kError, kSkipped };

struct Assessment {
  std::string name;  // The scorer's name.
  AssessmentOutcome outcome = AssessmentOutcome::kError;
  std::optional<double> score;  // A numeric value when the scorer has one (word count, latency, ...).
  std::string label;            // Short label ("yes", "no", "pass", ...).
  std::string rationale;        // Why, for the user.
  AssessmentSource source = AssessmentSource::kCode;
  std::string error;  // Set when outcome == kError.

  std::string judge_model;
  int64_t judge_input_tokens = 0;
  int64_t judge_output_tokens = 0;
  std::optional<double> judge_cost_usd;
  int judge_samples = 0;
  double judge_agreement = 0;  // Share of valid samples agreeing with the majority.

  bool passed() const { return outcome == AssessmentOutcome::kPass; }
  bool decided() const { return outcome == AssessmentOutcome::kPass || outcome == AssessmentOutcome::kFail; }
};

// Short builders for code scorers.
Assessment PassAssessment(std::string name, std::string rationale = {});
Assessment FailAssessment(std::string name, std::string rationale);
Assessment ErrorAssessment(std::string name, std::string error);
Assessment SkippedAssessment(std::string name, std::string rationale);

// "pass", "fail", "error", "skipped" and back; "code", "llm_judge", "human" and back.
const char* AssessmentOutcomeName(AssessmentOutcome outcome);
std::optional<AssessmentOutcome> ParseAssessmentOutcome(std::string_view name);
const char* AssessmentSourceName(AssessmentSource source);
std::optional<AssessmentSource> ParseAssessmentSource(std::string_view name);

// The assessment as one JSON object: {"name","outcome","score","label","rationale","source","error","judge":{...}}.
// Empty fields and a zero judge block are left out.
std::string AssessmentToJson(const Assessment& assessment);

// Reads the JSON object a user scorer (command worker, plugin) prints. Accepted members: "outcome"
// ("pass"|"fail"|"error"|"skipped") or "pass"/"passed" (bool), "score" (number), "label", "rationale"/"reason",
// "error". With only a score, the outcome is pass. InvalidInput (with an excerpt of `json`) when it is not such an
// object. `name` becomes the assessment's name; source is kCode.
Result<Assessment> ParseAssessmentJson(std::string_view json, const std::string& name);

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_ASSESSMENT_H_
