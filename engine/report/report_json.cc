#include "engine/report/report_json.h"

#include <sys/mman.h>

#include <charconv>
#include <cmath>

#include "core/strings.h"

namespace llmeval::report_json {

namespace {
bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

// `text` cut to `max_chars` code points on a character boundary, with "…" appended when something was cut.
std::string Excerpt(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsContinuation(static_cast<unsigned char>(text[i]))) continue;
    if (chars == max_chars) return std::string(text.substr(0, i)) + "\xE2\x80\xA6";
    ++chars;
  }
  return std::string(text);
}

// `text` without a trailing, incomplete UTF-8 sequence (left by a byte-count cut).
std::string_view TrimPartialUtf8(std::string_view text) {
  size_t i = text.size();
  size_t back = 0;
  while (i > 0 && back < 4 && IsContinuation(static_cast<unsigned char>(text[i - 1]))) {
    --i;
    ++back;
  }
  if (i == 0) return text;
  unsigned char lead = static_cast<unsigned char>(text[i - 1]);
  size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (need > 1 && back + 1 < need) return text.substr(0, i - 1);
  return text;
}

// Asks for transparent huge pages under a large buffer about to be filled: one page fault per 2 MiB instead of per
// 4 KiB (a 150 MB report otherwise spends a good part of its time in the kernel's fault path). Only advice.
void AdviseHugePages(std::string* buffer) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  if (buffer->capacity() < 4 * kHuge) return;
  uintptr_t begin = (reinterpret_cast<uintptr_t>(buffer->data()) + kHuge - 1) & ~(kHuge - 1);
  uintptr_t end = (reinterpret_cast<uintptr_t>(buffer->data()) + buffer->capacity()) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// A number in its shortest round-trip form (std::to_chars: much cheaper than printf on a report's many numbers).
void Number(JsonWriter* w, double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (!std::isfinite(v) || ec != std::errc()) {
    w->Null();
    return;
  }
  w->Raw(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void Number(JsonWriter* w, std::string_view key, double v) {
  w->Key(key);
  Number(w, v);
}

void OptionalDouble(JsonWriter* w, std::string_view key, const std::optional<double>& v) {
  w->Key(key);
  if (v.has_value()) {
    Number(w, *v);
  } else {
    w->Null();
  }
}

// Maps the store's "no run" message to the documented one.
Status RunNotFound(const Status& s, int64_t run_id) {
  if (s.code() != StatusCode::kNotFound) return s;
  return Status::NotFound("run " + std::to_string(run_id) + " not found (see: llmeval runs list)");
}

// The run's category column: params "group_by", else "category" when the items have that input, else "".
Result<std::string> CategoryColumn(Store* store, const RunRecord& run) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view group_by;
  if (parser.parse(run.params_json).get(root) == simdjson::SUCCESS && root.is_object() &&
      root["group_by"].get(group_by) == simdjson::SUCCESS && !group_by.empty()) {
    return AsciiLower(group_by);
  }
  Result<bool> has = store->FirstItemHasInput(run.id, "category");
  if (!has.ok()) return has.status();
  return *has ? std::string("category") : std::string();
}

}  // namespace llmeval::report_json
