// Text building blocks of the simulated model (engine/sim/sim_model.h): a small deterministic random generator,
// key-word extraction, and an English answer generator built from a bank of sentence templates. Everything here is pure
// and deterministic: the same inputs and generator state always give the same text. Thread-safe (no shared mutable
// state).
#ifndef LLMEVAL_ENGINE_SIM_SIM_TEXT_H_
#define LLMEVAL_ENGINE_SIM_SIM_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmeval {

// Mixes two 64-bit values into one well-distributed value (splitmix64 finaliser).
uint64_t SimMix(uint64_t a, uint64_t b);

// splitmix64: a tiny, fast, deterministic generator.
class SimRng {
 public:
  explicit SimRng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n); 0 when n is 0.
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
  // True with probability percent/100.
  bool Percent(int percent) { return static_cast<int>(Next() % 100) < percent; }

 private:
  uint64_t state_;
};

// The lowercase key words of `text`: runs of ASCII letters and digits (3+ characters) that are not common English
// stop words or question words, deduplicated, in first-occurrence order, at most `max_words` of them.
std::vector<std::string> ExtractKeywords(std::string_view text, size_t max_words = 12);

// True when `needle` occurs in `haystack`, ignoring ASCII case. An empty needle is always found.
bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle);

// Whether any key word of `keywords` occurs as a word prefix in `text` (case-insensitive, so "tests" matches
// "testing" through the shared stem "test"). Used by the relevance heuristics.
bool SharesKeyword(const std::vector<std::string>& keywords, std::string_view text);

struct AnswerStyle {
  bool concise = false;       // "concise" / "brief": a shorter answer.
  bool with_example = false;  // "example": includes "For example, ...".
  bool rigorous = false;      // "rigorous" / "academic": more terminology and a definition.
};

// An English answer about the topic named by `keywords` (may be empty: then the topic is "this question"). The
// length, the sentences and whether "software engineering" and a definition appear are drawn from `rng`.
std::string GenerateAnswer(const std::vector<std::string>& keywords, const AnswerStyle& style, SimRng& rng);

// A one-word answer, never one of the words in `avoid` (lowercase key words).
std::string GenerateOneWord(const std::vector<std::string>& avoid, bool off_topic, SimRng& rng);

// A few sentences about something unrelated (baking, birds, tides...), sharing no key word with `avoid`.
std::string GenerateOffTopicAnswer(const std::vector<std::string>& avoid, SimRng& rng);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_SIM_SIM_TEXT_H_
