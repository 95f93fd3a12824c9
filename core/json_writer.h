// JsonWriter builds a JSON document into a string, always valid: strings are escaped and invalid UTF-8 in them is
// replaced with U+FFFD, non-finite numbers become null. Commas are placed automatically. Not thread-safe; one writer
// per document.
//
//   JsonWriter w;
//   w.BeginObject(); w.Key("model"); w.String("sim"); w.EndObject();
//   std::string body = w.Take();
#ifndef LLMEVAL_CORE_JSON_WRITER_H_
#define LLMEVAL_CORE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace llmeval {

class JsonWriter {
 public:
  // `reserve_bytes`: the expected size of the document, to spare the string's regrowth.
  explicit JsonWriter(size_t reserve_bytes = 0) { out_.reserve(reserve_bytes); }

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  void Double(double value);
  void Bool(bool value);
  void Null();
  // Inserts `json` verbatim as one value. REQUIRES: `json` is a valid JSON value.
  void Raw(std::string_view json);

  // Shorthands for a key followed by a value.
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void Field(std::string_view key, const char* value) {
    Key(key);
    String(value);
  }
  void Field(std::string_view key, int64_t value) {
    Key(key);
    Int(value);
  }
  void Field(std::string_view key, int value) {
    Key(key);
    Int(value);
  }
  void Field(std::string_view key, double value) {
    Key(key);
    Double(value);
  }
  void Field(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();

  std::string out_;
  // One byte per open object or array, 1 until its first value: a short string's inline buffer holds 15 levels of
  // nesting without allocating.
  std::string first_in_scope_;
  bool after_key_ = false;
};

// Appends `text` as a quoted, escaped JSON string to `out`, repairing invalid UTF-8.
void AppendJsonString(std::string_view text, std::string* out);

// Returns `text` as a quoted JSON string.
// Appends the shortest decimal form of `value` that reads back as exactly `value` (std::to_chars: fixed or
// exponent notation, whichever is shorter). REQUIRES: `value` is finite.
void AppendShortestDouble(double value, std::string* out);

std::string JsonQuote(std::string_view text);

}  // namespace llmeval

#endif  // LLMEVAL_CORE_JSON_WRITER_H_
