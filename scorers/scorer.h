// Scorer: the interface every check implements, and the registry that builds scorers from their specs.
//
// A code scorer computes its Assessment in Score(). A judge scorer (LLM-as-judge) does no IO either: it builds the
// judge's ChatRequest, parses the verdict out of the judge's ChatResponse and combines the verdicts of several samples;
// the engine makes the calls (with caching, retries and concurrency). The engine's loop for one item:
//
//   if (auto done = judge.Precheck(ctx)) { record(*done); }        // skipped or errored item: no call
//   else for each sample i in [0, judge.samples()):
//     request = *judge.BuildJudgeRequest(ctx, i); reply = call(request);
//     verdict = judge.ParseVerdict(reply);
//     if (!verdict.ok()) { reply = call(judge.BuildReaskRequest(request, reply)); verdict = judge.ParseVerdict(reply);
//     } samples.push_back({verdict or error, tokens and cost of both calls});
//   record(judge.Combine(samples));
//
// Scorers are immutable after construction: Score() and the judge methods are const and safe to call from several
// threads at once. MakeScorer() and RegisterScorerType() are thread-safe too.
#ifndef LLMEVAL_SCORERS_SCORER_H_
#define LLMEVAL_SCORERS_SCORER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/chat.h"
#include "core/status.h"
#include "scorers/assessment.h"
#include "scorers/scoring_context.h"
#include "scorers/verdict_parser.h"

namespace llmeval {

// How the configuration names one scorer: {name: short_answer, type: word_count, params: {max: 50}}.
struct ScorerSpec {
  std::string name;         // Defaults to `type` when empty.
  std::string type;         // A registered type: "word_count", "guidelines", ...
  std::string params_json;  // A JSON object of parameters; empty means {}.
};

class Scorer {
 public:
  virtual ~Scorer() = default;
  virtual const std::string& name() const = 0;
  virtual bool is_judge() const { return false; }
  // Code scorers compute their assessment here. Judge scorers answer with Precheck()'s result or an error saying that
  // the engine must run them.
  virtual Assessment Score(const ScoringContext& ctx) const = 0;
  // The dataset columns the scorer reads, each with the parameter that names it ({"guidelines_column", "criteria"}),
  // so a run can reject a misspelt column before any call instead of skipping every item.
  virtual std::vector<std::pair<std::string, std::string>> DatasetColumns() const { return {}; }
};

// What the engine hands Combine() for one sample: the verdict (absent when the reply stayed unparseable after the
// re-ask or the call failed; then `error` says why) and the judge's usage for that sample, re-ask included.
struct JudgeSampleResult {
  std::optional<JudgeVerdict> verdict;
  std::string error;
  std::string model;  // The model that answered.
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  std::optional<double> cost_usd;  // Absent when the judge model has no known price.
};

class JudgeScorer : public Scorer {
 public:
  bool is_judge() const override { return true; }
  Assessment Score(const ScoringContext& ctx) const override;

  // The assessment to record without calling the judge (kError for an errored item, kSkipped when the scorer does not
  // apply to this row), or nullopt when the judge must be asked.
  virtual std::optional<Assessment> Precheck(const ScoringContext& ctx) const = 0;

  // The judge request for sample `sample_index` (0..samples()-1); nullopt exactly when Precheck() gives a result.
  virtual std::optional<ChatRequest> BuildJudgeRequest(const ScoringContext& ctx, int sample_index) const = 0;

  // `original` followed by the unparseable reply and a user message asking for ONLY the JSON object.
  virtual ChatRequest BuildReaskRequest(const ChatRequest& original, const ChatResponse& bad_reply) const;

  // Reads the verdict from one judge reply (see verdict_parser.h); InvalidInput when there is none.
  virtual Result<JudgeVerdict> ParseVerdict(const ChatResponse& reply) const;

  // Majority vote over the valid samples, with the share agreeing; tokens and cost summed over all samples. No valid
  // sample, or an even split, gives kError.
  virtual Assessment Combine(const std::vector<JudgeSampleResult>& samples) const;

  virtual int samples() const = 0;
  // The judge model this scorer asks for; "" means the global --judge.
  virtual const std::string& judge_model() const = 0;
};

using ScorerFactory = std::function<Result<std::unique_ptr<Scorer>>(const ScorerSpec& spec)>;

// Builds a scorer from its spec. InvalidInput naming the scorer and the bad or missing parameter, e.g.
//   scorer 'short' (word_count): parameter 'min' must be an integer, got "ten"
// An unknown type gives an error listing the known types.
Result<std::unique_ptr<Scorer>> MakeScorer(const ScorerSpec& spec);

// Registers (or replaces) a scorer type, so configurations can name it. Built-in types are always registered.
//   RegisterScorerType("starts_with_hello", [](const ScorerSpec& spec) -> Result<std::unique_ptr<Scorer>> { ... });
void RegisterScorerType(std::string type, ScorerFactory factory);

// The registered type names, sorted.
std::vector<std::string> KnownScorerTypes();

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_SCORER_H_
