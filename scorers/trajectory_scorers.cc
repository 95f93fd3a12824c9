// Trajectory scorers: checks on the path an agent took, from the item's tool calls in order (ScoringContext::
// tool_calls, one "step" per call, numbered from 1).
//  * tool_sequence {column (default expected_tools), mode: exact (default) | in_order | any_order | subset |
//    superset}: the tool names against the expected sequence in a dataset column, written as a JSON array of names
//    (["search", "summarise"]), of calls ([{"name": "search", "args": {"q": "git"}}], the args matched as a JSON
//    subset of each call's arguments, or {"name": ..., "schema": {...}} checked with JSON Schema), or as text
//    ("search, summarise" or "search > summarise"). exact: the same calls in the same order; in_order: the expected
//    calls in order, others allowed between; any_order: the same calls in any order, no others; subset: every call
//    is one of the expected tools; superset: every expected call was made. A failure names the first step that
//    departed from the expected path. Score: the share of expected calls matched.
//  * step_count_max {max}: at most `max` steps.
//  * no_repeated_calls: no call repeats an earlier one (same tool and the same arguments as canonical JSON).
#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/strings.h"
#include "scorers/builtin_scorers.h"
#include "scorers/json_schema.h"
#include "scorers/json_util.h"
#include "scorers/scorer_params.h"

namespace llmeval {
namespace {

struct ExpectedStep {
  std::string name;
  std::string args_json;             // Expected arguments (a JSON subset), or "".
  std::optional<JsonSchema> schema;  // Or a schema for the arguments.
};

std::string StepName(size_t index) { return "step " + std::to_string(index + 1); }

// The expected steps from a column's text; an error message when it cannot be read.
Result<std::vector<ExpectedStep>> ParseExpected(const std::string& text) {
  std::vector<ExpectedStep> steps;
  std::string_view trimmed = TrimWhitespace(text);
  if (StartsWith(trimmed, "[")) {
    simdjson::dom::parser parser;
    simdjson::dom::array array;
    if (parser.parse(trimmed.data(), trimmed.size()).get(array) != simdjson::SUCCESS) {
      return Status::InvalidInput("the expected sequence is not a JSON array");
    }
    for (simdjson::dom::element e : array) {
      ExpectedStep step;
      std::string_view name;
      if (e.get(name) == simdjson::SUCCESS) {
        step.name = std::string(name);
      } else if (e.is_object() && e["name"].get(name) == simdjson::SUCCESS) {
        step.name = std::string(name);
        simdjson::dom::element args;
        if (e["args"].get(args) == simdjson::SUCCESS) step.args_json = CanonicalJson(args);
        simdjson::dom::element schema;
        if (e["schema"].get(schema) == simdjson::SUCCESS) {
          Result<JsonSchema> compiled = JsonSchema::Compile(simdjson::minify(schema));
          if (!compiled.ok())
            return Status::InvalidInput("expected call '" + step.name + "': " + compiled.status().message());
          step.schema = std::move(compiled.value());
        }
      } else {
        return Status::InvalidInput("each expected step must be a tool name or {\"name\": ..., \"args\": {...}}");
      }
      steps.push_back(std::move(step));
    }
    return steps;
  }
  std::string list(trimmed);
  for (char& c : list) {
    if (c == '>' || c == '\n' || c == ';') c = ',';
  }
  for (const std::string& part : SplitString(list, ',')) {
    std::string_view name = TrimWhitespace(part);
    if (!name.empty()) steps.push_back({std::string(name), "", std::nullopt});
  }
  return steps;
}

// Whether `call` is the expected step: the same tool and, when given, matching arguments. *why says what differed.
bool StepMatches(const ExpectedStep& step, const ToolCallRecord& call, std::string* why) {
  if (call.name != step.name) {
    *why = "called '" + call.name + "', expected '" + step.name + "'";
    return false;
  }
  if (!step.args_json.empty()) {
    simdjson::dom::parser p1, p2;
    simdjson::dom::element expected, actual;
    if (p1.parse(step.args_json).get(expected) != simdjson::SUCCESS ||
        p2.parse(call.arguments_json).get(actual) != simdjson::SUCCESS || !JsonSubsetMatch(expected, actual)) {
      *why = "called '" + call.name + "' with " + Excerpt(call.arguments_json, 80) + ", expected arguments " +
             Excerpt(step.args_json, 80);
      return false;
    }
  }
  if (step.schema.has_value()) {
    std::vector<std::string> problems = step.schema->Validate(call.arguments_json, 1);
    if (!problems.empty()) {
      *why = "called '" + call.name + "' with arguments that break the schema: " + problems[0];
      return false;
    }
  }
  return true;
}

class ToolSequenceScorer : public CodeScorer {
 public:
  ToolSequenceScorer(std::string name, std::string column, std::string mode)
      : CodeScorer(std::move(name)), column_(std::move(column)), mode_(std::move(mode)) {}

