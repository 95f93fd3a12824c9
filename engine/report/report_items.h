// Internal to engine/report: the item documents of a run, written into a JsonWriter: an ItemRow (the excerpts a
// table shows), an ItemDetail (full texts, assessments and the trace's spans), and a whole run's items streamed from
// the store with their details side by side (memory holds one item at a time plus the output). Shapes are documented
// in report_data.h. Not thread-safe beyond the JsonReader passed in (one per thread).
#ifndef LLMEVAL_ENGINE_REPORT_REPORT_ITEMS_H_
#define LLMEVAL_ENGINE_REPORT_REPORT_ITEMS_H_

#include <optional>
#include <string>
#include <vector>

#include "core/json_writer.h"
#include "core/status.h"
#include "engine/report/report_json.h"
#include "engine/store/store.h"

namespace llmeval::report_json {

// The fields of an ItemRow, without the enclosing braces. `question` and `answer` are written as given.
void WriteItemRowFields(JsonWriter* w, const ItemRecord& item, const std::string& category, const std::string& question,
                        const std::optional<std::string>& answer);
// An ItemRow of excerpts from an item read with its full texts (inputs already parsed into `json`).
void WriteItemRow(JsonWriter* w, JsonReader* json, const ItemRecord& item, const std::string& category);
// An ItemDetailJson from an item with full texts (inputs already parsed into `json`) and its spans in start order.
void WriteItemDetail(JsonWriter* w, JsonReader* json, const ItemRecord& item, const std::string& category,
                     const std::vector<SpanRow>& spans);
// Streams every item of `run` as an ItemsJson into `data` and as `"<id>":ItemDetailJson` members into `details` (an
// object the caller has opened and sized; `*first` says whether a member was written yet). Each detail is written by
// its own small writer and appended, so the large document grows in place.
Status StreamRunItems(Store* store, const RunRecord& run, const std::string& category_column, JsonWriter* data,
                      std::string* details, bool* first);

}  // namespace llmeval::report_json

#endif  // LLMEVAL_ENGINE_REPORT_REPORT_ITEMS_H_
