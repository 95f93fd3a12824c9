// The report half of Store: paged, filtered item lists and streaming reads for engine/report/report_data.h. Every
// filter and page runs in SQL, so a page of a 100,000-item run never loads the run.
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "engine/store/store.h"
#include "engine/store/store_rows.h"

namespace llmeval {
namespace {

constexpr char kFullText[] = "i.inputs_json, i.rendered_input, i.output";

constexpr char kItemOrder[] = " ORDER BY i.variant_id, i.row_index, i.repeat";

// The question input when it is present and not empty, as text.
constexpr char kQuestionInput[] =
    "NULLIF(CAST(iif(json_valid(i.inputs_json), json_extract(i.inputs_json, '$.question'), NULL) AS TEXT), '')";

constexpr char kSpanColumns[] =
    "s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_unix_ns, s.end_unix_ns, s.status, "
    "s.status_message, s.attributes_json, s.events_json ";

// Decodes kSpanColumns starting at column `c`.
SpanRow ReadSpan(const SqliteStatement& r, int c) {
  return {r.Text(c),
          r.Text(c + 1),
          r.Text(c + 2),
          r.Text(c + 3),
          static_cast<int>(r.Int(c + 4)),
          r.Int(c + 5),
          r.Int(c + 6),
          static_cast<int>(r.Int(c + 7)),
          r.Text(c + 8),
          r.Text(c + 9),
          r.Text(c + 10)};
}

// `text` as a LIKE pattern matching it anywhere, with '\' as the escape character.
std::string ContainsPattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

// The JSON path of an input column, or "" when the name cannot be written as one.
std::string InputPath(const std::string& column) {
  if (column.empty() || column.find('"') != std::string::npos) return "";
  return "$.\"" + column + "\"";
}

// A WHERE clause with numbered parameters.
class Where {
 public:
  // Adds a bound value and returns its placeholder ("?3").
  std::string Arg(std::variant<int64_t, std::string> value) {
    args_.push_back(std::move(value));
    return "?" + std::to_string(args_.size());
  }
  void And(const std::string& condition) { sql_ += (sql_.empty() ? " WHERE " : " AND ") + condition; }
  const std::string& sql() const { return sql_; }
  void BindTo(SqliteStatement* q) const {
    for (size_t i = 0; i < args_.size(); ++i) {
      int index = static_cast<int>(i + 1);
      if (const int64_t* n = std::get_if<int64_t>(&args_[i])) {
        q->Bind(index, *n);
      } else {
        q->Bind(index, std::get<std::string>(args_[i]));
      }
    }
  }

