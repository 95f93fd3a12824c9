// Writing and querying collected spans (engine/store/collected_spans.h).
#include "engine/store/collected_spans.h"

namespace llmeval {

Result<int64_t> CollectedSpanWriter::ResourceId(const std::string& resource_json) {
  auto cached = resource_ids_.find(resource_json);
  if (cached != resource_ids_.end()) return cached->second;
  Status s = insert_resource_->Bind(1, resource_json).Run();
  if (!s.ok()) return s;
  select_resource_->Bind(1, resource_json);
  Result<bool> row = select_resource_->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("store " + store_->path() + ": resource row vanished");
  int64_t id = select_resource_->Int(0);
  select_resource_->Reset();
  return id;
}

Status CollectedSpanWriter::Write(const std::vector<CollectedSpanRow>& spans, int64_t received_unix_ns) {
  SqliteDb* db = store_->db();
  if (insert_span_ == nullptr) {
    auto span_q = db->Prepare(
        "INSERT OR IGNORE INTO spans (trace_id, span_id, parent_span_id, run_id, name, kind, start_unix_ns, "
        "end_unix_ns, status, status_message, attributes_json, events_json, service_name, scope_name, scope_version, "
        "resource_id, received_unix_ns) VALUES (?1, ?2, ?3, ?17, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "?16)");
    if (!span_q.ok()) return span_q.status();
    auto insert_q = db->Prepare("INSERT OR IGNORE INTO otel_resources (attributes_json) VALUES (?)");
    if (!insert_q.ok()) return insert_q.status();
    auto select_q = db->Prepare("SELECT id FROM otel_resources WHERE attributes_json = ?");
    if (!select_q.ok()) return select_q.status();
    insert_span_ = std::move(span_q.value());
    insert_resource_ = std::move(insert_q.value());
    select_resource_ = std::move(select_q.value());
  }
  Status s = db->Begin();
  if (!s.ok()) return s;
  std::unordered_map<std::string, int64_t> fresh;  // Resource ids first seen in this transaction.
  const std::string* last_resource = nullptr;
  int64_t last_id = 0;
  for (const CollectedSpanRow& c : spans) {
    if (last_resource == nullptr || *last_resource != c.resource_json) {
      auto it = fresh.find(c.resource_json);
      Result<int64_t> id = it != fresh.end() ? Result<int64_t>(it->second) : ResourceId(c.resource_json);
      if (!id.ok()) {
        s = id.status();
        break;
      }
      if (!resource_ids_.count(c.resource_json)) fresh[c.resource_json] = *id;
      last_resource = &c.resource_json;
      last_id = *id;
    }
    const SpanRow& sp = c.span;
    insert_span_->BindView(1, sp.trace_id)
        .BindView(2, sp.span_id)
        .BindView(3, sp.parent_span_id)
        .BindView(4, sp.name)
        .Bind(5, sp.kind)
        .Bind(6, sp.start_unix_ns)
        .Bind(7, sp.end_unix_ns)
        .Bind(8, sp.status)
        .BindView(9, sp.status_message)
        .BindView(10, sp.attributes_json)
        .BindView(11, sp.events_json)
        .BindView(12, c.service_name)
        .BindView(13, c.scope_name)
        .BindView(14, c.scope_version)
        .Bind(15, last_id)
        .Bind(16, received_unix_ns);
    if (c.run_id != 0) {
      insert_span_->Bind(17, c.run_id);
    } else {
      insert_span_->BindNull(17);
    }
    s = insert_span_->Run();
    if (!s.ok()) break;
  }
  if (s.ok()) s = db->Commit();
  if (!s.ok()) {
    db->Rollback();
    return s;
  }
  if (resource_ids_.size() + fresh.size() > 4096) resource_ids_.clear();  // Bounded: a new resource per process.
  resource_ids_.merge(fresh);
  return Status::OK();
}

namespace {

constexpr char kSelectCollected[] =
    "SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_unix_ns, s.end_unix_ns, s.status, "
    "s.status_message, s.attributes_json, s.events_json, s.service_name, s.scope_name, s.scope_version, "
    "COALESCE(r.attributes_json, '{}') ";

CollectedSpanRow ReadCollected(const SqliteStatement& r) {
  CollectedSpanRow c;
  c.span = {r.Text(0),
            r.Text(1),
            r.Text(2),
            r.Text(3),
            static_cast<int>(r.Int(4)),
            r.Int(5),
            r.Int(6),
            static_cast<int>(r.Int(7)),
            r.Text(8),
            r.Text(9),
            r.Text(10)};
  c.service_name = r.Text(11);
  c.scope_name = r.Text(12);
  c.scope_version = r.Text(13);
  c.resource_json = r.Text(14);
  return c;
}

// A JSON path naming one top-level key, quoted so dotted names (gen_ai.system) stay one key.
std::string KeyPath(const std::string& key) {
  std::string path = "$.\"";
  for (char ch : key) {
    if (ch == '"' || ch == '\\') path += '\\';
    path += ch;
  }
  return path + "\"";
}

}  // namespace

Result<std::vector<CollectedRoot>> CollectedRoots(Store* store, const CollectedTraceQuery& query) {
  std::string sql = std::string(kSelectCollected) +
                    ", (SELECT COUNT(*) FROM spans c WHERE c.trace_id = s.trace_id) FROM spans s "
                    "LEFT JOIN otel_resources r ON r.id = s.resource_id "
                    "WHERE s.run_id IS NULL AND s.parent_span_id = ''";
  int next = 1;
  if (!query.service.empty()) sql += " AND s.service_name = ?" + std::to_string(next++);
  if (query.since_unix_ns > 0) sql += " AND s.start_unix_ns >= ?" + std::to_string(next++);
  if (query.errors_only) sql += " AND EXISTS (SELECT 1 FROM spans e WHERE e.trace_id = s.trace_id AND e.status = 2)";
  if (!query.unseen_by_monitor.empty()) {
    sql += " AND NOT EXISTS (SELECT 1 FROM monitor_scored m WHERE m.monitor = ?" + std::to_string(next++) +
           " AND m.trace_id = s.trace_id)";
  }
  for (size_t i = 0; i < query.attributes.size(); ++i) {
    sql +=
        " AND EXISTS (SELECT 1 FROM spans a WHERE a.trace_id = s.trace_id AND CAST(json_extract(a.attributes_json, ?" +
        std::to_string(next) + ") AS TEXT) = ?" + std::to_string(next + 1) + ")";
    next += 2;
  }
  sql += query.slowest ? " ORDER BY (s.end_unix_ns - s.start_unix_ns) DESC" : " ORDER BY s.start_unix_ns DESC";
  sql += " LIMIT " + std::to_string(query.limit > 0 ? query.limit : 50);
  auto q = store->db()->Prepare(sql);
  if (!q.ok()) return q.status();
  int bind = 1;
  if (!query.service.empty()) (*q)->Bind(bind++, query.service);
  if (query.since_unix_ns > 0) (*q)->Bind(bind++, query.since_unix_ns);
  if (!query.unseen_by_monitor.empty()) (*q)->Bind(bind++, query.unseen_by_monitor);
  for (const auto& [key, value] : query.attributes) {
    (*q)->Bind(bind++, KeyPath(key));
    (*q)->Bind(bind++, value);
  }
  std::vector<CollectedRoot> roots;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    roots.push_back({ReadCollected(**q), (*q)->Int(15)});
  }
  return roots;
}

Result<std::vector<CollectedSpanRow>> CollectedTraceSpans(Store* store, const std::string& trace_id) {
  auto q = store->db()->Prepare(std::string(kSelectCollected) +
                                "FROM spans s LEFT JOIN otel_resources r ON r.id = s.resource_id "
                                "WHERE s.trace_id = ? AND s.run_id IS NULL ORDER BY s.start_unix_ns");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, trace_id);
  std::vector<CollectedSpanRow> spans;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    spans.push_back(ReadCollected(**q));
  }
  return spans;
}

}  // namespace llmeval
