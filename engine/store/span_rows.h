// Conversions between tracing's Span and the store's SpanRow (ids as hex, attributes and events as JSON).
#ifndef LLMEVAL_ENGINE_STORE_SPAN_ROWS_H_
#define LLMEVAL_ENGINE_STORE_SPAN_ROWS_H_

#include <vector>

#include "engine/store/store.h"
#include "tracing/span.h"

namespace llmeval {

SpanRow SpanToRow(const Span& span);
// Internal error when the stored row is corrupt (bad ids or JSON).
Result<Span> SpanFromRow(const SpanRow& row);
Result<std::vector<Span>> SpansFromRows(const std::vector<SpanRow>& rows);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_STORE_SPAN_ROWS_H_
