// `llmeval traces list|export` over collected traces (those `llmeval collect` received), selected with --service,
// --since, --attr and --status: a table of root spans, or OTLP/JSON with each trace's own resource and scope.
#include <cstdio>
#include <map>

#include "cli/commands.h"
#include "cli/trace_query.h"
#include "engine/os/file_io.h"
#include "engine/store/span_rows.h"
#include "tracing/otlp_json.h"
#include "tracing/span_codec.h"

namespace llmeval {

int ListCollectedTraces(Store* store, const CollectedTraceQuery& query) {
  Result<std::vector<CollectedRoot>> roots = CollectedRoots(store, query);
  if (!roots.ok()) return Fail("traces list", roots.status());
  std::printf("%-32s %-16s %-19s %10s %-6s %5s %s\n", "trace", "service", "started", "duration", "status", "spans",
              "root");
  for (const CollectedRoot& r : *roots) {
    const SpanRow& s = r.root.span;
    double ms = static_cast<double>(s.end_unix_ns - s.start_unix_ns) / 1e6;
    std::printf("%-32s %-16s %-19s %8.1fms %-6s %5lld %s\n", s.trace_id.c_str(), r.root.service_name.c_str(),
                FormatTime(s.start_unix_ns).c_str(), ms, s.status == 2 ? "error" : "ok",
                static_cast<long long>(r.span_count), s.name.c_str());
  }
  return 0;
}

// The selected traces' spans, grouped by the resource and scope version they came with.
Result<std::map<std::pair<std::string, std::string>, std::vector<Span>>> CollectedSpansByResource(
    Store* store, const CollectedTraceQuery& query, size_t* traces) {
  Result<std::vector<CollectedRoot>> roots = CollectedRoots(store, query);
  if (!roots.ok()) return roots.status();
  std::map<std::pair<std::string, std::string>, std::vector<Span>> groups;
  *traces = roots->size();
  for (const CollectedRoot& root : *roots) {
    Result<std::vector<CollectedSpanRow>> rows = CollectedTraceSpans(store, root.root.span.trace_id);
    if (!rows.ok()) return rows.status();
    for (const CollectedSpanRow& row : *rows) {
      Result<Span> span = SpanFromRow(row.span);
      if (!span.ok()) return span.status();
      groups[{row.resource_json, row.scope_version}].push_back(std::move(span.value()));
    }
  }
  return groups;
}

Resource CollectedResource(const std::pair<std::string, std::string>& key) {
  Resource resource;
  Result<Attributes> attributes = AttributesFromJson(key.first);
  if (attributes.ok()) resource.attributes = std::move(attributes.value());
  resource.scope_version = key.second;
  return resource;
}

int ExportCollectedTraces(Store* store, const CollectedTraceQuery& query, const OtlpEndpoint* endpoint,
                          const std::string& path, size_t max_attribute_bytes) {
  size_t traces = 0;
  auto groups = CollectedSpansByResource(store, query, &traces);
  if (!groups.ok()) return Fail("traces export", groups.status());
  if (endpoint != nullptr) {
    size_t sent = 0, failed = 0;
    std::string first_error;
    for (const auto& [key, spans] : *groups) {
      OtlpBatchLimits limits;
      limits.max_attribute_bytes = max_attribute_bytes;
      OtlpExportSummary summary = PushOtlpSpans(spans, CollectedResource(key), *endpoint, limits);
      sent += summary.spans_sent;
      failed += summary.spans_failed + summary.spans_rejected;
      if (!summary.ok() && first_error.empty()) first_error = summary.first_error;
    }
    std::printf("pushed %zu collected traces (%zu spans) to %s\n", traces, sent, RedactUrl(endpoint->url).c_str());
    if (failed > 0) {
      return Fail("traces export", Status::Unavailable(std::to_string(failed) + " spans not delivered to " +
                                                       RedactUrl(endpoint->url) + ": " + first_error));
    }
    return 0;
  }
  std::string out;
  for (const auto& [key, spans] : *groups) {
    out += EncodeOtlpJson(spans, CollectedResource(key), max_attribute_bytes) + "\n";
  }
  if (path.empty() || path == "-") {
    WriteStdout(out);
    return 0;
  }
  Status s = WriteFileAtomically(path, out);
  if (!s.ok()) return Fail("traces export", s);
  std::fprintf(stderr, "wrote %zu collected traces to %s\n", traces, path.c_str());
  return 0;
}

}  // namespace llmeval
