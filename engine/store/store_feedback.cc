// Store: human feedback on evaluated items (assessments with source "human").
#include <cctype>

#include "core/strings.h"
#include "engine/store/store.h"

namespace llmeval {
namespace {

bool IsTraceId(const std::string& text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

Result<ItemRecord> Store::FindFeedbackItem(const std::string& trace_or_item_id) {
  std::string key = std::string(TrimWhitespace(trace_or_item_id));
  bool by_trace = IsTraceId(key);
  std::optional<int64_t> id = by_trace ? std::nullopt : ParseInt(key);
  if (!by_trace && (!id.has_value() || *id < 1)) {
    return Status::InvalidInput("expected a trace id (32 hex digits) or an item id (a number), got '" + key + "'");
  }
  auto q = db_->Prepare(by_trace ? "SELECT id, run_id, variant_id, row_index, repeat, item_key, trace_id FROM items "
                                   "WHERE trace_id = ? ORDER BY id LIMIT 1"
                                 : "SELECT id, run_id, variant_id, row_index, repeat, item_key, trace_id FROM items "
                                   "WHERE id = ?");
  if (!q.ok()) return q.status();
  if (by_trace) {
    (*q)->Bind(1, AsciiLower(key));
  } else {
    (*q)->Bind(1, *id);
  }
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound(std::string(by_trace ? "no item has trace id " : "no item has id ") + key + " in store " +
                            path() + " (see 'llmeval traces list' or 'llmeval feedback list --run RUN')");
  }
  ItemRecord item;
  item.id = (*q)->Int(0);
  item.run_id = (*q)->Int(1);
  item.variant_id = (*q)->Int(2);
  item.row_index = (*q)->Int(3);
  item.repeat = static_cast<int>((*q)->Int(4));
  item.item_key = (*q)->Text(5);
  item.trace_id = (*q)->Text(6);
  return item;
}

Status Store::AddHumanAssessment(int64_t item_id, const AssessmentRow& a) {
  Status s = db_->Begin();
  if (!s.ok()) return s;
  auto del = db_->Prepare("DELETE FROM assessments WHERE item_id = ? AND name = ? AND source = 'human'");
  auto ins = db_->Prepare(
      "INSERT INTO assessments (item_id, name, outcome, score, label, rationale, source, error, created_unix_ns) "
      "VALUES (?, ?, ?, ?, ?, ?, 'human', ?, ?)");
  if (!del.ok() || !ins.ok()) {
    db_->Rollback();
    return !del.ok() ? del.status() : ins.status();
  }
  s = (*del)->Bind(1, item_id).Bind(2, a.name).Run();
  if (s.ok()) {
    s = (*ins)
            ->Bind(1, item_id)
            .Bind(2, a.name)
            .Bind(3, a.outcome)
            .Bind(4, a.score)
            .Bind(5, a.label)
            .Bind(6, a.rationale)
            .Bind(7, a.error)
            .Bind(8, clock_->NowUnixNanos())
            .Run();
  }
  if (!s.ok()) {
    db_->Rollback();
    return s;
  }
  return db_->Commit();
}

Result<std::vector<Store::FeedbackRow>> Store::HumanFeedback(int64_t run_id) {
  auto q = db_->Prepare(
      "SELECT i.id, i.trace_id, i.variant_id, i.row_index, i.repeat, a.name, a.outcome, a.score, a.label, a.rationale, "
      "a.created_unix_ns FROM assessments a JOIN items i ON i.id = a.item_id "
      "WHERE i.run_id = ? AND a.source = 'human' ORDER BY i.id, a.name");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id);
  std::vector<FeedbackRow> rows;
  while (true) {
    Result<bool> more = (*q)->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    FeedbackRow r;
    r.item_id = (*q)->Int(0);
    r.trace_id = (*q)->Text(1);
    r.variant_id = (*q)->Int(2);
    r.row_index = (*q)->Int(3);
    r.repeat = static_cast<int>((*q)->Int(4));
    r.assessment.name = (*q)->Text(5);
    r.assessment.outcome = (*q)->Text(6);
    r.assessment.score = (*q)->OptionalDouble(7);
    r.assessment.label = (*q)->Text(8);
    r.assessment.rationale = (*q)->Text(9);
    r.assessment.source = "human";
    r.created_unix_ns = (*q)->Int(10);
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace llmeval
