// Built-in checks on how the application call went: latency_max, cost_max, token_count_max, tool_called,
// tool_args_match, no_error, finish_reason.
#include <simdjson.h>

#include <cstdio>
#include <regex>

#include "core/strings.h"
#include "scorers/builtin_scorers.h"
#include "scorers/json_schema.h"
#include "scorers/json_util.h"
#include "scorers/scorer_params.h"

namespace llmeval {
namespace {

std::string FormatUsd(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "$%.6g", usd);
  return buf;
}

// latency_max {ms}: the call took at most `ms` milliseconds. Score: the latency in ms.
class LatencyMaxScorer : public CodeScorer {
 public:
  LatencyMaxScorer(std::string name, int64_t max_ms) : CodeScorer(std::move(name)), max_ms_(max_ms) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    Assessment a = Decide(ctx.latency_ms <= max_ms_,
                          std::to_string(ctx.latency_ms) + " ms (limit " + std::to_string(max_ms_) + " ms)");
    a.score = static_cast<double>(ctx.latency_ms);
    return a;
  }

 private:
  int64_t max_ms_;
};

Result<std::unique_ptr<Scorer>> MakeLatencyMax(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"ms"});
  int64_t ms = p.RequireInt("ms");
  if (p.ok() && ms < 0) p.Fail("parameter 'ms' must not be negative");
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new LatencyMaxScorer(p.name(), ms));
}

// cost_max {usd}: the call cost at most `usd`. Skipped when the cost is unknown (a model without a price).
class CostMaxScorer : public CodeScorer {
 public:
  CostMaxScorer(std::string name, double max_usd) : CodeScorer(std::move(name)), max_usd_(max_usd) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    if (!ctx.cost_usd) return Skip("the cost of this call is unknown (no price for the model)");
    Assessment a = Decide(*ctx.cost_usd <= max_usd_, FormatUsd(*ctx.cost_usd) + " (limit " + FormatUsd(max_usd_) + ")");
    a.score = *ctx.cost_usd;
    return a;
  }

 private:
  double max_usd_;
};

Result<std::unique_ptr<Scorer>> MakeCostMax(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"usd"});
  if (p.ok() && !p.Has("usd")) p.Fail("missing required parameter 'usd'");
  double usd = p.Number("usd").value_or(0);
  if (p.ok() && usd < 0) p.Fail("parameter 'usd' must not be negative");
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new CostMaxScorer(p.name(), usd));
}

// token_count_max {max, which: output|input|total (default output)}.
class TokenCountMaxScorer : public CodeScorer {
 public:
  TokenCountMaxScorer(std::string name, int64_t max, std::string which)
      : CodeScorer(std::move(name)), max_(max), which_(std::move(which)) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    int64_t tokens = which_ == "input"   ? ctx.input_tokens
                     : which_ == "total" ? ctx.input_tokens + ctx.output_tokens
                                         : ctx.output_tokens;
    Assessment a =
        Decide(tokens <= max_, std::to_string(tokens) + " " + which_ + " tokens (limit " + std::to_string(max_) + ")");
    a.score = static_cast<double>(tokens);
    return a;
  }

 private:
  int64_t max_;
  std::string which_;
};

Result<std::unique_ptr<Scorer>> MakeTokenCountMax(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"max", "which"});
  int64_t max = p.RequireInt("max");
  std::string which = AsciiLower(p.String("which").value_or("output"));
  if (p.ok() && max < 0) p.Fail("parameter 'max' must not be negative");
  if (p.ok() && which != "output" && which != "input" && which != "total") {
    p.Fail("parameter 'which' must be \"output\", \"input\" or \"total\", got \"" + which + "\"");
  }
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new TokenCountMaxScorer(p.name(), max, which));
}

// tool_called {tool or name (default: any tool), min (default 1), max}: the number of calls lies in [min, max].
class ToolCalledScorer : public CodeScorer {
 public:
  ToolCalledScorer(std::string name, std::string tool, int64_t min, std::optional<int64_t> max)
      : CodeScorer(std::move(name)), tool_(std::move(tool)), min_(min), max_(max) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    int64_t calls = 0;
    for (const ToolCallRecord& call : ctx.tool_calls) calls += tool_.empty() || call.name == tool_;
    std::string what = tool_.empty() ? std::string("tools were") : "'" + tool_ + "' was";
    std::string why = what + " called " + std::to_string(calls) + (calls == 1 ? " time" : " times");
    Assessment a;
    if (calls < min_) {
      a = Fail(why + ", expected at least " + std::to_string(min_));
    } else if (max_ && calls > *max_) {
      a = Fail(why + ", expected at most " + std::to_string(*max_));
    } else {
      a = Pass(why);
    }
    a.score = static_cast<double>(calls);
    return a;
  }

 private:
  std::string tool_;
  int64_t min_;
  std::optional<int64_t> max_;
};

Result<std::unique_ptr<Scorer>> MakeToolCalled(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"name", "tool", "min", "max"});
  // `tool:` in llmeval.yaml (where `name:` names the scorer itself); `name` in a scorer spec.
  std::string tool = p.String("tool").value_or(p.String("name").value_or(""));
  int64_t min = p.Int("min").value_or(1);
  auto max = p.Int("max");
  if (p.ok() && (min < 0 || (max && *max < 0))) p.Fail("'min' and 'max' must not be negative");
  if (p.ok() && max && min > *max) {
    p.Fail("'min' (" + std::to_string(min) + ") is greater than 'max' (" + std::to_string(*max) + ")");
  }
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new ToolCalledScorer(p.name(), tool, min, max));
}

