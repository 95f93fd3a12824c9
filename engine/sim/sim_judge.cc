#include "engine/sim/sim_judge.h"

#include "core/hash.h"
#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/sim/sim_text.h"

namespace llmeval {
namespace {

struct Check {
  bool pass;
  std::string clause;  // "it is written in English"
};

std::string Quoted(std::string_view text) {
  // Keep rationales short: at most 60 bytes, never cutting a UTF-8 sequence.
  if (text.size() > 60) {
    size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return "\"" + std::string(text.substr(0, cut)) + "...\"";
  }
  return "\"" + std::string(text) + "\"";
}

// The number after `phrase` in `lower` ("at least 50 words" -> 50) when followed by "word".
std::optional<int64_t> NumberAfter(std::string_view lower, std::string_view phrase) {
  size_t at = lower.find(phrase);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + phrase.size();
  while (i < lower.size() && lower[i] == ' ') ++i;
  size_t digits = i;
  while (i < lower.size() && lower[i] >= '0' && lower[i] <= '9') ++i;
  if (i == digits || lower.substr(i).find("word") == std::string_view::npos) return std::nullopt;
  return ParseInt(lower.substr(digits, i - digits));
}

// The quoted text after "mention" in `guideline`: 'X', "X", or the typographic quotes.
std::optional<std::string> MentionTarget(std::string_view guideline, std::string_view lower) {
  size_t at = lower.find("mention");
  if (at == std::string_view::npos) return std::nullopt;
  static constexpr std::string_view kQuotes[][2] = {
      {"'", "'"}, {"\"", "\""}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"\xE2\x80\x98", "\xE2\x80\x99"}, {"`", "`"}};
  size_t best = std::string_view::npos;
  std::optional<std::string> target;
  for (const auto& q : kQuotes) {
    size_t open = guideline.find(q[0], at);
    if (open == std::string_view::npos || open >= best) continue;
    size_t close = guideline.find(q[1], open + q[0].size());
    if (close == std::string_view::npos || close == open + q[0].size()) continue;
    best = open;
    target = std::string(guideline.substr(open + q[0].size(), close - open - q[0].size()));
  }
  return target;
}

bool MostlyEnglish(std::string_view answer) {
  size_t ascii_letters = 0;
  size_t other_letters = 0;
  for (unsigned char c : answer) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      ++ascii_letters;
    } else if (c >= 0xC0) {  // The lead byte of a non-ASCII character.
      ++other_letters;
    }
  }
  return ascii_letters > 0 && ascii_letters >= 9 * other_letters;
}

// Applies the heuristics that fit `guideline`; empty when none does.
std::vector<Check> CheckGuideline(std::string_view question, std::string_view answer, std::string_view guideline) {
  std::vector<Check> checks;
  std::string lower = AsciiLower(guideline);
  bool negated = false;
  for (std::string_view n :
       {"should not", "must not", "shouldn't", "mustn't", "does not", "do not", "never", "avoid"}) {
    negated = negated || lower.find(n) != std::string::npos;
  }
  std::optional<std::string> target = MentionTarget(guideline, lower);
  if (target) {
    bool found = ContainsIgnoreCase(answer, *target);
    if (negated) {
      checks.push_back({!found, found ? "it mentions " + Quoted(*target) : "it avoids " + Quoted(*target)});
    } else {
      checks.push_back({found, found ? "it mentions " + Quoted(*target) : "it does not mention " + Quoted(*target)});
    }
    return checks;
  }
  if (negated) return checks;  // Left to the hash.

  size_t words = CountWords(answer);
  if (lower.find("english") != std::string::npos) {
    bool ok = MostlyEnglish(answer);
    checks.push_back({ok, ok ? "it is written in English" : "it is not written in English"});
  }
  if (lower.find("relevan") != std::string::npos && !question.empty()) {
    std::vector<std::string> keywords = ExtractKeywords(question);
    bool ok = keywords.empty() || SharesKeyword(keywords, answer);
    checks.push_back(
        {ok, ok ? "it addresses the key terms of the question" : "it does not address any key term of the question"});
  }
  if (auto n = NumberAfter(lower, "at least")) {
    bool ok = static_cast<int64_t>(words) >= *n;
    checks.push_back(
        {ok, "it has " + std::to_string(words) + " words where at least " + std::to_string(*n) + " are required"});
  }
  for (std::string_view phrase : {"at most", "no more than", "fewer than", "less than", "under"}) {
    if (auto n = NumberAfter(lower, phrase)) {
      bool ok = static_cast<int64_t>(words) <= *n;
      checks.push_back(
          {ok, "it has " + std::to_string(words) + " words where at most " + std::to_string(*n) + " are allowed"});
      break;
    }
  }
  if (lower.find("concise") != std::string::npos || lower.find("brief") != std::string::npos) {
    bool ok = words <= 150;
    checks.push_back(
        {ok, std::string(ok ? "it is concise" : "it is not concise") + " at " + std::to_string(words) + " words"});
  }
  if (lower.find("software engineering") != std::string::npos) {
    bool ok = false;
    for (std::string_view w : {"software", "engineering", "code", "program", "develop"}) {
      ok = ok || ContainsIgnoreCase(answer, w);
    }
    checks.push_back({ok, ok ? "it relates the topic to software engineering"
                             : "it never relates the topic to software engineering"});
  }
  if (lower.find("definition") != std::string::npos || lower.find("define") != std::string::npos) {
    bool ok = ContainsIgnoreCase(answer, "defined as") || ContainsIgnoreCase(answer, "definition") ||
              ContainsIgnoreCase(answer, "refers to");
    checks.push_back({ok, ok ? "it gives a definition" : "it gives no definition"});
  }
  return checks;
}

}  // namespace

