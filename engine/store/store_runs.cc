// The runs half of Store: runs, their prompt x model variants, items with assessments and spans.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <tuple>

#include "engine/store/store.h"
#include "engine/store/store_rows.h"

namespace llmeval {
namespace {

constexpr char kSelectRun[] =
    "SELECT r.id, e.name, r.name, r.status, r.started_unix_ns, COALESCE(r.ended_unix_ns, 0), r.params_json, "
    "r.dataset_path, r.dataset_sha256, r.dataset_rows, r.git_commit FROM runs r JOIN experiments e ON "
    "e.id = r.experiment_id ";

RunRecord ReadRun(const SqliteStatement& q) {
  RunRecord r;
  r.id = q.Int(0);
  r.experiment = q.Text(1);
  r.name = q.Text(2);
  r.status = q.Text(3);
  r.started_unix_ns = q.Int(4);
  r.ended_unix_ns = q.Int(5);
  r.params_json = q.Text(6);
  r.dataset_path = q.Text(7);
  r.dataset_sha256 = q.Text(8);
  r.dataset_rows = q.Int(9);
  r.git_commit = q.Text(10);
  return r;
}

}  // namespace

Result<int64_t> Store::CreateRun(const RunRecord& run) {
  Result<int64_t> experiment = ExperimentId(run.experiment.empty() ? "default" : run.experiment);
  if (!experiment.ok()) return experiment.status();
  auto q = db_->Prepare(
      "INSERT INTO runs (experiment_id, name, status, started_unix_ns, params_json, dataset_path, dataset_sha256, "
      "dataset_rows, git_commit, pid) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return q.status();
  Status s = (*q)->Bind(1, *experiment)
                 .Bind(2, run.name)
                 .Bind(3, clock_->NowUnixNanos())
                 .Bind(4, run.params_json)
                 .Bind(5, run.dataset_path)
                 .Bind(6, run.dataset_sha256)
                 .Bind(7, run.dataset_rows)
                 .Bind(8, run.git_commit)
                 .Bind(9, static_cast<int64_t>(getpid()))
                 .Run();
  if (!s.ok()) return s;
  return db_->LastInsertRowId();
}

Result<int64_t> Store::AddVariant(const VariantRecord& v) {
  auto q = db_->Prepare(
      "INSERT INTO variants (run_id, prompt_name, prompt_version, system_name, system_version, addendum_name, "
      "addendum_version, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return q.status();
  Status s = (*q)->Bind(1, v.run_id)
                 .Bind(2, v.prompt_name)
                 .Bind(3, v.prompt_version)
                 .Bind(4, v.system_name)
                 .Bind(5, v.system_version)
                 .Bind(6, v.addendum_name)
                 .Bind(7, v.addendum_version)
                 .Bind(8, v.model)
                 .Run();
  if (!s.ok()) return s;
  return db_->LastInsertRowId();
}

Status Store::SetRunStatus(int64_t run_id, const std::string& status, bool ended) {
  auto q = db_->Prepare(ended ? "UPDATE runs SET status = ?, ended_unix_ns = ?, pid = ? WHERE id = ?"
                              : "UPDATE runs SET status = ?, ended_unix_ns = NULL, pid = ? WHERE id = ?");
  if (!q.ok()) return q.status();
  if (ended) {
    return (*q)->Bind(1, status).Bind(2, clock_->NowUnixNanos()).Bind(3, int64_t{0}).Bind(4, run_id).Run();
  }
  return (*q)->Bind(1, status).Bind(2, static_cast<int64_t>(getpid())).Bind(3, run_id).Run();
}

Status Store::UpdateRunDataset(int64_t run_id, const std::string& sha256, int64_t rows) {
  auto q = db_->Prepare("UPDATE runs SET dataset_sha256 = ?, dataset_rows = ? WHERE id = ?");
  if (!q.ok()) return q.status();
  return (*q)->Bind(1, sha256).Bind(2, rows).Bind(3, run_id).Run();
}

Result<RunRecord> Store::GetRun(int64_t run_id) {
  auto q = db_->Prepare(std::string(kSelectRun) + "WHERE r.id = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id);
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return Status::NotFound("no run " + std::to_string(run_id) + " in " + path() + " (see: llmeval runs list)");
  return ReadRun(**q);
}

Result<std::vector<RunRecord>> Store::ListRuns(int limit) {
  auto q = db_->Prepare(std::string(kSelectRun) + "ORDER BY r.id DESC LIMIT ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, static_cast<int64_t>(limit));
  std::vector<RunRecord> runs;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    runs.push_back(ReadRun(**q));
  }
  return runs;
}

Result<std::vector<VariantRecord>> Store::Variants(int64_t run_id) {
  auto q = db_->Prepare(
      "SELECT id, run_id, prompt_name, prompt_version, system_name, system_version, addendum_name, addendum_version, "
      "model FROM variants WHERE run_id = ? ORDER BY id");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id);
  std::vector<VariantRecord> variants;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    VariantRecord v;
    v.id = (*q)->Int(0);
    v.run_id = (*q)->Int(1);
    v.prompt_name = (*q)->Text(2);
    v.prompt_version = static_cast<int>((*q)->Int(3));
    v.system_name = (*q)->Text(4);
    v.system_version = static_cast<int>((*q)->Int(5));
    v.addendum_name = (*q)->Text(6);
    v.addendum_version = static_cast<int>((*q)->Int(7));
    v.model = (*q)->Text(8);
    variants.push_back(std::move(v));
  }
  return variants;
}

Status Store::DeleteRun(int64_t run_id) {
  Result<RunRecord> run = GetRun(run_id);
  if (!run.ok()) return run.status();
  Status s = db_->Begin();
  if (!s.ok()) return s;
  for (const char* sql : {"DELETE FROM spans WHERE run_id = ?", "DELETE FROM runs WHERE id = ?"}) {
    auto q = db_->Prepare(sql);
    s = q.ok() ? (*q)->Bind(1, run_id).Run() : q.status();
    if (!s.ok()) {
      db_->Rollback();
      return s;
    }
  }
  return db_->Commit();
}

Status Store::ForEachCompletedSlot(int64_t run_id, const std::function<void(const ItemSlot&)>& fn) {
  auto q = db_->Prepare("SELECT variant_id, row_index, repeat FROM items WHERE run_id = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id);
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    fn(ItemSlot{(*q)->Int(0), (*q)->Int(1), static_cast<int>((*q)->Int(2))});
  }
  return Status::OK();
}

Status Store::WriteItems(const std::vector<ItemRecord>& items) {
  if (items.empty()) return Status::OK();
  Status s = db_->Begin();
  if (!s.ok()) return s;
  auto item_q = db_->Prepare(
      "INSERT OR IGNORE INTO items (run_id, variant_id, row_index, repeat, item_key, inputs_json, rendered_input, "
      "output, error, error_type, finish_reason, input_tokens, output_tokens, cached_tokens, reasoning_tokens, "
      "cost_usd, latency_ms, ttfb_ms, from_cache, model_calls, tool_calls, trace_id, started_unix_ns, ended_unix_ns) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto assessment_q = db_->Prepare(
      "INSERT INTO assessments (item_id, name, outcome, score, label, rationale, source, error, judge_model, "
      "judge_input_tokens, judge_output_tokens, judge_cost_usd, judge_samples, judge_agreement, created_unix_ns) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto span_q = db_->Prepare(
      "INSERT OR REPLACE INTO spans (trace_id, span_id, parent_span_id, run_id, name, kind, start_unix_ns, "
      "end_unix_ns, status, status_message, attributes_json, events_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!item_q.ok() || !assessment_q.ok() || !span_q.ok()) {
    db_->Rollback();
    return !item_q.ok() ? item_q.status() : !assessment_q.ok() ? assessment_q.status() : span_q.status();
  }
  auto cache_q =
      db_->Prepare("INSERT OR REPLACE INTO response_cache (key, response_json, created_unix_ns) VALUES (?, ?, ?)");
  if (!cache_q.ok()) {
    db_->Rollback();
    return cache_q.status();
  }
  int64_t now = clock_->NowUnixNanos();
  for (const ItemRecord& item : items) {
    for (const auto& [key, json] : item.cache_entries) {
      s = (*cache_q)->BindView(1, key).BindView(2, json).Bind(3, now).Run();
      if (!s.ok()) break;
    }
    if (!s.ok()) break;
    SqliteStatement& q = **item_q;
    q.Bind(1, item.run_id)
        .Bind(2, item.variant_id)
        .Bind(3, item.row_index)
        .Bind(4, item.repeat)
        .BindView(5, item.item_key)
        .BindView(6, item.inputs_json)
        .BindView(7, item.rendered_input);
    if (item.output.has_value())
      q.BindView(8, *item.output);
    else
      q.BindNull(8);
    if (item.error.empty())
      q.BindNull(9);
    else
      q.BindView(9, item.error);
    if (item.error_type.empty())
      q.BindNull(10);
    else
      q.BindView(10, item.error_type);
    q.BindView(11, item.finish_reason)
        .Bind(12, item.input_tokens)
        .Bind(13, item.output_tokens)
        .Bind(14, item.cached_tokens)
        .Bind(15, item.reasoning_tokens)
        .Bind(16, item.cost_usd)
        .Bind(17, item.latency_ms)
        .Bind(18, item.ttfb_ms)
        .Bind(19, item.from_cache ? 1 : 0)
        .Bind(20, item.model_calls)
        .Bind(21, item.tool_calls)
        .BindView(22, item.trace_id)
        .Bind(23, item.started_unix_ns)
        .Bind(24, item.ended_unix_ns);
    s = q.Run();
    if (!s.ok()) break;
    if (db_->Changes() == 0) continue;  // Already stored (a resumed run): never duplicate an item.
    int64_t item_id = db_->LastInsertRowId();
    for (const AssessmentRow& a : item.assessments) {
      s = (*assessment_q)
              ->Bind(1, item_id)
              .BindView(2, a.name)
              .BindView(3, a.outcome)
              .Bind(4, a.score)
              .BindView(5, a.label)
              .BindView(6, a.rationale)
              .BindView(7, a.source)
              .BindView(8, a.error)
              .BindView(9, a.judge_model)
              .Bind(10, a.judge_input_tokens)
              .Bind(11, a.judge_output_tokens)
              .Bind(12, a.judge_cost_usd)
              .Bind(13, a.judge_samples)
              .Bind(14, a.judge_agreement)
              .Bind(15, now)
              .Run();
      if (!s.ok()) break;
    }
    if (!s.ok()) break;
    for (const SpanRow& sp : item.spans) {
      s = (*span_q)
              ->BindView(1, sp.trace_id)
              .BindView(2, sp.span_id)
              .BindView(3, sp.parent_span_id)
              .Bind(4, item.run_id)
              .BindView(5, sp.name)
              .Bind(6, sp.kind)
              .Bind(7, sp.start_unix_ns)
              .Bind(8, sp.end_unix_ns)
              .Bind(9, sp.status)
              .BindView(10, sp.status_message)
              .BindView(11, sp.attributes_json)
              .BindView(12, sp.events_json)
              .Run();
      if (!s.ok()) break;
    }
    if (!s.ok()) break;
  }
  if (!s.ok()) {
    db_->Rollback();
    return s;
  }
  return db_->Commit();
}

Result<std::vector<ItemRecord>> Store::Items(int64_t run_id) {
  std::vector<ItemRecord> items;
  Status s = ForEachItem(run_id, true, [&](const ItemRecord& item) { items.push_back(item); });
  if (!s.ok()) return s;
  std::sort(items.begin(), items.end(), [](const ItemRecord& x, const ItemRecord& y) {
    return std::tie(x.variant_id, x.row_index, x.repeat) < std::tie(y.variant_id, y.row_index, y.repeat);
  });
  return items;
}

Status Store::ForEachItem(int64_t run_id, bool with_text, const std::function<void(const ItemRecord&)>& fn) {
  return ForEachItemMerged(run_id, with_text, false, fn);
}

Result<std::vector<ItemRecord>> Store::ItemPage(int64_t run_id, const ItemSlot* after, int limit) {
  // The row-value comparison walks the unique (run_id, variant_id, row_index, repeat) index from `after` on.
  auto q = db_->Prepare(SelectItems("i.inputs_json, i.rendered_input, i.output") + "FROM items i WHERE i.run_id = ?" +
                        (after != nullptr ? " AND (i.variant_id, i.row_index, i.repeat) > (?, ?, ?)" : "") +
                        " ORDER BY i.variant_id, i.row_index, i.repeat LIMIT ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id);
  int next = 2;
  if (after != nullptr) {
    (*q)->Bind(2, after->variant_id).Bind(3, after->row_index).Bind(4, static_cast<int64_t>(after->repeat));
    next = 5;
  }
  (*q)->Bind(next, static_cast<int64_t>(limit));
  std::vector<ItemRecord> items;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    items.push_back(ReadItem(**q));
  }
  return items;
}

Result<std::unique_ptr<ItemKeyCursor>> Store::ItemsByKey(int64_t run_id, int64_t variant_id, int excerpt_chars) {
  constexpr char kOrder[] = " ORDER BY i.item_key, i.repeat, i.row_index";
  auto cursor = std::make_unique<ItemKeyCursor>();
  auto q = db_->Prepare(SelectItems("'{}', substr(i.rendered_input, 1, " + std::to_string(excerpt_chars) + "), NULL") +
                        "FROM items i WHERE i.run_id = ? AND i.variant_id = ?" + kOrder);
  if (!q.ok()) return q.status();
  auto a = db_->Prepare(std::string("SELECT ") + kAssessmentColumns +
                        "FROM assessments a JOIN items i ON i.id = a.item_id WHERE i.run_id = ? AND i.variant_id = ?" +
                        kOrder + ", a.id");
  if (!a.ok()) return a.status();
  (*q)->Bind(1, run_id).Bind(2, variant_id);
  (*a)->Bind(1, run_id).Bind(2, variant_id);
  cursor->items_ = std::move(q.value());
  cursor->assessments_ = std::move(a.value());
  return cursor;
}

Result<bool> ItemKeyCursor::Next(ItemRecord* out) {
  if (!started_) {
    started_ = true;
    Result<bool> first = assessments_->Step();
    if (!first.ok()) return first.status();
    assessment_ready_ = *first;
  }
  Result<bool> row = items_->Step();
  if (!row.ok()) return row.status();
  if (!*row) return false;
  *out = ReadItem(*items_);
  // Both statements list the same items in the same order: this item's assessments, if any, come next.
  while (assessment_ready_ && assessments_->Int(0) == out->id) {
    out->assessments.push_back(ReadAssessment(*assessments_));
    Result<bool> more = assessments_->Step();
    if (!more.ok()) return more.status();
    assessment_ready_ = *more;
  }
  return true;
}

Status Store::ForEachMeasuredLatency(int64_t run_id, int64_t variant_id, const std::function<void(double)>& fn) {
  // In index order, no ORDER BY: no sorter, whose memory would grow with the run.
  auto q = db_->Prepare(
      "SELECT latency_ms FROM items WHERE run_id = ? AND variant_id = ? AND from_cache = 0 AND "
      "COALESCE(error, '') = ''");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id).Bind(2, variant_id);
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    fn((*q)->Double(0));
  }
  return Status::OK();
}

