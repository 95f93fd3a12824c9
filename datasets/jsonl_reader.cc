// The JSONL reader. Each non-blank line holds one JSON object (a line ends at LF; a CR before it is dropped; a leading
// UTF-8 BOM is dropped). The keys of the FIRST object name the columns, in order (normalized with
// NormalizeColumnName); later objects may leave keys out (the value is then empty) but a key that is not a column is
// an error. Values: strings as they are, numbers and booleans as JSON text (numbers as simdjson prints them: integers
// exactly, floating point in shortest round-trip form), arrays and objects as compact JSON, null as "". Invalid UTF-8
// is replaced with U+FFFD before parsing, with a warning. Errors are "file:line: ...".
#include <simdjson.h>

#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/strings.h"
#include "core/utf8.h"
#include "datasets/column_names.h"
#include "datasets/input_buffer.h"
#include "datasets/row_reader.h"

namespace llmeval {
namespace {

bool IsBlankLine(const std::string& line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

const char* TypeName(simdjson::dom::element_type type) {
  switch (type) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::STRING:
      return "a string";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "a number";
  }
}

void ValueText(simdjson::dom::element value, std::string* out) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING: {
      std::string_view text;
      if (!value.get(text)) out->assign(text);
      break;
    }
    case simdjson::dom::element_type::NULL_VALUE:
      out->clear();
      break;
    default:
      *out = simdjson::minify(value);
      break;
  }
}

class JsonlReader final : public RowReader {
 public:
  JsonlReader(ByteSource* source, std::string file_name) : input_(source), file_(std::move(file_name)) {}

  Status ReadHeader() override;
  const std::vector<std::string>& raw_columns() const override { return raw_columns_; }
  const std::vector<std::string>& columns() const override { return columns_; }
  Result<bool> Next(DataRow* row) override;
  std::string content_hash() override { return input_.HashSoFar(); }

 private:
  // Reads the next non-blank line into line_ (repairing UTF-8, noting warnings in line_warnings_); false at the end.
  bool ReadLine();
  // Parses line_ as an object; fills *object or returns an error.
  Status ParseObject(simdjson::dom::object* object);
  // Fills row->values from a later object.
  Status FillRow(simdjson::dom::object object, DataRow* row);
  Status Error(const std::string& message) const {
    return Status::InvalidInput(file_ + ":" + std::to_string(line_number_) + ": " + message);
  }
  Status Fail(Status status) {
    sticky_ = status;
    return status;
  }

  InputBuffer input_;
  std::string file_;
  simdjson::dom::parser parser_;
  std::string line_;
  int64_t line_number_ = 0;  // Of the line in line_.
  std::vector<std::string> line_warnings_;

  bool header_read_ = false;
  bool done_ = false;
  Status sticky_;
  int64_t next_index_ = 0;
  std::vector<std::string> raw_columns_;
  std::vector<std::string> columns_;
  std::unordered_map<std::string, size_t> index_of_key_;  // Raw and normalized names -> column.
  std::vector<bool> seen_;
  bool has_first_row_ = false;
  DataRow first_row_;
};

