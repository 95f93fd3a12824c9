// Reading a yes/no verdict out of an LLM judge's reply, as tolerantly as real judges need: bare JSON, JSON in ```json
// fences or inside prose, keys in any case ("Verdict", "VERDICT"), values yes/no/pass/fail/true/false/1/0/"Yes.",
// Python-style {'verdict': 'yes'}, "Verdict: **No**" lines, and a plain "Yes" / "No, because ..." first word. A
// missing rationale is fine (empty). Pure functions, thread-safe.
#ifndef LLMEVAL_SCORERS_VERDICT_PARSER_H_
#define LLMEVAL_SCORERS_VERDICT_PARSER_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace llmeval {

// One judge reply, understood.
struct JudgeVerdict {
  bool pass = false;
  std::string rationale;
};

// The verdict in `reply`; InvalidInput with a short excerpt of the reply when there is none:
//   could not find a yes/no verdict in the judge reply: "I think it is fine but..."
Result<JudgeVerdict> ParseJudgeVerdict(std::string_view reply);

// true for yes/y/pass/passed/true/1/correct, false for no/n/fail/failed/false/0/incorrect (any case, surrounding
// quotes, asterisks and punctuation ignored, so "Yes." and "**NO**" work); nullopt otherwise. A multi-word value is
// judged by its first word ("Yes, it does").
std::optional<bool> ParseVerdictWord(std::string_view word);

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_VERDICT_PARSER_H_
