// The judge half of the simulated model (engine/sim/sim_model.h). A judge request is one whose system message contains
// the marker "llmeval-judge"; its user message holds the sections
//   <question>\n...\n</question>  <answer>\n...\n</answer>  <guidelines>\n- one\n- two\n</guidelines>
// (any may be absent; this is the contract with the scorers). The reply is the JSON text
//   {"rationale": "<one sentence>", "verdict": "yes" | "no"}
// decided by real heuristics where a guideline allows it (English, relevance, word counts, conciseness, software
// engineering, definitions, "should mention 'X'"), else by a deterministic hash (about 75% yes). Without a
// response_format about 10% of replies wrap the JSON in a ```json fence or put a sentence before it, like real judges.
// Pure and deterministic; thread-safe.
#ifndef LLMEVAL_ENGINE_SIM_SIM_JUDGE_H_
#define LLMEVAL_ENGINE_SIM_SIM_JUDGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat.h"

namespace llmeval {

bool IsJudgeRequest(const ChatRequest& request);

// The text between "<name>" and "</name>" in `text`, trimmed; nullopt when the section is absent.
std::optional<std::string_view> FindJudgeSection(std::string_view text, std::string_view name);

struct JudgeVerdict {
  bool pass = false;
  std::string rationale;  // One sentence.
};

// Applies every guideline to `answer` (all must pass). `hash` seeds the verdict of guidelines no heuristic covers.
JudgeVerdict JudgeAnswer(std::string_view question, std::string_view answer, const std::vector<std::string>& guidelines,
                         uint64_t hash);

// The full reply text (JSON, sometimes fenced or prefixed) for a judge request.
std::string SimulateJudgeReply(const ChatRequest& request, uint64_t seed);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_SIM_SIM_JUDGE_H_
