// ItemTask evaluates one dataset row for one variant and repeat, as a chain of asynchronous steps:
//   render the prompt -> call the model (from the response cache when possible) -> while the reply asks for tools,
//   run them (independent calls concurrently) and call again, up to max_steps -> run the code scorers -> ask each
//   judge (samples, one re-ask on an unparseable verdict) -> hand the finished item, its assessments and its trace to
//   the store writer -> report to `on_done`.
// Every failure (provider, tool, scorer) is recorded on the item; nothing is thrown and the run goes on. Callbacks
// may arrive on any engine thread; the steps of one item never run concurrently except the tool calls of one turn.
#ifndef LLMEVAL_ENGINE_RUN_ITEM_TASK_H_
#define LLMEVAL_ENGINE_RUN_ITEM_TASK_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "datasets/data_row.h"
#include "engine/run/run_context.h"
#include "engine/store/store.h"
#include "tracing/trace_builder.h"

namespace llmeval {

class ItemTask : public std::enable_shared_from_this<ItemTask> {
 public:
  using DoneCallback = std::function<void(const ItemRecord& item)>;

  ItemTask(const RunContext* ctx, const Variant* variant, DataRow row, int repeat, DoneCallback on_done);
  void Start();
  // Scores a stored answer again (`llmeval evaluate`): no model call; `stored` supplies the inputs, output, usage and
  // timing, `tool_calls` the agent's tool calls as recorded in its trace.
  void StartFromStored(const ItemRecord& stored, std::vector<ToolCallRecord> tool_calls);

 private:
  using ReplyCallback = std::function<void(ChatResult result, bool cache_hit)>;

  // Sends `request` through the cache and `provider`; records a chat span under `parent`.
  void Call(ChatProvider* provider, const std::string& provider_key, const std::string& provider_name,
            ChatRequest request, SpanHandle parent, const char* purpose, ReplyCallback done);
  void CallModel();
  // The item's root span (eval_item) with the run, item, variant and repeat attributes.
  void StartItemSpan(int64_t row_index, int repeat);
  void CallTarget();  // engine/run/item_task_target.cc
  void OnModelReply(ChatResult result, bool cache_hit);
  void RunTools(std::vector<ToolCall> calls);
  void FinishAnswer(const std::string& stop_reason);
  // After the answer (and, for a target, once the app's spans are in: engine/run/app_spans.h): score, or finish.
  void AfterAnswer();
  // A target's own spans (engine/run/item_task_target.cc): true when AfterAnswer will run once they are in.
  bool AwaitAppSpans();
  // The tool and model calls found in them, for the scorers.
  void UseAppSpans(std::vector<Span> spans);
  // Conversations (conversation_task.cc): the turn loop around CallModel, for replayed and simulated conversations.
  void StartConversation();
  void OnTurnAnswered();
  void StartTurnSpan();  // Opens `conversation_turn N` unless one is open.
  void NextUserTurn(std::string text);
  void AskSimulator();
  void EndConversation(const std::string& stop_reason);
  void CloseConversation(const std::string& stop_reason);
  // `scope: turn` scorers (turn_scores.cc): scored on every assistant turn of a conversation, each turn with the
  // history before it as its input (a `score NAME turn N` span each), combined as the share of decided turns passing.
  std::vector<ScoringContext> TurnContexts() const;
  Assessment ScoreTurns(const Scorer& scorer, SpanHandle parent);
  // Starts the judge call for turn judge_turn_ (skipping turns the judge does not apply to); false when none is left.
  bool AskJudgeTurn(const JudgeScorer* judge);
  void EndTurnSpan(SpanHandle span, int turn, const std::string& scorer, const Assessment& verdict);
  static Assessment CombineTurns(const std::string& name, const std::vector<Assessment>& turns);

  void ScoreCode();  // From FinishAnswer: fills scoring_, runs the code scorers.
  void NextJudge();
  void AskJudge(const JudgeScorer* judge, int sample, bool reask, ChatRequest request);
  // A judge sample set is combined into `verdict`: the next turn of a `scope: turn` judge, or the judge's assessment.
  void OnJudgeVerdict(const JudgeScorer* judge, Assessment verdict);
  void Finish();

  const RunContext* ctx_;
  const Variant* variant_;
  DataRow row_;
  int repeat_;
  DoneCallback on_done_;

  TraceBuilder trace_;
  SpanHandle root_;
  SpanHandle agent_;
  ItemRecord record_;
  std::map<std::string, std::string> variables_;
  std::vector<ChatMessage> messages_;
  std::vector<ToolCallRecord> tool_records_;
  int steps_ = 0;
  bool app_spans_expected_ = false;  // The target was called with the run's AppSpanSink expecting its spans.
  std::string app_summary_;          // The app's model calls, for the judges' trace context.
  int64_t answer_start_mono_ = 0;
  double latency_ns_ = 0;
  bool any_cache_miss_ = false;
  std::string output_;
  std::vector<AssessmentRow> assessments_;
  ScoringContext scoring_;

  // Conversation progress.
  std::vector<std::string> script_;  // Replay: the user turns still to send, in order.
  size_t script_next_ = 0;
  int turns_ = 0;  // Model answers so far.
  SpanHandle turn_span_;

  // Judge progress.
  size_t judge_index_ = 0;
  int judge_sample_ = 0;
  std::vector<JudgeSampleResult> judge_samples_;
  SpanHandle judge_span_;
  SpanHandle judge_parent_;                        // The judge calls' parent: judge_span_, or the turn's span.
  const ScoringContext* judge_scoring_ = nullptr;  // What the judge sees: &scoring_, or the turn's context.
  std::vector<ScoringContext> judge_turns_;        // A `scope: turn` judge's turns; empty otherwise.
  size_t judge_turn_ = 0;
  std::vector<Assessment> judge_turn_verdicts_;

  std::mutex tools_mu_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_ITEM_TASK_H_
