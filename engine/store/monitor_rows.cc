// Monitor state in the store (engine/store/monitor_rows.h).
#include "engine/store/monitor_rows.h"

namespace llmeval {

Status RecordMonitorTraces(Store* store, const std::string& monitor, const std::vector<MonitorTraceState>& traces,
                           const std::vector<MonitorVerdictRow>& verdicts, int64_t now_unix_ns) {
  SqliteDb* db = store->db();
  auto trace_q = db->Prepare(
      "INSERT OR IGNORE INTO monitor_scored (monitor, trace_id, scored_unix_ns, state, run_id) VALUES (?, ?, ?, ?, ?)");
  if (!trace_q.ok()) return trace_q.status();
  auto verdict_q = db->Prepare(
      "INSERT OR IGNORE INTO monitor_verdicts (monitor, scorer, trace_id, trace_start_unix_ns, outcome) "
      "VALUES (?, ?, ?, ?, ?)");
  if (!verdict_q.ok()) return verdict_q.status();
  Status s = db->Begin();
  if (!s.ok()) return s;
  for (const MonitorTraceState& t : traces) {
    (*trace_q)->Bind(1, monitor).Bind(2, t.trace_id).Bind(3, now_unix_ns).Bind(4, t.state);
    if (t.run_id > 0) {
      (*trace_q)->Bind(5, t.run_id);
    } else {
      (*trace_q)->BindNull(5);
    }
    s = (*trace_q)->Run();
    if (!s.ok()) break;
  }
  for (size_t i = 0; s.ok() && i < verdicts.size(); ++i) {
    const MonitorVerdictRow& v = verdicts[i];
    s = (*verdict_q)
            ->Bind(1, monitor)
            .Bind(2, v.scorer)
            .Bind(3, v.trace_id)
            .Bind(4, v.trace_start_unix_ns)
            .Bind(5, v.outcome)
            .Run();
  }
  if (s.ok()) s = db->Commit();
  if (!s.ok()) db->Rollback();
  return s;
}

Result<std::vector<std::string>> MonitorScorers(Store* store, const std::string& monitor) {
  auto q = store->db()->Prepare("SELECT DISTINCT scorer FROM monitor_verdicts WHERE monitor = ? ORDER BY scorer");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, monitor);
  std::vector<std::string> out;
  for (;;) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back((*q)->Text(0));
  }
  return out;
}

Status ForEachMonitorVerdict(Store* store, const std::string& monitor, const std::string& scorer,
                             const std::function<bool(int64_t, const std::string&)>& fn) {
  auto q = store->db()->Prepare(
      "SELECT trace_start_unix_ns, outcome FROM monitor_verdicts WHERE monitor = ? AND scorer = ? "
      "ORDER BY trace_start_unix_ns DESC, trace_id DESC");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, monitor).Bind(2, scorer);
  for (;;) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row || !fn((*q)->Int(0), (*q)->Text(1))) return Status::OK();
  }
}

}  // namespace llmeval
