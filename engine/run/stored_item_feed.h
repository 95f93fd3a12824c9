// StoredItemFeed lists the items of a stored run for `llmeval evaluate` to score again: the source run's items in
// (variant, row, repeat) order, read from the store a page at a time (memory does not grow with the run, and no read
// transaction stays open between pages), each paired with the evaluate run's variant for its source variant and
// with the tool calls its stored trace recorded, less the slots already in `done` (a resumed evaluate run).
//
// Not thread-safe: ItemPump (engine/run/item_pump.h) calls Next under its lock. The store connection is the feed's own;
// nothing else may use it while the feed runs.
#ifndef LLMEVAL_ENGINE_RUN_STORED_ITEM_FEED_H_
#define LLMEVAL_ENGINE_RUN_STORED_ITEM_FEED_H_

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/status.h"
#include "engine/run/item_feed.h"
#include "engine/run/run_context.h"
#include "engine/store/store.h"
#include "scorers/scoring_context.h"

namespace llmeval {

class StoredItemFeed {
 public:
  struct Item {
    ItemRecord stored;
    std::vector<ToolCallRecord> tool_calls;
    const Variant* variant = nullptr;
  };
  // `variant_of`: the evaluate run's variant for each variant id of the source run. Every pointer must outlive the
  // feed.
  StoredItemFeed(Store* store, int64_t source_run_id, std::map<int64_t, const Variant*> variant_of,
                 const CompletedSlots* done, int page_size = 256);

  // The next item, false at the end; an error when the store cannot be read or an item's variant is unknown.
  Result<bool> Next(Item* out);

 private:
  Store* const store_;
  const int64_t source_run_id_;
  const std::map<int64_t, const Variant*> variant_of_;
  const CompletedSlots* const done_;
  const int page_size_;

  std::vector<ItemRecord> page_;
  size_t next_ = 0;
  bool last_page_ = false;
  std::optional<ItemSlot> last_;  // The slot of the page's last item: the next page starts after it.
};

// The tool calls a stored trace recorded, in order (empty when the trace cannot be read).
std::vector<ToolCallRecord> StoredToolCalls(Store* store, const std::string& trace_id);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_STORED_ITEM_FEED_H_