// tool_args_match {tool or name, args: {key: value, ...} | pattern | schema}: some call of tool `name` has arguments
// containing `args` (a recursive subset match), whose arguments JSON text matches the regex `pattern`, and/or that
// satisfy the JSON Schema `schema` (scorers/json_schema.h).
class ToolArgsMatchScorer : public CodeScorer {
 public:
  ToolArgsMatchScorer(std::string name, std::string tool, std::string args_json, std::optional<std::regex> pattern,
                      std::optional<JsonSchema> schema)
      : CodeScorer(std::move(name)),
        tool_(std::move(tool)),
        args_json_(std::move(args_json)),
        pattern_(std::move(pattern)),
        schema_(std::move(schema)) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    simdjson::dom::parser expected_parser;
    simdjson::dom::element expected;
    if (!args_json_.empty() && expected_parser.parse(args_json_).get(expected) != simdjson::SUCCESS) {
      return Error("internal: the expected arguments no longer parse");
    }
    int calls = 0;
    std::string last_args;
    for (const ToolCallRecord& call : ctx.tool_calls) {
      if (call.name != tool_) continue;
      ++calls;
      last_args = call.arguments_json;
      if (Matches(call.arguments_json, expected)) {
        return Pass("'" + tool_ + "' called with " + Excerpt(call.arguments_json, 80));
      }
    }
    if (calls == 0) return Fail("'" + tool_ + "' was not called");
    return Fail("no call of '" + tool_ + "' had matching arguments (last: " + Excerpt(last_args, 80) + ")");
  }

 private:
  bool Matches(const std::string& arguments_json, simdjson::dom::element expected) const {
    if (pattern_) {
      try {
        if (!std::regex_search(arguments_json, *pattern_)) return false;
      } catch (const std::regex_error&) {
        return false;
      }
    }
    if (schema_.has_value() && !schema_->Validate(arguments_json, 1).empty()) return false;
    if (args_json_.empty()) return true;
    simdjson::dom::parser parser;
    simdjson::dom::element actual;
    if (parser.parse(arguments_json).get(actual) != simdjson::SUCCESS) return false;
    return JsonSubsetMatch(expected, actual);
  }

  std::string tool_;
  std::string args_json_;  // Empty when only the pattern is checked.
  std::optional<std::regex> pattern_;
  std::optional<JsonSchema> schema_;
};

Result<std::unique_ptr<Scorer>> MakeToolArgsMatch(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"name", "tool", "args", "pattern", "schema"});
  std::string tool = p.String("tool").has_value() ? *p.String("tool") : p.RequireString("name");
  auto args = p.Element("args");
  auto pattern = p.String("pattern");
  auto schema_element = p.Element("schema");
  if (p.ok() && !args && !pattern && !schema_element) {
    p.Fail("needs 'args' (an object of expected arguments), 'pattern' or 'schema'");
  }
  std::optional<JsonSchema> schema;
  if (p.ok() && schema_element) {
    Result<JsonSchema> compiled = JsonSchema::Compile(simdjson::minify(*schema_element));
    if (!compiled.ok()) return p.Error("parameter 'schema': " + compiled.status().message());
    schema.emplace(std::move(compiled.value()));
  }
  if (p.ok() && args && !args->is_object()) p.Fail("parameter 'args' must be an object of expected arguments");
  if (!p.ok()) return p.status();
  std::optional<std::regex> re;
  if (pattern) {
    try {
      re.emplace(*pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return p.Error("parameter 'pattern' is not a valid regular expression: /" + Excerpt(*pattern, 40) +
                     "/: " + e.what());
    }
  }
  std::string args_json = args ? CanonicalJson(*args) : "";
  return std::unique_ptr<Scorer>(new ToolArgsMatchScorer(p.name(), tool, args_json, std::move(re), std::move(schema)));
}

// no_error: the application call succeeded.
class NoErrorScorer : public CodeScorer {
 public:
  using CodeScorer::CodeScorer;

 protected:
  bool ScoresErroredItems() const override { return true; }
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    if (ctx.errored) return Fail(ctx.error.empty() ? std::string("the call failed") : ctx.error);
    return Pass();
  }
};

Result<std::unique_ptr<Scorer>> MakeNoError(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({});
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new NoErrorScorer(p.name()));
}

// finish_reason {expected: "stop" (default) or a list}: the call ended for an expected reason.
class FinishReasonScorer : public CodeScorer {
 public:
  FinishReasonScorer(std::string name, std::vector<std::string> expected)
      : CodeScorer(std::move(name)), expected_(std::move(expected)) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    for (const std::string& e : expected_) {
      if (ctx.finish_reason == e) return Pass("finish reason \"" + e + "\"");
    }
    return Fail("finish reason \"" + ctx.finish_reason + "\", expected \"" + JoinStrings(expected_, "\" or \"") + "\"");
  }

 private:
  std::vector<std::string> expected_;
};

Result<std::unique_ptr<Scorer>> MakeFinishReason(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"expected"});
  std::vector<std::string> expected = p.StringList("expected").value_or(std::vector<std::string>{"stop"});
  if (p.ok() && expected.empty()) p.Fail("parameter 'expected' must name at least one finish reason");
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new FinishReasonScorer(p.name(), expected));
}

}  // namespace

void RegisterRunScorers(ScorerFactoryMap* out) {
  (*out)["latency_max"] = MakeLatencyMax;
  (*out)["cost_max"] = MakeCostMax;
  (*out)["token_count_max"] = MakeTokenCountMax;
  (*out)["tool_called"] = MakeToolCalled;
  (*out)["tool_args_match"] = MakeToolArgsMatch;
  (*out)["no_error"] = MakeNoError;
  (*out)["finish_reason"] = MakeFinishReason;
}

}  // namespace llmeval