Status Store::InReadTransaction(const std::function<Status()>& fn) {
  // A savepoint outside a transaction begins a deferred one (its snapshot is taken by the first read) and nests
  // inside one the caller holds.
  Status s = db_->Exec("SAVEPOINT llmeval_read");
  if (!s.ok()) return s;
  Status result = fn();
  Status released = db_->Exec("RELEASE llmeval_read");
  return result.ok() ? released : result;
}

Status Store::RecoverAbandonedRuns() {
  auto q = db_->Prepare("SELECT id, pid FROM runs WHERE status = 'running'");
  if (!q.ok()) return q.status();
  std::vector<int64_t> abandoned;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    int64_t pid = (*q)->Int(1);
    bool alive = pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
    if (!alive) abandoned.push_back((*q)->Int(0));
  }
  q->reset();
  for (int64_t id : abandoned) {
    Status s = SetRunStatus(id, "interrupted", true);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

namespace {

constexpr char kSelectSpan[] =
    "SELECT trace_id, span_id, parent_span_id, name, kind, start_unix_ns, end_unix_ns, status, status_message, "
    "attributes_json, events_json FROM spans ";

Result<std::vector<SpanRow>> ReadSpans(SqliteStatement* q) {
  std::vector<SpanRow> spans;
  while (true) {
    Result<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    const SqliteStatement& r = *q;
    spans.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), static_cast<int>(r.Int(4)), r.Int(5), r.Int(6),
                     static_cast<int>(r.Int(7)), r.Text(8), r.Text(9), r.Text(10)});
  }
  return spans;
}

}  // namespace