bool JsonlReader::ReadLine() {
  for (;;) {
    line_.clear();
    line_warnings_.clear();
    if (!input_.Fill()) return false;
    ++line_number_;
    for (;;) {
      const char* p = input_.cursor();
      size_t n = input_.available();
      const void* newline = std::memchr(p, '\n', n);
      if (newline != nullptr) {
        size_t i = static_cast<const char*>(newline) - p;
        line_.append(p, i);
        input_.Advance(i + 1);
        break;
      }
      line_.append(p, n);
      input_.Advance(n);
      if (!input_.Fill()) break;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (IsBlankLine(line_)) continue;
    if (!IsValidUtf8(line_)) {
      line_ = SanitizeUtf8(line_);
      line_warnings_.push_back(file_ + ":" + std::to_string(line_number_) + ": invalid UTF-8 replaced with U+FFFD");
    }
    return true;
  }
}

Status JsonlReader::ParseObject(simdjson::dom::object* object) {
  simdjson::dom::element document;
  simdjson::error_code error = parser_.parse(line_.data(), line_.size()).get(document);
  if (error) return Error(std::string("invalid JSON: ") + simdjson::error_message(error));
  if (document.get(*object)) {
    return Error(std::string("expected a JSON object, found ") + TypeName(document.type()));
  }
  return Status::OK();
}

Status JsonlReader::ReadHeader() {
  if (header_read_) return Status::Internal("JsonlReader::ReadHeader called twice");
  header_read_ = true;
  if (input_.FillAtLeast(3) && std::string_view(input_.cursor(), 3) == "\xEF\xBB\xBF") input_.Advance(3);
  if (!ReadLine()) {
    if (!input_.status().ok()) return Fail(input_.status());
    line_number_ = 1;
    return Fail(Error("is empty; expected one JSON object per line"));
  }
  if (!input_.status().ok()) return Fail(input_.status());
  simdjson::dom::object object;
  if (Status status = ParseObject(&object); !status.ok()) return Fail(status);
  if (object.size() == 0) return Fail(Error("the first object has no keys; its keys name the columns"));
  for (auto field : object) {
    std::string name(TrimWhitespace(field.key));
    size_t column = raw_columns_.size();
    if (name.empty()) return Fail(Error("key " + std::to_string(column + 1) + " of the first object is empty"));
    std::string normalized = NormalizeColumnName(name);
    if (normalized.empty()) {
      return Fail(Error("key '" + name + "' has no letters or digits to name a column"));
    }
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i] == normalized) {
        return Fail(Error("keys '" + raw_columns_[i] + "' and '" + name + "' both map to '" + normalized + "'"));
      }
    }
    index_of_key_.emplace(std::string(field.key), column);
    index_of_key_.emplace(normalized, column);
    first_row_.values.emplace_back();
    ValueText(field.value, &first_row_.values.back());
    raw_columns_.push_back(std::move(name));
    columns_.push_back(std::move(normalized));
  }
  first_row_.line = line_number_;
  first_row_.warnings = line_warnings_;
  has_first_row_ = true;
  seen_.assign(columns_.size(), false);
  return Status::OK();
}

Status JsonlReader::FillRow(simdjson::dom::object object, DataRow* row) {
  row->values.resize(columns_.size());
  for (std::string& value : row->values) value.clear();
  seen_.assign(columns_.size(), false);
  std::string key;
  for (auto field : object) {
    key.assign(field.key);
    auto it = index_of_key_.find(key);
    if (it == index_of_key_.end()) it = index_of_key_.find(NormalizeColumnName(key));
    if (it == index_of_key_.end()) {
      std::string message = "key '" + key + "' is not a column; the columns come from the first object: " +
                            JoinStrings(raw_columns_, ", ");
      std::string suggestion = SuggestClosest(NormalizeColumnName(key), columns_);
      if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
      return Error(message);
    }
    if (seen_[it->second]) return Error("key '" + key + "' appears twice in the object");
    seen_[it->second] = true;
    ValueText(field.value, &row->values[it->second]);
  }
  return Status::OK();
}

Result<bool> JsonlReader::Next(DataRow* row) {
  if (!header_read_) return Status::Internal("JsonlReader::Next called before ReadHeader");
  if (!sticky_.ok()) return sticky_;
  if (done_) return false;
  if (has_first_row_) {
    has_first_row_ = false;
    row->values.swap(first_row_.values);
    row->warnings.swap(first_row_.warnings);
    row->line = first_row_.line;
    row->index = next_index_++;
    return true;
  }
  bool got = ReadLine();
  if (!input_.status().ok()) return Fail(input_.status());
  if (!got) {
    done_ = true;
    return false;
  }
  simdjson::dom::object object;
  if (Status status = ParseObject(&object); !status.ok()) return Fail(status);
  if (Status status = FillRow(object, row); !status.ok()) return Fail(status);
  row->warnings = line_warnings_;
  row->line = line_number_;
  row->index = next_index_++;
  return true;
}

}  // namespace

std::unique_ptr<RowReader> NewJsonlReader(ByteSource* source, std::string file_name) {
  return std::make_unique<JsonlReader>(source, std::move(file_name));
}

}  // namespace llmeval
