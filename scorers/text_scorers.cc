// Built-in text checks on the output: word_count, contains, not_contains, regex, equals.
#include <regex>
#include <string>
#include <vector>

#include "core/strings.h"
#include "scorers/builtin_scorers.h"
#include "scorers/json_util.h"
#include "scorers/scorer_params.h"

namespace llmeval {

namespace {

// word_count {min, max}: the output's whitespace-separated word count lies in [min, max].
class WordCountScorer : public CodeScorer {
 public:
  WordCountScorer(std::string name, std::optional<int64_t> min, std::optional<int64_t> max)
      : CodeScorer(std::move(name)), min_(min), max_(max) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    int64_t words = static_cast<int64_t>(CountWords(ctx.output));
    std::string why = std::to_string(words) + (words == 1 ? " word" : " words");
    Assessment a;
    if (min_ && words < *min_) {
      a = Fail(why + ", fewer than the minimum of " + std::to_string(*min_));
    } else if (max_ && words > *max_) {
      a = Fail(why + ", more than the maximum of " + std::to_string(*max_));
    } else {
      a = Pass(why);
    }
    a.score = static_cast<double>(words);
    return a;
  }

 private:
  std::optional<int64_t> min_, max_;
};

Result<std::unique_ptr<Scorer>> MakeWordCount(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"min", "max"});
  auto min = p.Int("min");
  auto max = p.Int("max");
  if (p.ok() && !min && !max) p.Fail("needs 'min', 'max' or both");
  if (p.ok() && ((min && *min < 0) || (max && *max < 0))) p.Fail("'min' and 'max' must not be negative");
  if (p.ok() && min && max && *min > *max) {
    p.Fail("'min' (" + std::to_string(*min) + ") is greater than 'max' (" + std::to_string(*max) + ")");
  }
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new WordCountScorer(p.name(), min, max));
}

// contains / not_contains {values | value, mode: any|all, case_sensitive (default false)}. not_contains is the
// negation of contains with the same mode: with mode any (the default) it passes when none of the values appear.
class ContainsScorer : public CodeScorer {
 public:
  ContainsScorer(std::string name, std::vector<std::string> values, bool all, bool case_sensitive, bool negate)
      : CodeScorer(std::move(name)),
        values_(std::move(values)),
        all_(all),
        case_sensitive_(case_sensitive),
        negate_(negate) {
    if (!case_sensitive_) {
      for (std::string& v : values_) v = AsciiLower(v);
    }
  }

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    std::string text = case_sensitive_ ? ctx.output : AsciiLower(ctx.output);
    std::vector<std::string> found, missing;
    for (const std::string& v : values_) {
      (text.find(v) != std::string::npos ? found : missing).push_back("\"" + Excerpt(v, 40) + "\"");
    }
    bool contains = all_ ? missing.empty() : !found.empty();
    std::string why;
    if (!found.empty()) why = "found " + JoinStrings(found, ", ");
    if (!missing.empty()) why += std::string(why.empty() ? "" : "; ") + "missing " + JoinStrings(missing, ", ");
    Assessment a = Decide(contains != negate_, why);
    a.score = static_cast<double>(found.size());
    return a;
  }

 private:
  std::vector<std::string> values_;
  bool all_, case_sensitive_, negate_;
};

ScorerFactory MakeContainsFactory(bool negate) {
  return [negate](const ScorerSpec& spec) -> Result<std::unique_ptr<Scorer>> {
    ScorerParams p(spec);
    p.CheckKeys({"values", "value", "mode", "case_sensitive"});
    std::vector<std::string> values;
    if (auto list = p.StringList("values")) values = *list;
    if (auto one = p.String("value")) values.push_back(*one);
    std::string mode = AsciiLower(p.String("mode").value_or("any"));
    bool case_sensitive = p.Bool("case_sensitive").value_or(false);
    if (p.ok() && values.empty()) p.Fail("needs 'values' (a list of strings) or 'value'");
    for (const std::string& v : values) {
      if (p.ok() && v.empty()) p.Fail("'values' must not contain an empty string");
    }
    if (p.ok() && mode != "any" && mode != "all")
      p.Fail("parameter 'mode' must be \"any\" or \"all\", got \"" + mode + "\"");
    if (!p.ok()) return p.status();
    return std::unique_ptr<Scorer>(new ContainsScorer(p.name(), values, mode == "all", case_sensitive, negate));
  };
}

