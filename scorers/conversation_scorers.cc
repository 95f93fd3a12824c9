// Conversation scorers over ScoringContext::transcript (filled for conversation rows only; other items are skipped):
//  * turns_to_goal {max (optional)}: the simulated user reached its goal (stop reason goal_reached), in at most
//    `max` turns when given. Score: the turns taken. A conversation stopped by max_turns, the stop phrase or the end
//    of a replayed script fails, naming why it stopped.
//  * knowledge_retention: a fact the user gave is not asked for again. A heuristic, no judge: an assistant question
//    (a sentence ending in '?') whose key words (4+ letters, not common words, at least two) all appear in an
//    earlier user message asks for something already given, and fails naming the turn and the question.
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "core/strings.h"
#include "scorers/builtin_scorers.h"
#include "scorers/scorer_params.h"

namespace llmeval {
namespace {

class TurnsToGoalScorer : public CodeScorer {
 public:
  TurnsToGoalScorer(std::string name, std::optional<int64_t> max) : CodeScorer(std::move(name)), max_(max) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    if (ctx.transcript.empty()) return Skip("not a conversation");
    std::string turns = std::to_string(ctx.turns) + (ctx.turns == 1 ? " turn" : " turns");
    Assessment a;
    if (ctx.conversation_stop != "goal_reached") {
      a = Fail("the goal was not reached: the conversation ended by " + ctx.conversation_stop + " after " + turns);
    } else if (max_.has_value() && ctx.turns > *max_) {
      a = Fail("goal reached after " + turns + ", more than " + std::to_string(*max_));
    } else {
      a = Pass("goal reached after " + turns);
    }
    a.score = static_cast<double>(ctx.turns);
    return a;
  }

 private:
  std::optional<int64_t> max_;
};

Result<std::unique_ptr<Scorer>> MakeTurnsToGoal(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"max"});
  std::optional<int64_t> max = p.Int("max");
  if (p.ok() && max.has_value() && *max < 1) p.Fail("parameter 'max' must be at least 1");
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new TurnsToGoalScorer(p.name(), max));
}

// Lowercase words of 4+ letters or digits that are not common words.
std::set<std::string> KeyWords(std::string_view text) {
  static const std::set<std::string> kCommon = {
      "what",   "which",  "when", "where", "your",  "yours", "have", "does", "that", "this", "with", "would", "could",
      "should", "please", "tell", "about", "there", "their", "they", "them", "will", "from", "into", "been",  "were",
      "like",   "know",   "want", "need",  "some",  "more",  "many", "much", "just", "also", "than", "then",  "very"};
  std::set<std::string> out;
  std::string word;
  for (size_t i = 0; i <= text.size(); ++i) {
    unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (std::isalnum(c)) {
      word.push_back(static_cast<char>(std::tolower(c)));
      continue;
    }
    if (word.size() >= 4 && kCommon.count(word) == 0) out.insert(word);
    word.clear();
  }
  return out;
}

// The sentences of `text` that end in '?'.
std::vector<std::string> Questions(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' || c == '!' || c == '\n' || c == '?') {
      if (c == '?') out.emplace_back(TrimWhitespace(std::string_view(text).substr(start, i + 1 - start)));
      start = i + 1;
    }
  }
  return out;
}

class KnowledgeRetentionScorer : public CodeScorer {
 public:
  using CodeScorer::CodeScorer;

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    if (ctx.transcript.empty()) return Skip("not a conversation");
    std::set<std::string> told;  // Key words of everything the user said so far.
    int turn = 0;
    for (const ChatMessage& m : ctx.transcript) {
      if (!m.content.has_value()) continue;
      if (m.role == "user") {
        ++turn;
        std::set<std::string> words = KeyWords(*m.content);
        told.insert(words.begin(), words.end());
        continue;
      }
      if (m.role != "assistant") continue;
      for (const std::string& q : Questions(*m.content)) {
        std::set<std::string> asked = KeyWords(q);
        bool known = asked.size() >= 2;
        for (const std::string& w : asked) known = known && told.count(w) > 0;
        if (known) {
          return Fail("turn " + std::to_string(turn) + ": the assistant asked \"" + q +
                      "\" although the user had already said it");
        }
      }
    }
    return Pass("no assistant question asked for what the user had already said");
  }
};

Result<std::unique_ptr<Scorer>> MakeKnowledgeRetention(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({});
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new KnowledgeRetentionScorer(p.name()));
}

}  // namespace

void RegisterConversationScorers(ScorerFactoryMap* out) {
  (*out)["turns_to_goal"] = MakeTurnsToGoal;
  (*out)["knowledge_retention"] = MakeKnowledgeRetention;
}

}  // namespace llmeval
