// The simulated model ("sim"): a pure, deterministic stand-in for an OpenAI-compatible chat model, used by the demo,
// the tests, the benchmarks and by users dry-running a config. The same function serves in-process calls and the
// simulated HTTP server (engine/sim/sim_server.h), so both give identical answers.
//
// How it answers (like a real model, but reproducibly):
//  * The question: the text after the last line starting with "Question:" (any case) in the last user message, else
//    the last sentence ending in '?' in the user messages. All randomness is seeded from a hash of (model, question,
//    request.seed, seed) only, so an unchanged or neutrally edited prompt template gives the same answer.
//  * Normal answers are English paragraphs built from the question's key words; they often mention "software
//    engineering" and sometimes give a definition ("is defined as ..."). About 6% are under ten words, about 3% are
//    over a thousand words, the rest 40 to 250 words.
//  * Prompt reactions, searched in all system and user messages (any case): "one word" / "single word" gives a
//    one-word answer; "concise" / "brief" a shorter one; "example" adds "For example, ..."; "rigorous" / "academic"
//    adds terminology and a definition. No question at all (a template that dropped {question}) gives an off-topic
//    answer that shares no key word with the prompt.
//  * Tools: with tools offered and no "tool" message after the last user message (and tool_choice not "none"), the
//  reply calls the first tool
//    (content absent, finish_reason "tool_calls") with JSON arguments built from its schema: the string property
//    query/q/search (else the first string property) gets a query made of the question's key words, an integer
//    max_results gets 3. About 30% of questions make two parallel calls with different queries. Once tool results are
//    present, the answer cites two of the markdown links [title](url) found in them.
//  * Judge requests (a system message containing "llmeval-judge") get a JSON verdict; see engine/sim/sim_judge.h.
//  * User-simulator requests (a first system message starting "llmeval-user-simulator") get the simulated user's
//    next message; see engine/sim/sim_user.h. Tools are called again after each new user message.
//  * Stop sequences cut the content; max_tokens cuts it and sets finish_reason "length".
//  * Usage: input ~ message and tool-schema characters / 4; output ~ words * 1.3; cached tokens (a multiple of 128)
//    for some requests with a long system prompt; reasoning tokens only for models whose name contains "reasoning"
//    or starts with "o" or "gpt-5". The id ("chatcmpl-sim-<hex>") and `created` derive from the hash: no clock.
//  * Temperature and top_p are accepted and ignored: the sim is always deterministic.
//
// Thread-safe; never fails; costs a few microseconds for a normal answer.
#ifndef LLMEVAL_ENGINE_SIM_SIM_MODEL_H_
#define LLMEVAL_ENGINE_SIM_SIM_MODEL_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/chat.h"

namespace llmeval {

ChatResponse SimulateChat(const ChatRequest& request, uint64_t seed = 0);

// The question SimulateChat answers (a view into `request`), or nullopt when there is none.
std::optional<std::string_view> FindSimQuestion(const ChatRequest& request);

// Cuts `response` as if generation stopped after `max_tokens` visible output tokens: the content keeps about
// max_tokens / 1.3 words (tool-call arguments about max_tokens * 4 characters), finish_reason becomes "length" and the
// usage is lowered to match. Does nothing when the response already fits.
void TruncateSimResponse(ChatResponse* response, int64_t max_tokens);

// The visible output tokens the sim charges for `message` (words * 1.3, plus tool-call argument characters / 4).
int64_t SimOutputTokens(const ChatMessage& message);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_SIM_SIM_MODEL_H_
