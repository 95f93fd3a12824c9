// Collected spans in the store: spans that instrumented applications sent to `llmeval collect` (no run of llmeval's
// own), kept in the `spans` table with run_id NULL, their service.name, instrumentation scope and resource
// (deduplicated in `otel_resources`, schema migration 5). Writing is batched by the caller (one transaction per call);
// the query side lists collected root spans with filters (service, time, an attribute, error status) for
// `traces list`, `traces export`, `evaluate --traces` and `monitor`.
//
// Functions take the Store (one connection) and use it from the calling thread only; a CollectedSpanWriter keeps its
// prepared statements and a small resource-id cache, so it is owned by one thread (the collector's writer thread).
#ifndef LLMEVAL_ENGINE_STORE_COLLECTED_SPANS_H_
#define LLMEVAL_ENGINE_STORE_COLLECTED_SPANS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "engine/store/store.h"

namespace llmeval {

// One received span: the span row (ids as lowercase hex, attributes and events as span_codec JSON; kind and status as
// OTLP numbers) plus what the OTLP envelope said about who produced it.
struct CollectedSpanRow {
  SpanRow span;
  std::string service_name;  // The resource's service.name ("" when absent).
  std::string scope_name;    // The instrumentation scope.
  std::string scope_version;
  std::string resource_json;  // The resource attributes as span_codec JSON ("{}" when none).
  // 0: a collected trace of its own (run_id NULL). Otherwise the run whose item's trace the span joined (an evaluated
  // application's span received during `llmeval run --target`, engine/run/app_spans.h).
  int64_t run_id = 0;
};

class CollectedSpanWriter {
 public:
  // `store` must outlive the writer and be used by no other thread meanwhile.
  explicit CollectedSpanWriter(Store* store) : store_(store) {}
  // Writes `spans` in one transaction. A span already stored under the same trace and span id is kept as it is (an
  // exporter's retry of a request that was in fact stored does not duplicate it, and a run's own spans exported back
  // into the store they came from stay the run's). `received_unix_ns` stamps them.
  // On failure nothing of the call is stored and the Status names the store (a full disk, a lock held too long).
  Status Write(const std::vector<CollectedSpanRow>& spans, int64_t received_unix_ns);

 private:
  Result<int64_t> ResourceId(const std::string& resource_json);

  Store* store_;
  std::unique_ptr<SqliteStatement> insert_span_;
  std::unique_ptr<SqliteStatement> insert_resource_;
  std::unique_ptr<SqliteStatement> select_resource_;
  std::unordered_map<std::string, int64_t> resource_ids_;  // Committed ones only.
};

// Which collected traces a query selects (by their root span). Empty fields do not filter.
struct CollectedTraceQuery {
  std::string service;                                          // service.name equals.
  int64_t since_unix_ns = 0;                                    // Root started at or after.
  std::vector<std::pair<std::string, std::string>> attributes;  // key=value on any span of the trace (as text).
  bool errors_only = false;                                     // Some span of the trace has status ERROR.
  bool slowest = false;                                         // Order by duration, longest first (else newest first).
  int64_t limit = 50;
  // Only the traces this `llmeval monitor` has not considered yet (engine/store/monitor_rows.h); "" for all.
  std::string unseen_by_monitor;
};

// A collected root span with its envelope, and the number of spans its trace holds.
struct CollectedRoot {
  CollectedSpanRow root;
  int64_t span_count = 0;
};

Result<std::vector<CollectedRoot>> CollectedRoots(Store* store, const CollectedTraceQuery& query);

// The resource, service and scope of each span of a collected trace (keyed by span id); empty for a run's trace.
Result<std::vector<CollectedSpanRow>> CollectedTraceSpans(Store* store, const std::string& trace_id);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_STORE_COLLECTED_SPANS_H_
