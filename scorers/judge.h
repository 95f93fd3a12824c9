// The LLM-as-judge contract shared by the judge scorers and the engine: the marker that identifies a judge request,
// the default judge instruction templates (the engine registers them as versioned prompts users can see and
// override), the strict response format, and the text of the re-ask. Pure; thread-safe.
//
// A judge request is [system: rendered template, user: sections]. The user message holds, exactly:
//   <question>\n...\n</question>\n<answer>\n...\n</answer>\n<guidelines>\n- g1\n- g2\n</guidelines>
// followed, for correctness, by \n<expected>\n...\n</expected> and, with include_trace, by \n<trace>\n...\n</trace>.
#ifndef LLMEVAL_SCORERS_JUDGE_H_
#define LLMEVAL_SCORERS_JUDGE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace llmeval {

// Present in every judge system message.
inline constexpr std::string_view kJudgeMarker = "llmeval-judge";

// The judge kinds with a default template: "guidelines", "relevance_to_query", "correctness", "safety", "trajectory"
// (the agent's steps against guidelines) and "goal_achieved" (a conversation against the row's goal).
const std::vector<std::string>& JudgeKinds();

// The default system template of a judge kind (placeholders {question} {answer} {guidelines} {expected} {trace});
// the empty string for an unknown kind.
const std::string& DefaultJudgeTemplate(std::string_view kind);

// Replaces each {name} in `tmpl` whose name is a key of `values`, in one pass (replaced text is not scanned again);
// other braces are kept as they are.
std::string RenderJudgeTemplate(std::string_view tmpl, const std::map<std::string, std::string>& values);

// The response_format sent to judges: a strict json_schema of {"verdict": "yes"|"no", "rationale": string}.
const std::string& JudgeResponseFormatJson();

// The user message of the re-ask that follows an unparseable reply.
const std::string& JudgeReaskMessage();

// The user message with its sections; `expected` and `trace` sections are added when the pointers are non-null.
std::string BuildJudgeUserMessage(std::string_view question, std::string_view answer,
                                  const std::vector<std::string>& guidelines, const std::string* expected,
                                  const std::string* trace);

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_JUDGE_H_
