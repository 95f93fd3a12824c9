#include "scorers/verdict_parser.h"

#include <simdjson.h>

#include <cctype>
#include <vector>

#include "core/strings.h"
#include "scorers/json_util.h"

namespace llmeval {
namespace {

constexpr std::string_view kVerdictKeys[] = {"verdict", "final_verdict", "result", "judgment", "judgement", "decision",
                                             "pass",    "passed",        "answer", "label",    "grade"};
constexpr std::string_view kRationaleKeys[] = {"rationale",   "reason",        "reasoning",
                                               "explanation", "justification", "comment"};
// Keys looked for in prose ("Verdict: yes"), most specific first.
constexpr std::string_view kProseKeys[] = {"verdict", "final answer", "judgment", "judgement", "decision", "result"};

bool IsTrimChar(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '`' || c == '*' || c == '_' ||
         c == '.' || c == '!' || c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' ||
         c == '#' || c == '>';
}

std::string_view TrimVerdictChars(std::string_view text) {
  while (!text.empty() && IsTrimChar(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsTrimChar(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<bool> MatchWord(std::string_view word) {
  std::string w = AsciiLower(word);
  if (w == "yes" || w == "y" || w == "pass" || w == "passed" || w == "true" || w == "1" || w == "correct") return true;
  if (w == "no" || w == "n" || w == "fail" || w == "failed" || w == "false" || w == "0" || w == "incorrect") {
    return false;
  }
  return std::nullopt;
}

// The leading run of letters and digits of `text` (after verdict trim characters).
std::string_view FirstWord(std::string_view text) {
  text = TrimVerdictChars(text);
  size_t end = 0;
  while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
  return text.substr(0, end);
}

bool KeyIs(std::string_view key, std::string_view wanted) {
  if (key.size() != wanted.size()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    char a = static_cast<char>(std::tolower(static_cast<unsigned char>(key[i])));
    char b = wanted[i];
    if (a == ' ' || a == '-') a = '_';
    if (a != b) return false;
  }
  return true;
}

std::optional<bool> VerdictFromJson(simdjson::dom::element value) {
  if (value.is_bool()) return bool(value);
  if (value.is_int64()) {
    int64_t i = int64_t(value);
    if (i == 0 || i == 1) return i == 1;
    return std::nullopt;
  }
  if (value.is_double()) {
    double d = double(value);
    if (d == 0 || d == 1) return d == 1;
    return std::nullopt;
  }
  if (value.is_string()) return ParseVerdictWord(std::string_view(value));
  return std::nullopt;
}

// Looks for a verdict key in `object`, then in nested objects (depth-limited).
std::optional<JudgeVerdict> VerdictFromObject(simdjson::dom::object object, int depth) {
  for (std::string_view wanted : kVerdictKeys) {
    for (auto field : object) {
      if (!KeyIs(field.key, wanted)) continue;
      std::optional<bool> pass = VerdictFromJson(field.value);
      if (!pass) continue;
      JudgeVerdict verdict;
      verdict.pass = *pass;
      for (std::string_view rationale_key : kRationaleKeys) {
        for (auto r : object) {
          if (verdict.rationale.empty() && KeyIs(r.key, rationale_key) && r.value.is_string()) {
            verdict.rationale = std::string(TrimWhitespace(std::string_view(r.value)));
          }
        }
      }
      return verdict;
    }
  }
  if (depth > 0) {
    for (auto field : object) {
      if (!field.value.is_object()) continue;
      if (auto nested = VerdictFromObject(simdjson::dom::object(field.value), depth - 1)) return nested;
    }
  }
  return std::nullopt;
}

// The end (one past '}') of the balanced object starting at text[start] == '{', or npos.
size_t MatchBrace(std::string_view text, size_t start) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

std::optional<JudgeVerdict> VerdictFromEmbeddedJson(std::string_view text) {
  simdjson::dom::parser parser;
  size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string_view::npos) {
    size_t end = MatchBrace(text, pos);
    if (end == std::string_view::npos) {
      ++pos;
      continue;
    }
    std::string_view candidate = text.substr(pos, end - pos);
    simdjson::dom::element root;
    if (parser.parse(candidate.data(), candidate.size()).get(root) == simdjson::SUCCESS && root.is_object()) {
      if (auto verdict = VerdictFromObject(simdjson::dom::object(root), 2)) return verdict;
      pos = end;
    } else {
      ++pos;
    }
  }
  return std::nullopt;
}

// The value following `key` at `pos` (after optional quotes and ':' or '='), quoted or up to the end of the line.
std::string_view ValueAfterKey(std::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == '"' || text[pos] == '\'' || text[pos] == '*' || text[pos] == ' ')) ++pos;
  if (pos >= text.size() || (text[pos] != ':' && text[pos] != '=')) return {};
  ++pos;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '*')) ++pos;
  if (pos < text.size() && (text[pos] == '"' || text[pos] == '\'')) {
    char quote = text[pos];
    size_t end = text.find(quote, pos + 1);
    return text.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1);
  }
  size_t end = text.find_first_of("\n,}", pos);
  return text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
}

