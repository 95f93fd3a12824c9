// Store: the SQLite results store (default .llmeval/llmeval.db). It holds prompt versions and aliases, experiments,
// runs with their prompt x model variants, evaluated items with their assessments, trace spans, and the response
// cache. The schema is versioned (engine/store/store_schema.h) and migrated on open. WAL mode and a busy timeout let
// several llmeval processes use one store at once.
//
// A Store object is one connection: use it from one thread at a time (the run's writer thread owns one; readers open
// their own). Every failure comes back as a Status naming the store path.
#ifndef LLMEVAL_ENGINE_STORE_STORE_H_
#define LLMEVAL_ENGINE_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "engine/store/sqlite_db.h"

namespace llmeval {

struct PromptVersion {
  std::string name;
  int version = 0;
  std::string content;
  std::string sha256;
  int64_t created_unix_ns = 0;
  std::string message;
  std::string git_commit;
  std::vector<std::string> aliases;
};

struct PromptSummary {
  std::string name;
  int latest_version = 0;
  int versions = 0;
  std::vector<std::string> aliases;  // "production=2"
};

struct RunRecord {
  int64_t id = 0;
  std::string experiment;
  std::string name;
  std::string status;  // running, completed, interrupted, failed
  int64_t started_unix_ns = 0;
  int64_t ended_unix_ns = 0;
  std::string params_json = "{}";
  std::string dataset_path;
  std::string dataset_sha256;
  int64_t dataset_rows = 0;
  std::string git_commit;
};

struct VariantRecord {
  int64_t id = 0;
  int64_t run_id = 0;
  std::string prompt_name;
  int prompt_version = 0;
  std::string system_name;
  int system_version = 0;
  std::string addendum_name;
  int addendum_version = 0;
  std::string model;
  std::string Label() const;  // "basic/2 x sim"
};

struct AssessmentRow {
  std::string name;
  std::string outcome;  // pass, fail, error, skipped
  std::optional<double> score;
  std::string label;
  std::string rationale;
  std::string source;  // code, llm_judge, human
  std::string error;
  std::string judge_model;
  int64_t judge_input_tokens = 0;
  int64_t judge_output_tokens = 0;
  std::optional<double> judge_cost_usd;
  int judge_samples = 0;
  std::optional<double> judge_agreement;

  // The name its results are reported under: a human verdict is "<name> (human)", kept apart from the scorer's own
  // verdict of the same name (summaries, exports, baselines, the gate), never replacing it.
  std::string ResultName() const { return source == "human" ? name + " (human)" : name; }
};

struct SpanRow {
  std::string trace_id;
  std::string span_id;
  std::string parent_span_id;
  std::string name;
  int kind = 0;
  int64_t start_unix_ns = 0;
  int64_t end_unix_ns = 0;
  int status = 0;
  std::string status_message;
  std::string attributes_json = "{}";
  std::string events_json = "[]";
};

struct ItemRecord {
  int64_t id = 0;  // Set when read back.
  int64_t run_id = 0;
  int64_t variant_id = 0;
  int64_t row_index = 0;
  int repeat = 0;
  std::string item_key;  // Stable across runs: pairs items for comparison.
  std::string inputs_json = "{}";
  std::string rendered_input;
  std::optional<std::string> output;
  std::string error;
  std::string error_type;
  std::string finish_reason;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t cached_tokens = 0;
  int64_t reasoning_tokens = 0;
  std::optional<double> cost_usd;
  double latency_ms = 0;
  double ttfb_ms = 0;
  bool from_cache = false;
  int model_calls = 0;
  int tool_calls = 0;
  std::string trace_id;
  int64_t started_unix_ns = 0;
  int64_t ended_unix_ns = 0;
  std::vector<AssessmentRow> assessments;
  std::vector<SpanRow> spans;
  std::vector<std::pair<std::string, std::string>> cache_entries;  // key -> response JSON, written with the item.
};

// Identifies one unit of work of a run, for resuming.
struct ItemSlot {
  int64_t variant_id;
  int64_t row_index;
  int repeat;
  bool operator<(const ItemSlot& o) const {
    return std::tie(variant_id, row_index, repeat) < std::tie(o.variant_id, o.row_index, o.repeat);
  }
};

// A cursor over one variant's items in (item_key, repeat, row_index) order, each with its assessments in id order;
// no spans, inputs or output, and only the first `excerpt_chars` characters of the rendered input. SQLite sorts
// through its sorter, which spills to temporary files, so memory does not grow with the run. Several cursors may be
// open on one Store at once (runs compare merges two); the Store must outlive them.
class ItemKeyCursor {
 public:
  // The next item, false at the end.
  Result<bool> Next(ItemRecord* out);

