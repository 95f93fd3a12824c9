#include "scorers/scorer.h"

#include <map>
#include <mutex>

#include "core/strings.h"
#include "scorers/builtin_scorers.h"
#include "scorers/judge.h"

namespace llmeval {
namespace {

struct Registry {
  std::mutex mu;
  ScorerFactoryMap factories;
};

Registry& GetRegistry() {
  static Registry* registry = [] {
    auto* r = new Registry;
    RegisterTextScorers(&r->factories);
    RegisterJsonScorers(&r->factories);
    RegisterRunScorers(&r->factories);
    RegisterTrajectoryScorers(&r->factories);
    RegisterConversationScorers(&r->factories);
    RegisterJudgeScorers(&r->factories);
    return r;
  }();
  return *registry;
}

}  // namespace

Assessment CodeScorer::Score(const ScoringContext& ctx) const {
  if (ctx.errored && !ScoresErroredItems()) {
    return Error("the application call failed: " + (ctx.error.empty() ? std::string("unknown error") : ctx.error));
  }
  return ScoreItem(ctx);
}

Result<std::unique_ptr<Scorer>> MakeScorer(const ScorerSpec& spec) {
  std::string shown_name = spec.name.empty() ? spec.type : spec.name;
  if (spec.type.empty()) return Status::InvalidInput("scorer '" + shown_name + "': missing 'type'");
  ScorerFactory factory;
  std::vector<std::string> known;
  {
    Registry& registry = GetRegistry();
    std::lock_guard<std::mutex> lock(registry.mu);
    auto it = registry.factories.find(spec.type);
    if (it != registry.factories.end()) factory = it->second;
    for (const auto& [type, unused] : registry.factories) known.push_back(type);
  }
  if (!factory) {
    std::string message = "scorer '" + shown_name + "': unknown type '" + spec.type + "'";
    std::string suggestion = SuggestClosest(spec.type, known);
    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
    return Status::InvalidInput(message + "; known types: " + JoinStrings(known, ", "));
  }
  return factory(spec);
}

void RegisterScorerType(std::string type, ScorerFactory factory) {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> lock(registry.mu);
  registry.factories[std::move(type)] = std::move(factory);
}

std::vector<std::string> KnownScorerTypes() {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> lock(registry.mu);
  std::vector<std::string> types;
  for (const auto& [type, unused] : registry.factories) types.push_back(type);
  return types;
}

Assessment JudgeScorer::Score(const ScoringContext& ctx) const {
  if (auto done = Precheck(ctx)) return *done;
  Assessment a = ErrorAssessment(name(), "a judge scorer must be run by the engine, which calls the judge model");
  a.source = AssessmentSource::kLlmJudge;
  return a;
}

ChatRequest JudgeScorer::BuildReaskRequest(const ChatRequest& original, const ChatResponse& bad_reply) const {
  ChatRequest request = original;
  request.messages.push_back(ChatMessage::Assistant(bad_reply.message.content.value_or(bad_reply.refusal)));
  request.messages.push_back(ChatMessage::User(JudgeReaskMessage()));
  return request;
}

Result<JudgeVerdict> JudgeScorer::ParseVerdict(const ChatResponse& reply) const {
  std::string_view content = reply.message.content ? std::string_view(*reply.message.content) : std::string_view();
  if (TrimWhitespace(content).empty() && !reply.refusal.empty()) {
    return Status::InvalidInput("the judge refused: " + reply.refusal);
  }
  return ParseJudgeVerdict(content);
}

Assessment JudgeScorer::Combine(const std::vector<JudgeSampleResult>& samples) const {
  Assessment a;
  a.name = name();
  a.source = AssessmentSource::kLlmJudge;
  a.judge_samples = static_cast<int>(samples.size());
  int yes = 0, no = 0;
  std::string first_error;
  for (const JudgeSampleResult& s : samples) {
    a.judge_input_tokens += s.input_tokens;
    a.judge_output_tokens += s.output_tokens;
    if (s.cost_usd) a.judge_cost_usd = a.judge_cost_usd.value_or(0) + *s.cost_usd;
    if (a.judge_model.empty()) a.judge_model = s.model;
    if (s.verdict) {
      (s.verdict->pass ? yes : no)++;
    } else if (first_error.empty()) {
      first_error = s.error.empty() ? "no verdict" : s.error;
    }
  }
  if (a.judge_model.empty()) a.judge_model = judge_model();
  int valid = yes + no;
  if (valid == 0) {
    a.outcome = AssessmentOutcome::kError;
    a.error = "the judge gave no usable verdict: " + (first_error.empty() ? std::string("no samples") : first_error);
    return a;
  }
  a.score = static_cast<double>(yes) / valid;
  if (yes == no) {
    a.outcome = AssessmentOutcome::kError;
    a.judge_agreement = 0.5;
    a.error = "the judge samples split evenly (" + std::to_string(yes) + " yes, " + std::to_string(no) + " no)";
    return a;
  }
  bool pass = yes > no;
  a.outcome = pass ? AssessmentOutcome::kPass : AssessmentOutcome::kFail;
  a.label = pass ? "yes" : "no";
  a.judge_agreement = static_cast<double>(pass ? yes : no) / valid;
  for (const JudgeSampleResult& s : samples) {
    if (s.verdict && s.verdict->pass == pass) {
      a.rationale = s.verdict->rationale;
      break;
    }
  }
  return a;
}

}  // namespace llmeval