Result<std::vector<SpanRow>> Store::RootSpans(int64_t run_id, bool errors_only, bool slowest, int limit,
                                              const std::string& scorer, const std::string& outcome) {
  std::string sql = std::string(kSelectSpan) + "WHERE parent_span_id = ''";
  sql += run_id != 0 ? " AND run_id = ?1" : " AND run_id IS NOT NULL";  // Collected traces: collected_spans.h.
  if (errors_only) sql += " AND status = 2";
  if (!scorer.empty()) {
    sql +=
        " AND trace_id IN (SELECT i.trace_id FROM items i JOIN assessments a ON a.item_id = i.id "
        "WHERE a.name = ?2 AND a.outcome = ?3)";
  }
  sql += slowest ? " ORDER BY (end_unix_ns - start_unix_ns) DESC" : " ORDER BY start_unix_ns DESC";
  sql += " LIMIT " + std::to_string(limit);
  auto q = db_->Prepare(sql);
  if (!q.ok()) return q.status();
  if (run_id != 0) (*q)->Bind(1, run_id);
  if (!scorer.empty()) (*q)->Bind(2, scorer).Bind(3, outcome);
  return ReadSpans(q->get());
}

Result<std::vector<SpanRow>> Store::RunSpans(int64_t run_id) {
  auto q = db_->Prepare(std::string(kSelectSpan) + "WHERE run_id = ? ORDER BY trace_id, start_unix_ns");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id);
  return ReadSpans(q->get());
}

Result<std::vector<SpanRow>> Store::TraceSpans(const std::string& trace_id) {
  auto q = db_->Prepare(std::string(kSelectSpan) + "WHERE trace_id = ? ORDER BY start_unix_ns");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, trace_id);
  return ReadSpans(q->get());
}

}  // namespace llmeval