 private:
  friend class Store;
  std::unique_ptr<SqliteStatement> items_;
  std::unique_ptr<SqliteStatement> assessments_;
  bool assessment_ready_ = false;  // assessments_ holds an unread row.
  bool started_ = false;
};

class Store {
 public:
  // Opens or creates the store at `path` (creating its directory) and migrates it to the current schema.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, Clock* clock = Clock::Real());

  const std::string& path() const { return db_->path(); }
  SqliteDb* db() { return db_.get(); }

  // --- Prompt registry (store_prompts.cc) ---
  // Registers `content` as the next version of `name` unless identical content exists, in which case that version
  // comes back and *created is false. Moves the automatic `latest` alias.
  Result<PromptVersion> RegisterPrompt(const std::string& name, const std::string& content, const std::string& message,
                                       const std::string& git_commit, bool* created);
  Result<PromptVersion> GetPromptVersion(const std::string& name, int version);
  // Resolves an alias (including `latest`) to its version.
  Result<PromptVersion> GetPromptByAlias(const std::string& name, const std::string& alias);
  Result<std::vector<PromptVersion>> PromptHistory(const std::string& name);
  Result<std::vector<PromptSummary>> ListPrompts();
  // Points `alias` of `name` at `version`. `latest` is managed automatically and cannot be set.
  Status SetAlias(const std::string& name, const std::string& alias, int version);

  // --- Runs and items (store_runs.cc) ---
  Result<int64_t> CreateRun(const RunRecord& run);
  Result<int64_t> AddVariant(const VariantRecord& variant);
  Status SetRunStatus(int64_t run_id, const std::string& status, bool ended);
  Status UpdateRunDataset(int64_t run_id, const std::string& sha256, int64_t rows);
  Result<RunRecord> GetRun(int64_t run_id);
  Result<std::vector<RunRecord>> ListRuns(int limit);
  Result<std::vector<VariantRecord>> Variants(int64_t run_id);
  Status DeleteRun(int64_t run_id);
  // Calls `fn` with each slot of `run_id` that already has a stored item, holding none of them.
  Status ForEachCompletedSlot(int64_t run_id, const std::function<void(const ItemSlot&)>& fn);
  // Writes items with their assessments and spans in one transaction.
  Status WriteItems(const std::vector<ItemRecord>& items);
  // Items of a run (assessments included, spans not), ordered by variant, row and repeat.
  Result<std::vector<ItemRecord>> Items(int64_t run_id);
  // Streams the items of a run ordered by variant, row and repeat with their assessments, holding one item at a time
  // (memory does not grow with the run). Without `with_text`, the large text columns (inputs, rendered input, output)
  // are left empty.
  Status ForEachItem(int64_t run_id, bool with_text, const std::function<void(const ItemRecord&)>& fn);
  // Up to `limit` items of a run with their text (no assessments, no spans), ordered by variant, row and repeat,
  // starting after the slot `after` (from the first item when null). Paging through a run holds one page at a time
  // and keeps no read transaction open between pages, so a writer's WAL can be checkpointed meanwhile.
  Result<std::vector<ItemRecord>> ItemPage(int64_t run_id, const ItemSlot* after, int limit);
  // See ItemKeyCursor.
  Result<std::unique_ptr<ItemKeyCursor>> ItemsByKey(int64_t run_id, int64_t variant_id, int excerpt_chars);
  // Calls `fn` with the latency of every measured item of a variant (no error, not answered from the cache), in no
  // particular order, holding none of them (no SQL sorter).
  Status ForEachMeasuredLatency(int64_t run_id, int64_t variant_id, const std::function<void(double)>& fn);
  // Runs `fn` in one read transaction, so that the queries it makes see one snapshot of the store even while another
  // connection writes; `fn` must not write. Returns fn's status.
  Status InReadTransaction(const std::function<Status()>& fn);
  // Marks runs left "running" by a process that is gone as interrupted, and closes their open spans as errors.
  Status RecoverAbandonedRuns();

  // --- Response cache (store.cc) ---
  Result<std::optional<std::string>> CacheGet(const std::string& key);
  Status CachePut(const std::string& key, const std::string& response_json);
  struct CacheStats {
    int64_t entries = 0;
    int64_t bytes = 0;           // Of stored responses.
    int64_t oldest_unix_ns = 0;  // 0 when empty.
    int64_t newest_unix_ns = 0;
  };
  Result<CacheStats> GetCacheStats();
  // Deletes the cached responses stored before `before_unix_ns` (every one with INT64_MAX); returns how many.
  Result<int64_t> ClearCache(int64_t before_unix_ns);

