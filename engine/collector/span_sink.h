// SpanSink: where an OtlpReceiver hands the spans of each accepted request. `llmeval collect` stores them
// (StoreSpanSink, engine/collector/store_span_sink.h); a run may receive an evaluated application's spans with a sink
// of its own.
//
// Submit is called from the receiver's loop thread; the sink calls `done` exactly once, from any thread, when it has
// taken the spans for good (OK: the receiver answers 200) or cannot take them now (a non-OK Status: the receiver
// answers 503 so the exporter retries; the spans are not kept). A sink must be thread-safe against its own `done`
// callbacks and must outlive the receiver it is attached to.
#ifndef LLMEVAL_ENGINE_COLLECTOR_SPAN_SINK_H_
#define LLMEVAL_ENGINE_COLLECTOR_SPAN_SINK_H_

#include <functional>
#include <vector>

#include "core/status.h"
#include "engine/store/collected_spans.h"

namespace llmeval {

class SpanSink {
 public:
  using Done = std::function<void(Status)>;
  virtual ~SpanSink() = default;
  virtual void Submit(std::vector<CollectedSpanRow> spans, Done done) = 0;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_COLLECTOR_SPAN_SINK_H_