  std::vector<std::pair<std::string, std::string>> DatasetColumns() const override { return {{"column", column_}}; }

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    auto it = ctx.variables.find(column_);
    if (it == ctx.variables.end() || TrimWhitespace(it->second).empty()) {
      return Skip("no expected sequence in column '" + column_ + "'");
    }
    Result<std::vector<ExpectedStep>> parsed = ParseExpected(it->second);
    if (!parsed.ok()) return Error("column '" + column_ + "': " + parsed.status().message());
    const std::vector<ExpectedStep>& expected = *parsed;
    const std::vector<ToolCallRecord>& calls = ctx.tool_calls;
    std::string actual;
    for (const ToolCallRecord& c : calls) actual += (actual.empty() ? "" : " > ") + c.name;
    std::string path = " (path: " + (actual.empty() ? std::string("no tool calls") : actual) + ")";
    size_t matched = 0;
    std::string failure;
    if (mode_ == "exact") {
      for (size_t i = 0; i < std::max(expected.size(), calls.size()) && failure.empty(); ++i) {
        std::string why;
        if (i >= calls.size()) {
          failure = StepName(i) + ": expected '" + expected[i].name + "', but the agent stopped after " +
                    std::to_string(calls.size()) + " steps";
        } else if (i >= expected.size()) {
          failure = StepName(i) + ": unexpected call '" + calls[i].name + "' after the expected " +
                    std::to_string(expected.size()) + " steps";
        } else if (!StepMatches(expected[i], calls[i], &why)) {
          failure = StepName(i) + ": " + why;
        } else {
          ++matched;
        }
      }
    } else if (mode_ == "in_order") {
      size_t next = 0;  // The next step to look at.
      for (const ExpectedStep& step : expected) {
        std::string why;
        size_t found = next;
        while (found < calls.size() && !StepMatches(step, calls[found], &why)) ++found;
        if (found == calls.size()) {
          std::string expect = "expected '" + step.name + "' (expected call " + std::to_string(matched + 1) + ")";
          if (next < calls.size()) {
            failure = StepName(next) + ": " + expect + " at or after this step, but it was never made";
          } else if (next == 0) {
            failure = "step 1: " + expect + ", but the agent made no tool call";
          } else {
            failure = "after " + StepName(next - 1) + ": " + expect + ", but the agent made no further matching call";
          }
          break;
        }
        ++matched;
        next = found + 1;
      }
    } else {
      // any_order, subset, superset: match each call to an unused expected step.
      std::vector<bool> used(expected.size(), false);
      std::optional<size_t> extra;
      for (size_t i = 0; i < calls.size(); ++i) {
        bool hit = false;
        for (size_t k = 0; k < expected.size() && !hit; ++k) {
          std::string why;
          bool reusable = mode_ == "subset";  // subset: the expected tools may be called any number of times.
          if ((reusable || !used[k]) && StepMatches(expected[k], calls[i], &why)) {
            if (!used[k]) ++matched;
            used[k] = hit = true;
          }
        }
        if (!hit && !extra.has_value()) extra = i;
      }
      std::optional<size_t> missing;
      for (size_t k = 0; k < expected.size() && !missing; ++k) {
        if (!used[k]) missing = k;
      }
      if (extra.has_value() && mode_ != "superset") {
        failure = StepName(*extra) + ": '" + calls[*extra].name + "' is not " +
                  (mode_ == "subset" ? "one of the expected tools" : "an expected call (or is one too many)");
      } else if (missing.has_value() && mode_ != "subset") {
        failure = "expected call '" + expected[*missing].name + "' was never made";
      }
      if (mode_ == "subset") matched = expected.size();  // Not calling a tool is fine for a subset.
    }
    Assessment a = failure.empty()
                       ? Pass(mode_ + " match of " + std::to_string(expected.size()) + " expected calls" + path)
                       : Fail(failure + path);
    a.score = expected.empty() ? 1.0 : static_cast<double>(matched) / static_cast<double>(expected.size());
    return a;
  }

