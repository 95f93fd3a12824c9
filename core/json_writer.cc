#include "core/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/utf8.h"

namespace llmeval {

namespace {

// True when one of the eight bytes of `word` is a control character (< 0x20), '"', '\\' or not ASCII (>= 0x80):
// the bytes a JSON string cannot take as they are, or that need a UTF-8 check. The classic "has a byte less than n"
// and "has a zero byte" bit tricks, exact for this use because any high bit already counts.
bool NeedsCare(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t quote = word ^ (kOnes * '"');
  const uint64_t backslash = word ^ (kOnes * '\\');
  const uint64_t found = (word - kOnes * 0x20) | (quote - kOnes) | (backslash - kOnes);
  return ((found & ~word) | word) & kHigh;
}

void AppendEscape(unsigned char c, std::string* out) {
  switch (c) {
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      char buf[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(buf, sizeof buf);
    }
  }
}

// Appends `text` quoted and escaped; false (with `out` possibly extended) when `text` is not valid UTF-8.
bool AppendValidJsonString(std::string_view text, std::string* out) {
  out->reserve(out->size() + text.size() + 2);
  out->push_back('"');
  const size_t n = text.size();
  size_t run_start = 0;  // Bytes that need no escape are appended in runs, not one by one.
  size_t i = 0;
  while (i < n) {
    // Skip eight plain ASCII bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (NeedsCare(word)) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t len = Utf8SequenceLength(text, i);
      if (len == 0) return false;
      i += len;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out->append(text.data() + run_start, i - run_start);
    AppendEscape(c, out);
    run_start = ++i;
  }
  out->append(text.data() + run_start, n - run_start);
  out->push_back('"');
  return true;
}

}  // namespace

void AppendShortestDouble(double value, std::string* out) {
  char buf[32];
  std::to_chars_result result = std::to_chars(buf, buf + sizeof buf, value);
  out->append(buf, result.ptr);
}

void AppendJsonString(std::string_view text, std::string* out) {
  const size_t original_size = out->size();
  if (AppendValidJsonString(text, out)) return;
  // Invalid UTF-8 (rare): start again from the repaired text.
  out->resize(original_size);
  AppendValidJsonString(SanitizeUtf8(text), out);
}

std::string JsonQuote(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_in_scope_.empty()) {
    if (first_in_scope_.back() == 0) out_.push_back(',');
    first_in_scope_.back() = 0;
  }
}

void JsonWriter::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  first_in_scope_.push_back(1);
}

void JsonWriter::EndObject() {
  first_in_scope_.pop_back();
  out_.push_back('}');
}

void JsonWriter::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  first_in_scope_.push_back(1);
}

void JsonWriter::EndArray() {
  first_in_scope_.pop_back();
  out_.push_back(']');
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(key, &out_);
  out_.push_back(':');
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(value, &out_);
}

void JsonWriter::Int(int64_t value) {
  BeforeValue();
  out_.append(std::to_string(value));
}

void JsonWriter::Uint(uint64_t value) {
  BeforeValue();
  out_.append(std::to_string(value));
}

void JsonWriter::Double(double value) {
  BeforeValue();
  if (!std::isfinite(value)) {
    out_.append("null");
    return;
  }
  AppendShortestDouble(value, &out_);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
}

void JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
}

}  // namespace llmeval