 private:
  std::string sql_;
  std::vector<std::variant<int64_t, std::string>> args_;
};

Where BuildWhere(int64_t run_id, const Store::ItemFilter& f) {
  Where w;
  w.And("i.run_id = " + w.Arg(run_id));
  if (f.variant_id != 0) w.And("i.variant_id = " + w.Arg(f.variant_id));
  // Assessment filters are IN-lists over the index assessments_by_outcome (outcome, name, source, item_id): only the
  // failed (or errored) assessments are read, never every assessment of the run.
  if (f.failed_scorer == "*") {
    w.And("i.id IN (SELECT a.item_id FROM assessments a WHERE a.outcome = 'fail')");
  } else if (!f.failed_scorer.empty()) {
    static const std::string kHuman = " (human)";
    std::string name = f.failed_scorer;
    bool human = name.size() > kHuman.size() && name.compare(name.size() - kHuman.size(), kHuman.size(), kHuman) == 0;
    if (human) name.resize(name.size() - kHuman.size());
    w.And("i.id IN (SELECT a.item_id FROM assessments a WHERE a.outcome = 'fail' AND a.name = " + w.Arg(name) +
          (human ? " AND a.source = 'human')" : " AND a.source <> 'human')"));
  }
  if (f.errors_only) {
    // items.error is NULL when there is none (Store::WriteItems); items_with_error indexes the others.
    w.And(
        "(i.id IN (SELECT e.id FROM items e WHERE e.run_id = ?1 AND e.error IS NOT NULL) OR i.id IN (SELECT "
        "a.item_id FROM assessments a WHERE a.outcome = 'error'))");
  }
  std::string path = InputPath(f.category_column);
  if (!f.category.empty()) {
    if (path.empty()) {
      w.And("0");  // No category column: nothing has a category.
    } else {
      w.And("iif(json_valid(i.inputs_json), CAST(json_extract(i.inputs_json, " + w.Arg(path) +
            ") AS TEXT), NULL) = " + w.Arg(f.category));
    }
  }
  if (!f.text.empty()) {
    std::string p = w.Arg(ContainsPattern(f.text));
    std::string like = " LIKE " + p + " ESCAPE '\\'";
    // The rendered input holds the question; parsing every row's inputs as well would double the scan.
    w.And("(i.rendered_input" + like + " OR COALESCE(i.output, '')" + like + " OR COALESCE(i.error, '')" + like + ")");
  }
  return w;
}

}  // namespace

Result<int64_t> Store::CountItems(int64_t run_id, const ItemFilter& filter) {
  Where w = BuildWhere(run_id, filter);
  auto q = db_->Prepare("SELECT COUNT(*) FROM items i" + w.sql());
  if (!q.ok()) return q.status();
  w.BindTo(q->get());
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  return *row ? (*q)->Int(0) : 0;
}

Result<std::vector<Store::ItemListRow>> Store::ListItems(int64_t run_id, const ItemFilter& filter, int64_t offset,
                                                         int64_t limit, int excerpt_chars) {
  Where w = BuildWhere(run_id, filter);
  std::string cut = w.Arg(static_cast<int64_t>(excerpt_chars) + 1);
  std::string text = "'{}', substr(COALESCE(" + std::string(kQuestionInput) + ", i.rendered_input), 1, " + cut +
                     "), substr(i.output, 1, " + cut + ")";
  std::string path = InputPath(filter.category_column);
  std::string category = path.empty() ? "''"
                                      : "COALESCE(iif(json_valid(i.inputs_json), CAST(json_extract(i.inputs_json, " +
                                            w.Arg(path) + ") AS TEXT), NULL), '')";
  std::string sql = SelectItems(text) + ", " + category + " FROM items i" + w.sql() + kItemOrder + " LIMIT " +
                    w.Arg(limit) + " OFFSET " + w.Arg(offset);
  auto q = db_->Prepare(sql);
  if (!q.ok()) return q.status();
  w.BindTo(q->get());
  std::vector<ItemListRow> rows;
  std::string ids = "[";
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ItemListRow r;
    r.item = ReadItem(**q);
    r.category = (*q)->Text(kItemColumns);
    if (rows.size() > 0) ids += ",";
    ids += std::to_string(r.item.id);
    rows.push_back(std::move(r));
  }
  ids += "]";
  if (rows.empty()) return rows;
  // The page's assessments in one query.
  auto a = db_->Prepare(std::string("SELECT ") + kAssessmentColumns +
                        "FROM assessments a WHERE a.item_id IN (SELECT value FROM json_each(?)) ORDER BY a.item_id, "
                        "a.id");
  if (!a.ok()) return a.status();
  (*a)->Bind(1, ids);
  std::map<int64_t, ItemRecord*> by_id;
  for (ItemListRow& r : rows) by_id[r.item.id] = &r.item;
  while (true) {
    Result<bool> row = (*a)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto found = by_id.find((*a)->Int(0));
    if (found != by_id.end()) found->second->assessments.push_back(ReadAssessment(**a));
  }
  return rows;
}

