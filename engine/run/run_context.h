// RunContext: everything an evaluated item needs that is shared by the whole run and read-only while it runs: the
// prompt x model variants, the dataset's columns, scorers, providers, tools, the response cache and the writer.
// Built by the Runner before the first item starts; outlives every ItemTask.
#ifndef LLMEVAL_ENGINE_RUN_RUN_CONTEXT_H_
#define LLMEVAL_ENGINE_RUN_RUN_CONTEXT_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/call_gauge.h"
#include "core/chat.h"
#include "core/clock.h"
#include "engine/providers/chat_provider.h"
#include "engine/providers/price_table.h"
#include "engine/run/cpu_executor.h"
#include "engine/run/thread_pool.h"
#include "engine/store/store.h"
#include "engine/store/store_writer.h"
#include "engine/targets/target.h"
#include "engine/tools/tool_executor.h"
#include "prompts/template.h"
#include "scorers/scorer.h"
#include "tracing/id_generator.h"

namespace llmeval {

class AppSpanSink;  // engine/run/app_spans.h

// One prompt x model cell of the grid.
struct Variant {
  VariantRecord record;
  std::optional<Template> user_template;
  std::string system_text;  // The system prompt, with the tools addendum when tools are on; "" for none.
  ChatProvider* provider = nullptr;
  std::string provider_key;  // Identifies provider and endpoint in cache keys ("sim", "openai https://...").
  std::string provider_name;
  std::string api_model;  // The model name sent to the provider.
  // `--target`: the application evaluated in place of a model (provider is null then); engine/targets/target.h.
  Target* target = nullptr;
  bool target_prompt = false;   // The variant renders a prompt the target receives as `prompt`.
  int64_t span_grace_ns = 0;    // How long after its answer the target's own spans still join the item's trace.
  bool wait_for_spans = false;  // Score only once the app's entry span is in (or the grace is over), from item one.
};

// The response cache: reads through a mutex-guarded connection; new entries travel with their item to the writer.
class ResponseCache {
 public:
  explicit ResponseCache(std::unique_ptr<Store> store) : store_(std::move(store)) {}
  std::optional<std::string> Get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    if (lookup_ == nullptr) {
      auto q = store_->db()->Prepare("SELECT response_json FROM response_cache WHERE key = ?");
      if (!q.ok()) return std::nullopt;
      lookup_ = std::move(q.value());
    }
    lookup_->Bind(1, key);
    Result<bool> row = lookup_->Step();
    std::optional<std::string> hit;
    if (row.ok() && *row) hit = lookup_->Text(0);
    lookup_->Reset();
    return hit;
  }

 private:
  std::mutex mu_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SqliteStatement> lookup_;  // Prepared once; declared last so it is finalised first.
};

// Conversation rows (engine/run/conversation_task.cc); `mode` is "" for ordinary rows.
struct ConversationRun {
  std::string mode;  // "as_given", "replay" or "simulate".
  int messages_column = -1;
  int max_turns = 0;  // 0: no limit.
  int persona_column = -1;
  int goal_column = -1;
  std::string stop_phrase;
  bool stop_on_goal = true;
  ChatProvider* simulator = nullptr;  // Who plays the user (simulate).
  std::string simulator_key;
  std::string simulator_name;
  std::string simulator_model;         // As sent to the simulator's provider.
  std::set<std::string> turn_scorers;  // Scorers with `scope: turn`: run on every assistant turn.
};

struct RunContext {
  int64_t run_id = 0;
  std::vector<Variant> variants;
  std::vector<std::string> columns;                    // Normalised dataset column names.
  std::map<std::string, std::string> fixed_variables;  // From the config and --var.
  std::map<std::string, int> placeholder_columns;      // Explicit mapping: placeholder -> column index.
  int id_column = -1;

  std::vector<std::unique_ptr<Scorer>> scorers;
  ChatProvider* judge_provider = nullptr;
  std::string judge_provider_key;
  std::string judge_model;  // As sent to the judge provider.
  std::string judge_provider_name;
  // Judges that name their own model (`judge_model:` in the scorer's config), by scorer name.
  struct JudgeTarget {
    ChatProvider* provider = nullptr;
    std::string provider_key;
    std::string provider_name;
    std::string model;
  };
  std::map<std::string, JudgeTarget> judge_targets;

  std::vector<ToolSpec> tool_specs;  // Empty: tools off.
  const ToolExecutor* tools = nullptr;
  ThreadPool* tool_pool = nullptr;
  CpuExecutor* cpu = nullptr;  // Runs the CPU steps; null: run them on the calling thread.
  int max_steps = 10;
  ConversationRun conversation;

  std::optional<double> temperature;
  std::optional<int64_t> max_tokens;
  std::optional<int64_t> seed;
  bool use_max_completion_tokens = false;
  bool generate_only = false;

  ResponseCache* cache = nullptr;  // Null: --no-cache.
  const PriceTable* prices = nullptr;
  Clock* clock = Clock::Real();
  IdGenerator* ids = nullptr;
  StoreWriter* writer = nullptr;
  // A run with targets: receives the apps' own spans (OTLP) and attaches them to the items' traces; null otherwise.
  AppSpanSink* app_spans = nullptr;

  // Model calls in flight (the providers count them), for the run's summary; mutable: items see a const context.
  mutable CallGauge app_calls;
  mutable CallGauge judge_calls;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_CONTEXT_H_