bool IsJudgeRequest(const ChatRequest& request) {
  for (const ChatMessage& m : request.messages) {
    if (m.role == "system" && m.content && m.content->find("llmeval-judge") != std::string::npos) return true;
  }
  return false;
}

std::optional<std::string_view> FindJudgeSection(std::string_view text, std::string_view name) {
  std::string open = "<" + std::string(name) + ">";
  std::string close = "</" + std::string(name) + ">";
  size_t begin = text.find(open);
  if (begin == std::string_view::npos) return std::nullopt;
  begin += open.size();
  size_t end = text.find(close, begin);
  if (end == std::string_view::npos) return std::nullopt;
  return TrimWhitespace(text.substr(begin, end - begin));
}

JudgeVerdict JudgeAnswer(std::string_view question, std::string_view answer, const std::vector<std::string>& guidelines,
                         uint64_t hash) {
  std::vector<Check> passed;
  std::vector<Check> failed;
  for (const std::string& guideline : guidelines) {
    std::vector<Check> checks = CheckGuideline(question, answer, guideline);
    if (checks.empty()) {  // No heuristic fits: a deterministic, mostly favourable verdict.
      bool ok = SimMix(hash, Fnv1a64(guideline)) % 100 < 75;
      checks.push_back({ok, ok ? "it meets the guideline " + Quoted(guideline)
                               : "it does not fully meet the guideline " + Quoted(guideline)});
    }
    for (Check& c : checks) (c.pass ? passed : failed).push_back(std::move(c));
  }
  if (guidelines.empty()) {
    bool ok = SimMix(hash, 7) % 100 < 75;
    (ok ? passed : failed)
        .push_back({ok, ok ? "it answers the question adequately" : "it does not answer the question adequately"});
  }
  JudgeVerdict verdict;
  verdict.pass = failed.empty();
  const std::vector<Check>& reasons = verdict.pass ? passed : failed;
  std::string clauses;
  for (size_t i = 0; i < reasons.size() && i < 3; ++i) {
    if (i > 0) clauses += (i + 1 == reasons.size() || i == 2) ? " and " : ", ";
    clauses += reasons[i].clause;
  }
  verdict.rationale = (verdict.pass ? "The answer passes because " : "The answer fails because ") + clauses + ".";
  return verdict;
}

std::string SimulateJudgeReply(const ChatRequest& request, uint64_t seed) {
  std::string_view user;
  for (const ChatMessage& m : request.messages) {
    if (m.role == "user" && m.content) user = *m.content;
  }
  std::string_view question = FindJudgeSection(user, "question").value_or("");
  std::optional<std::string_view> answer = FindJudgeSection(user, "answer");
  std::vector<std::string> guidelines;
  if (auto section = FindJudgeSection(user, "guidelines")) {
    for (const std::string& line : SplitString(*section, '\n')) {
      std::string_view g = TrimWhitespace(line);
      if (StartsWith(g, "- ") || StartsWith(g, "* ")) g = TrimWhitespace(g.substr(2));
      if (!g.empty()) guidelines.emplace_back(g);
    }
  }
  uint64_t hash = Fnv1a64(request.model);
  hash = Fnv1a64(question, hash);
  hash = Fnv1a64(answer.value_or(""), hash);
  hash = SimMix(SimMix(hash, static_cast<uint64_t>(request.seed.value_or(0))), seed);

  JudgeVerdict verdict;
  if (!answer) {
    verdict.pass = false;
    verdict.rationale = "The answer fails because no answer was provided to judge.";
  } else {
    verdict = JudgeAnswer(question, *answer, guidelines, hash);
  }
  JsonWriter w;
  w.BeginObject();
  w.Field("rationale", verdict.rationale);
  w.Field("verdict", verdict.pass ? "yes" : "no");
  w.EndObject();
  std::string json = w.Take();
  if (!request.response_format_json.empty()) return json;
  uint64_t style = SimMix(hash, 99) % 100;
  if (style < 5) return "```json\n" + json + "\n```";
  if (style < 10) return "Here is my assessment of the answer.\n" + json;
  return json;
}

}  // namespace llmeval