Result<ItemRecord> Store::GetItem(int64_t item_id) {
  auto q = db_->Prepare(SelectItems(kFullText) + "FROM items i WHERE i.id = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, item_id);
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("item " + std::to_string(item_id) + " not found in " + path());
  ItemRecord item = ReadItem(**q);
  auto a = db_->Prepare(std::string("SELECT ") + kAssessmentColumns +
                        "FROM assessments a WHERE a.item_id = ? "
                        "ORDER BY a.id");
  if (!a.ok()) return a.status();
  (*a)->Bind(1, item_id);
  while (true) {
    Result<bool> arow = (*a)->Step();
    if (!arow.ok()) return arow.status();
    if (!*arow) break;
    item.assessments.push_back(ReadAssessment(**a));
  }
  return item;
}

Status Store::ForEachItemWithSpans(int64_t run_id, bool with_spans, const std::function<void(const ItemRecord&)>& fn) {
  return ForEachItemMerged(run_id, true, with_spans, fn);
}

Status Store::ForEachItemMerged(int64_t run_id, bool with_text, bool with_spans,
                                const std::function<void(const ItemRecord&)>& fn) {
  // Up to three cursors walk the run's unique (run_id, variant_id, row_index, repeat) index in the same order, the
  // assessments of an item in id order through assessments_by_item, merged in one pass: no ORDER BY needs SQLite's
  // sorter, whose memory (up to 250 pages each, 4 MB with 16 KiB pages) grew with the run. All read the same snapshot
  // (one connection).
  auto q = db_->Prepare(SelectItems(with_text ? kFullText : "'{}', '', NULL") + "FROM items i WHERE i.run_id = ?" +
                        kItemOrder);
  if (!q.ok()) return q.status();
  auto a =
      db_->Prepare(std::string("SELECT ") + kAssessmentColumns +
                   "FROM assessments a JOIN items i ON i.id = a.item_id WHERE i.run_id = ?" + kItemOrder + ", a.id");
  if (!a.ok()) return a.status();
  std::unique_ptr<SqliteStatement> s;
  if (with_spans) {
    auto sq = db_->Prepare(std::string("SELECT i.id, ") + kSpanColumns +
                           "FROM items i JOIN spans s ON s.trace_id = i.trace_id WHERE i.run_id = ? AND "
                           "i.trace_id <> ''" +
                           kItemOrder);  // Each trace's spans come in id order; sorted below (no SQL sorter).
    if (!sq.ok()) return sq.status();
    s = std::move(*sq);
    s->Bind(1, run_id);
  }
  (*q)->Bind(1, run_id);
  (*a)->Bind(1, run_id);
  Result<bool> a_row = (*a)->Step();
  if (!a_row.ok()) return a_row.status();
  Result<bool> s_row = s ? s->Step() : Result<bool>(false);
  if (!s_row.ok()) return s_row.status();
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ItemRecord it = ReadItem(**q);
    // The other cursors list the same items in the same order: this item's rows, if any, come next.
    while (*a_row && (*a)->Int(0) == it.id) {
      it.assessments.push_back(ReadAssessment(**a));
      a_row = (*a)->Step();
      if (!a_row.ok()) return a_row.status();
    }
    while (*s_row && s->Int(0) == it.id) {
      it.spans.push_back(ReadSpan(*s, 1));
      s_row = s->Step();
      if (!s_row.ok()) return s_row.status();
    }
    std::stable_sort(it.spans.begin(), it.spans.end(), [](const SpanRow& x, const SpanRow& y) {
      return std::tie(x.start_unix_ns, x.span_id) < std::tie(y.start_unix_ns, y.span_id);
    });
    fn(it);
  }
  return Status::OK();
}

Result<bool> Store::FirstItemHasInput(int64_t run_id, const std::string& column) {
  std::string path = InputPath(column);
  if (path.empty()) return false;
  auto q = db_->Prepare(
      "SELECT iif(json_valid(i.inputs_json), json_type(i.inputs_json, ?2), NULL) IS NOT NULL FROM items i "
      "WHERE i.run_id = ?1" +
      std::string(kItemOrder) + " LIMIT 1");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id).Bind(2, path);
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  return *row && (*q)->Int(0) != 0;
}

Result<std::vector<std::pair<int64_t, int64_t>>> Store::ItemCounts(const std::vector<int64_t>& run_ids) {
  auto q = db_->Prepare("SELECT COUNT(*) FROM items WHERE run_id = ?");
  if (!q.ok()) return q.status();
  std::vector<std::pair<int64_t, int64_t>> out;
  for (int64_t id : run_ids) {
    (*q)->Reset();
    (*q)->Bind(1, id);
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    out.emplace_back(id, *row ? (*q)->Int(0) : 0);
  }
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> Store::ExperimentRunCounts() {
  auto q = db_->Prepare(
      "SELECT e.name, COUNT(r.id) FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id GROUP BY e.id "
      "ORDER BY e.name");
  if (!q.ok()) return q.status();
  std::vector<std::pair<std::string, int64_t>> out;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.emplace_back((*q)->Text(0), (*q)->Int(1));
  }
  return out;
}

Result<int64_t> Store::ApproximateRunBytes(int64_t run_id) {
  auto q = db_->Prepare(
      "SELECT (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()), "
      "(SELECT COUNT(*) FROM items WHERE run_id = ?), (SELECT COUNT(*) FROM items)");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, run_id);
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  if (!*row || (*q)->Int(2) == 0) return int64_t{0};
  double share = static_cast<double>((*q)->Int(1)) / static_cast<double>((*q)->Int(2));
  return static_cast<int64_t>(static_cast<double>((*q)->Int(0)) * share);
}

Result<int64_t> Store::LastAssessmentId() {
  auto q = db_->Prepare("SELECT COALESCE(MAX(id), 0) FROM assessments");
  if (!q.ok()) return q.status();
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  return *row ? (*q)->Int(0) : int64_t{0};
}

}  // namespace llmeval