  // --- Traces (store_runs.cc) ---
  Result<std::vector<SpanRow>> TraceSpans(const std::string& trace_id);
  // Root spans (one per trace) of `run_id` (0: every run; collected traces are not a run's), newest first, or slowest
  // first when `slowest`. With `scorer` set, only traces whose item has an assessment `scorer` with outcome `outcome`
  // ("fail", "error"...).
  Result<std::vector<SpanRow>> RootSpans(int64_t run_id, bool errors_only, bool slowest, int limit,
                                         const std::string& scorer = "", const std::string& outcome = "");
  // Every span of a run, ordered by trace then start time.
  Result<std::vector<SpanRow>> RunSpans(int64_t run_id);

  // --- Human feedback (store_feedback.cc) ---
  // The item a feedback command names: a trace id (32 hex digits) or an item id (items.id, a number). The record has
  // its ids, run, variant, row, repeat, key and trace id (no output, assessments or spans). NotFound otherwise.
  Result<ItemRecord> FindFeedbackItem(const std::string& trace_or_item_id);
  // Records `assessment` (source human) on item `item_id`, replacing an earlier human assessment of the same name.
  Status AddHumanAssessment(int64_t item_id, const AssessmentRow& assessment);
  // Human assessments of `run_id`, with their items, ordered by item then name.
  struct FeedbackRow {
    int64_t item_id = 0;
    std::string trace_id;
    int64_t variant_id = 0;
    int64_t row_index = 0;
    int repeat = 0;
    AssessmentRow assessment;
    int64_t created_unix_ns = 0;
  };
  Result<std::vector<FeedbackRow>> HumanFeedback(int64_t run_id);

  // --- Report queries (store_report.cc) ---
  // Filters over a run's items (engine/report/report_data.h); empty fields do not filter. Filtering and paging run in
  // SQL.
  struct ItemFilter {
    int64_t variant_id = 0;
    std::string failed_scorer;    // "*": any scorer failed; "NAME (human)": the human verdict of NAME failed.
    bool errors_only = false;     // The item has an error, or one of its assessments errored.
    std::string category_column;  // Normalised input column holding the category ("": no category filter).
    std::string category;
    std::string text;  // ASCII-case-insensitive substring of the rendered input (with the question), output or error.
  };
  struct ItemListRow {
    // Assessments included, no spans; inputs_json is "{}"; rendered_input holds the question (the "question" input,
    // else the rendered input) and output the answer, each cut to at most `excerpt_chars` + 1 characters.
    ItemRecord item;
    std::string category;
  };
  Result<int64_t> CountItems(int64_t run_id, const ItemFilter& filter);
  // A page of matching items ordered by variant, row and repeat.
  Result<std::vector<ItemListRow>> ListItems(int64_t run_id, const ItemFilter& filter, int64_t offset, int64_t limit,
                                             int excerpt_chars);
  // One item with its full texts and assessments (no spans). NotFound naming the id when absent.
  Result<ItemRecord> GetItem(int64_t item_id);
  // Streams the items of a run ordered by variant, row and repeat, with full texts, assessments and, with
  // `with_spans`, the spans of each item's trace in start order. Holds one item at a time.
  Status ForEachItemWithSpans(int64_t run_id, bool with_spans, const std::function<void(const ItemRecord&)>& fn);
  // True when the run's first item (by variant, row, repeat) has the input `column`.
  Result<bool> FirstItemHasInput(int64_t run_id, const std::string& column);
  // Items stored per run, for `run_ids`.
  Result<std::vector<std::pair<int64_t, int64_t>>> ItemCounts(const std::vector<int64_t>& run_ids);
  // (experiment name, number of runs), by name.
  Result<std::vector<std::pair<std::string, int64_t>>> ExperimentRunCounts();
  // A rough upper estimate of the bytes a run's items, assessments and spans take (the store's size times the run's
  // share of the items), for sizing output buffers.
  Result<int64_t> ApproximateRunBytes(int64_t run_id);
  // The largest assessment id in the store (0 when there is none); it moves whenever any verdict is stored.
  Result<int64_t> LastAssessmentId();

 private:
  Store(std::unique_ptr<SqliteDb> db, Clock* clock) : db_(std::move(db)), clock_(clock) {}
  Status Migrate();
  // ForEachItem and ForEachItemWithSpans: items with their assessments (and spans), in item order.
  Status ForEachItemMerged(int64_t run_id, bool with_text, bool with_spans,
                           const std::function<void(const ItemRecord&)>& fn);
  Result<int64_t> ExperimentId(const std::string& name);

  std::unique_ptr<SqliteDb> db_;
  Clock* clock_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_STORE_STORE_H_