 private:
  std::string column_;
  std::string mode_;
};

Result<std::unique_ptr<Scorer>> MakeToolSequence(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"column", "mode"});
  std::string column = p.String("column").value_or("expected_tools");
  std::string mode = AsciiLower(p.String("mode").value_or("exact"));
  if (p.ok() && mode != "exact" && mode != "in_order" && mode != "any_order" && mode != "subset" &&
      mode != "superset") {
    p.Fail("parameter 'mode' must be exact, in_order, any_order, subset or superset, got \"" + mode + "\"");
  }
  if (p.ok() && column.empty()) p.Fail("parameter 'column' must not be empty");
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new ToolSequenceScorer(p.name(), column, mode));
}

class StepCountMaxScorer : public CodeScorer {
 public:
  StepCountMaxScorer(std::string name, int64_t max) : CodeScorer(std::move(name)), max_(max) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    int64_t steps = static_cast<int64_t>(ctx.tool_calls.size());
    Assessment a = steps <= max_ ? Pass(std::to_string(steps) + " steps, at most " + std::to_string(max_))
                                 : Fail(StepName(static_cast<size_t>(max_)) + " ('" + ctx.tool_calls[max_].name +
                                        "') went past the limit: " + std::to_string(steps) + " steps, at most " +
                                        std::to_string(max_));
    a.score = static_cast<double>(steps);
    return a;
  }

 private:
  int64_t max_;
};

Result<std::unique_ptr<Scorer>> MakeStepCountMax(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"max"});
  int64_t max = p.RequireInt("max");
  if (p.ok() && max < 0) p.Fail("parameter 'max' must not be negative");
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new StepCountMaxScorer(p.name(), max));
}

class NoRepeatedCallsScorer : public CodeScorer {
 public:
  using CodeScorer::CodeScorer;

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    std::vector<std::string> seen;
    simdjson::dom::parser parser;
    for (size_t i = 0; i < ctx.tool_calls.size(); ++i) {
      const ToolCallRecord& call = ctx.tool_calls[i];
      simdjson::dom::element args;
      std::string key = call.name + "\n" +
                        (parser.parse(call.arguments_json).get(args) == simdjson::SUCCESS ? CanonicalJson(args)
                                                                                          : call.arguments_json);
      auto earlier = std::find(seen.begin(), seen.end(), key);
      if (earlier != seen.end()) {
        return Fail(StepName(i) + " repeats " + StepName(static_cast<size_t>(earlier - seen.begin())) + ": " +
                    call.name + "(" + Excerpt(call.arguments_json, 80) + ")");
      }
      seen.push_back(std::move(key));
    }
    return Pass(std::to_string(seen.size()) + " calls, none repeated");
  }
};

Result<std::unique_ptr<Scorer>> MakeNoRepeatedCalls(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({});
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new NoRepeatedCallsScorer(p.name()));
}

}  // namespace

void RegisterTrajectoryScorers(ScorerFactoryMap* out) {
  (*out)["tool_sequence"] = MakeToolSequence;
  (*out)["step_count_max"] = MakeStepCountMax;
  (*out)["no_repeated_calls"] = MakeNoRepeatedCalls;
}

}  // namespace llmeval
