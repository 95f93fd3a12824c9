#include "engine/run/stored_item_feed.h"

#include <utility>

#include "engine/store/span_rows.h"
#include "tracing/semconv.h"

namespace llmeval {

StoredItemFeed::StoredItemFeed(Store* store, int64_t source_run_id, std::map<int64_t, const Variant*> variant_of,
                               const CompletedSlots* done, int page_size)
    : store_(store),
      source_run_id_(source_run_id),
      variant_of_(std::move(variant_of)),
      done_(done),
      page_size_(page_size > 0 ? page_size : 1) {}

Result<bool> StoredItemFeed::Next(Item* out) {
  while (true) {
    if (next_ == page_.size()) {
      if (last_page_) return false;
      Result<std::vector<ItemRecord>> page = store_->ItemPage(source_run_id_, last_ ? &*last_ : nullptr, page_size_);
      if (!page.ok()) return page.status();
      page_ = std::move(page.value());
      next_ = 0;
      last_page_ = static_cast<int>(page_.size()) < page_size_;
      if (page_.empty()) return false;
      const ItemRecord& tail = page_.back();
      last_ = ItemSlot{tail.variant_id, tail.row_index, tail.repeat};
    }
    ItemRecord& stored = page_[next_++];
    auto found = variant_of_.find(stored.variant_id);
    if (found == variant_of_.end()) {
      return Status::Internal("item " + std::to_string(stored.id) + " of run " + std::to_string(source_run_id_) +
                              " belongs to variant " + std::to_string(stored.variant_id) + ", which the run lacks");
    }
    if (done_->Contains(found->second->record.id, stored.row_index, stored.repeat)) continue;
    out->variant = found->second;
    out->tool_calls = StoredToolCalls(store_, stored.trace_id);
    out->stored = std::move(stored);
    return true;
  }
}

std::vector<ToolCallRecord> StoredToolCalls(Store* store, const std::string& trace_id) {
  std::vector<ToolCallRecord> calls;
  Result<std::vector<SpanRow>> rows = store->TraceSpans(trace_id);
  if (!rows.ok()) return calls;
  Result<std::vector<Span>> spans = SpansFromRows(*rows);
  if (!spans.ok()) return calls;
  for (const Span& span : *spans) {
    const std::string* name = FindString(span.attributes, semconv::kGenAiToolName);
    if (name == nullptr) continue;
    const std::string* args = FindString(span.attributes, semconv::kGenAiToolCallArguments);
    const std::string* result = FindString(span.attributes, semconv::kGenAiToolCallResult);
    calls.push_back(
        {*name, args != nullptr ? *args : "", result != nullptr ? *result : "", span.status == SpanStatus::kError});
  }
  return calls;
}

}  // namespace llmeval