// regex {pattern, flags}: ECMAScript syntax, searched anywhere in the output. Flags: i (ignore case), m (^ and $ match
// at line breaks).
class RegexScorer : public CodeScorer {
 public:
  RegexScorer(std::string name, std::string pattern, std::regex re)
      : CodeScorer(std::move(name)), pattern_(std::move(pattern)), re_(std::move(re)) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    std::smatch match;
    bool found = false;
    try {
      found = std::regex_search(ctx.output, match, re_);
    } catch (const std::regex_error& e) {  // Too complex for std::regex on this output.
      return Error(std::string("could not match /") + Excerpt(pattern_, 40) + "/: " + e.what());
    }
    if (!found) return Fail("no match for /" + Excerpt(pattern_, 40) + "/");
    return Pass("matched \"" + Excerpt(match.str(0), 40) + "\"");
  }

 private:
  std::string pattern_;
  std::regex re_;
};

Result<std::unique_ptr<Scorer>> MakeRegex(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"pattern", "flags"});
  std::string pattern = p.RequireString("pattern");
  std::string flags = p.String("flags").value_or("");
  if (!p.ok()) return p.status();
  auto options = std::regex::ECMAScript;
  for (char f : flags) {
    if (f == 'i') {
      options |= std::regex::icase;
    } else if (f == 'm') {
      options |= std::regex::multiline;
    } else {
      return p.Error(std::string("parameter 'flags' has unknown flag '") + f +
                     "'; known flags: i (ignore case), m (multiline)");
    }
  }
  try {
    std::regex re(pattern, options);
    return std::unique_ptr<Scorer>(new RegexScorer(p.name(), pattern, std::move(re)));
  } catch (const std::regex_error& e) {
    return p.Error("parameter 'pattern' is not a valid regular expression: /" + Excerpt(pattern, 40) +
                   "/: " + e.what());
  }
}

// equals {column (default expected_response), case_sensitive (default true), trim (default true)}: the output equals
// the row's value in `column`. A row whose column is empty is skipped; a row without the column is an error.
class EqualsScorer : public CodeScorer {
 public:
  EqualsScorer(std::string name, std::string column, bool case_sensitive, bool trim)
      : CodeScorer(std::move(name)), column_(std::move(column)), case_sensitive_(case_sensitive), trim_(trim) {}

  std::vector<std::pair<std::string, std::string>> DatasetColumns() const override { return {{"column", column_}}; }

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    auto it = ctx.variables.find(column_);
    if (it == ctx.variables.end()) {
      std::vector<std::string> columns;
      for (const auto& [key, value] : ctx.variables) columns.push_back(key);
      return Error("the row has no column '" + column_ +
                   "' (columns: " + (columns.empty() ? std::string("none") : JoinStrings(columns, ", ")) + ")");
    }
    if (TrimWhitespace(it->second).empty()) return Skip("column '" + column_ + "' is empty in this row");
    std::string expected = Normalize(it->second);
    std::string actual = Normalize(ctx.output);
    if (expected == actual) return Pass("equals column '" + column_ + "'");
    return Fail("expected \"" + Excerpt(it->second, 60) + "\", got \"" + Excerpt(ctx.output, 60) + "\"");
  }

 private:
  std::string Normalize(std::string_view text) const {
    if (trim_) text = TrimWhitespace(text);
    return case_sensitive_ ? std::string(text) : AsciiLower(text);
  }

  std::string column_;
  bool case_sensitive_, trim_;
};

Result<std::unique_ptr<Scorer>> MakeEquals(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"column", "case_sensitive", "trim"});
  std::string column = p.String("column").value_or("expected_response");
  bool case_sensitive = p.Bool("case_sensitive").value_or(true);
  bool trim = p.Bool("trim").value_or(true);
  if (p.ok() && column.empty()) p.Fail("parameter 'column' must not be empty");
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new EqualsScorer(p.name(), column, case_sensitive, trim));
}

}  // namespace

void RegisterTextScorers(ScorerFactoryMap* out) {
  (*out)["word_count"] = MakeWordCount;
  (*out)["contains"] = MakeContainsFactory(false);
  (*out)["not_contains"] = MakeContainsFactory(true);
  (*out)["regex"] = MakeRegex;
  (*out)["equals"] = MakeEquals;
}

}  // namespace llmeval