// "Verdict: yes", "**Verdict**: No", "{'verdict': 'yes', 'rationale': '...'}", "verdict=pass".
std::optional<JudgeVerdict> VerdictFromKeyLines(std::string_view text) {
  std::string lower = AsciiLower(text);
  for (std::string_view key : kProseKeys) {
    size_t pos = 0;
    while ((pos = lower.find(key, pos)) != std::string::npos) {
      bool word_start = pos == 0 || !std::isalnum(static_cast<unsigned char>(lower[pos - 1]));
      size_t after = pos + key.size();
      pos = after;
      if (!word_start) continue;
      std::optional<bool> pass = ParseVerdictWord(ValueAfterKey(text, after));
      if (!pass) continue;
      JudgeVerdict verdict;
      verdict.pass = *pass;
      for (std::string_view rationale_key : kRationaleKeys) {
        size_t r = lower.find(rationale_key);
        if (r == std::string::npos) continue;
        std::string_view value = TrimWhitespace(ValueAfterKey(text, r + rationale_key.size()));
        if (!value.empty()) {
          verdict.rationale = std::string(value);
          break;
        }
      }
      return verdict;
    }
  }
  return std::nullopt;
}

// "Yes", "No, because ...", "**PASS** - the answer ...".
std::optional<JudgeVerdict> VerdictFromFirstWord(std::string_view text) {
  std::string_view trimmed = text;  // Trailing punctuation belongs to the rationale.
  while (!trimmed.empty() && IsTrimChar(trimmed.front())) trimmed.remove_prefix(1);
  std::string_view word = FirstWord(trimmed);
  if (word.empty() || std::isdigit(static_cast<unsigned char>(word[0]))) return std::nullopt;
  if (word.size() == 1 && TrimVerdictChars(trimmed).size() != 1) return std::nullopt;  // "N/A" is no verdict.
  std::optional<bool> pass = MatchWord(word);
  if (!pass) return std::nullopt;
  JudgeVerdict verdict;
  verdict.pass = *pass;
  std::string_view rest = trimmed.substr(word.size());
  while (!rest.empty() && (IsTrimChar(rest.front()) || rest.front() == '-')) rest.remove_prefix(1);
  verdict.rationale = std::string(TrimWhitespace(rest));
  return verdict;
}

}  // namespace

std::optional<bool> ParseVerdictWord(std::string_view word) {
  std::string_view trimmed = TrimVerdictChars(word);
  if (auto whole = MatchWord(trimmed)) return whole;
  std::string_view first = FirstWord(trimmed);
  // A lone letter counts only as the whole value: "N/A" is no verdict.
  if (first.size() < 2 || first.size() == trimmed.size()) return std::nullopt;
  return MatchWord(first);
}

Result<JudgeVerdict> ParseJudgeVerdict(std::string_view reply) {
  std::string_view text = TrimWhitespace(reply);
  if (text.empty()) return Status::InvalidInput("the judge reply is empty");
  if (auto verdict = VerdictFromEmbeddedJson(text)) return *verdict;
  if (auto verdict = VerdictFromKeyLines(text)) return *verdict;
  if (auto verdict = VerdictFromFirstWord(text)) return *verdict;
  return Status::InvalidInput("could not find a yes/no verdict in the judge reply: \"" + Excerpt(text, 80) + "\"");
}

}  // namespace llmeval
