// Internal to engine/report: the small JSON helpers the report's document writers share (excerpts on character
// boundaries, shortest round-trip numbers, stored JSON validated before it is inserted verbatim) and the lookups of
// a run every document needs. Pure functions over their arguments, except CategoryColumn, which reads the store.
// A JsonReader holds a simdjson parser: one per thread.
#ifndef LLMEVAL_ENGINE_REPORT_REPORT_JSON_H_
#define LLMEVAL_ENGINE_REPORT_REPORT_JSON_H_

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_writer.h"
#include "core/status.h"
#include "engine/store/store.h"

namespace llmeval::report_json {

inline constexpr size_t kExcerptChars = 240;

// `text` cut to `max_chars` code points on a character boundary, with "…" appended when something was cut.
std::string Excerpt(std::string_view text, size_t max_chars = kExcerptChars);
// `text` without a trailing, incomplete UTF-8 sequence (left by a byte-count cut).
std::string_view TrimPartialUtf8(std::string_view text);
// Asks for transparent huge pages under a large buffer about to be filled. Only advice.
void AdviseHugePages(std::string* buffer);
inline int64_t NsToMs(int64_t ns) { return ns / 1'000'000; }
// A number in its shortest round-trip form; non-finite numbers are written as null.
void Number(JsonWriter* w, double v);
void Number(JsonWriter* w, std::string_view key, double v);
// The value, or null when absent.
void OptionalDouble(JsonWriter* w, std::string_view key, const std::optional<double>& v);
// Maps the store's "no run" message to the documented one.
Status RunNotFound(const Status& s, int64_t run_id);
// The run's category column: params "group_by", else "category" when the items have that input, else "".
Result<std::string> CategoryColumn(Store* store, const RunRecord& run);

// Reads stored JSON: validates documents before they are inserted verbatim, and looks up input values.
class JsonReader {
 public:
  bool Valid(std::string_view json) {
    simdjson::dom::element root;
    return parser_.parse(json.data(), json.size()).get(root) == simdjson::SUCCESS;
  }
  // Writes `json` verbatim when valid, else `fallback`.
  void RawOr(JsonWriter* w, std::string_view key, const std::string& json, std::string_view fallback) {
    w->Key(key);
    w->Raw(Valid(json) ? std::string_view(json) : fallback);
  }
  // Parses an item's inputs; false when they are not a JSON object.
  bool ParseInputs(const std::string& json) {
    inputs_ok_ = parser_.parse(json).get(inputs_) == simdjson::SUCCESS && inputs_.is_object();
    return inputs_ok_;
  }
  // An input of the last parsed inputs as text ("" when absent or null).
  std::string Input(const std::string& key) {
    if (!inputs_ok_ || key.empty()) return "";
    simdjson::dom::element v;
    if (inputs_[key].get(v) != simdjson::SUCCESS || v.is_null()) return "";
    std::string_view s;
    if (v.get(s) == simdjson::SUCCESS) return std::string(s);
    return simdjson::to_string(v);
  }

 private:
  simdjson::dom::parser parser_;
  simdjson::dom::element inputs_;
  bool inputs_ok_ = false;
};

}  // namespace llmeval::report_json

#endif  // LLMEVAL_ENGINE_REPORT_REPORT_JSON_H_
