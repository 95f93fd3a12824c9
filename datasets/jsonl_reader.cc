// The JSONL reader. Each non-blank line holds one JSON object (a line ends at LF; a CR before it is dropped; a leading
// UTF-8 BOM is dropped). The keys of the FIRST object name the columns, in order (normalized with
// NormalizeColumnName); later objects may leave keys out (the value is then empty) but a key that is not a column is
// an error. Values: strings as they are, numbers exactly as written in the file (`2.50` stays `2.50`; numbers too
// large for a double, such as 21-digit ids, are kept), booleans as `true`/`false`, arrays and objects as compact JSON
// (whitespace dropped; numbers inside as written, strings re-escaped), null as "". Invalid UTF-8 is replaced with
// U+FFFD before parsing, with a warning. Errors are "file:line: ..." or, where simdjson knows the position,
// "file:line:column: ..." (1-based byte column).
//
// Parsing uses simdjson's On-Demand API, which hands out a number's raw token; the DOM API would convert every
// number to a double or a 64-bit integer and refuse the rest. Every value is walked in full, so the whole line is
// validated.
#include <simdjson.h>

#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json_writer.h"
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

namespace od = simdjson::ondemand;

const char* TypeName(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
    case od::json_type::number:
      return "a number";
  }
  return "a value";
}

// Why a line is not valid JSON, and where (a pointer into the line, when known).
struct JsonProblem {
  std::string message;
  const char* at = nullptr;
};

bool Failed(simdjson::error_code error, const char* at, JsonProblem* problem) {
  problem->message = std::string("invalid JSON: ") + simdjson::error_message(error);
  problem->at = at;
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. No limit on size or precision.
bool IsJsonNumber(std::string_view t) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// A scalar's raw token without the whitespace simdjson leaves after it.
std::string_view TrimmedToken(od::value& value) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() &&
         (token.back() == ' ' || token.back() == '\t' || token.back() == '\r' || token.back() == '\n')) {
    token.remove_suffix(1);
  }
  return token;
}

// Appends `value` to *out as compact JSON, validating it in full; false with *problem set when it is not valid.
bool AppendCompact(od::value value, std::string* out, JsonProblem* problem) {
  const char* at = value.raw_json_token().data();
  od::json_type type;
  if (auto error = value.type().get(type)) return Failed(error, at, problem);
  switch (type) {
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) return Failed(error, at, problem);
      out->push_back('[');
      bool first = true;
      for (auto element : array) {
        od::value item;
        if (auto error = std::move(element).get(item)) return Failed(error, nullptr, problem);
        if (!first) out->push_back(',');
        first = false;
        if (!AppendCompact(item, out, problem)) return false;
      }
      out->push_back(']');
      return true;
    }
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) return Failed(error, at, problem);
      out->push_back('{');
      bool first = true;
      for (auto member : object) {
        od::field field;
        if (auto error = std::move(member).get(field)) return Failed(error, nullptr, problem);
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return Failed(error, nullptr, problem);
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(key, out);
        out->push_back(':');
        if (!AppendCompact(field.value(), out, problem)) return false;
      }
      out->push_back('}');
      return true;
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return Failed(error, at, problem);
      AppendJsonString(text, out);
      return true;
    }
    case od::json_type::number: {
      std::string_view token = TrimmedToken(value);
      if (!IsJsonNumber(token)) {
        problem->message = "invalid JSON: '" + SanitizeUtf8(token.substr(0, 40)) + "' is not a number";
        problem->at = at;
        return false;
      }
      out->append(token);
      return true;
    }
    case od::json_type::boolean: {
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) return Failed(error, at, problem);
      out->append(flag ? "true" : "false");
      return true;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return Failed(error, at, problem);
      if (!is_null) return Failed(simdjson::N_ATOM_ERROR, at, problem);
      out->append("null");
      return true;
    }
  }
  return Failed(simdjson::INCORRECT_TYPE, at, problem);
}

// A value as a column holds it: a string unescaped, null as "", anything else as compact JSON (numbers as written).
bool ValueText(od::value value, std::string* out, JsonProblem* problem) {
  out->clear();
  const char* at = value.raw_json_token().data();
  od::json_type type;
  if (auto error = value.type().get(type)) return Failed(error, at, problem);
  if (type == od::json_type::string) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) return Failed(error, at, problem);
    out->assign(text);
    return true;
  }
  if (!AppendCompact(value, out, problem)) return false;
  if (type == od::json_type::null) out->clear();
  return true;
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
  // Parses line_ as one JSON object. For each member in order, calls slot_for(key), which returns where the member's
  // value text goes (see ValueText) or an error, which ends the parse. Returns the member count or the first error.
  template <typename SlotFor>
  Result<size_t> ParseObject(SlotFor slot_for);
  // Fills row->values from a later object.
  Status FillRow(DataRow* row);
  Status Error(const std::string& message) const {
    return Status::InvalidInput(file_ + ":" + std::to_string(line_number_) + ": " + message);
  }
  // "file:line:column: message" when `at` points into line_, else as Error.
  Status ErrorAt(const std::string& message, const char* at) const {
    if (at == nullptr || at < line_.data() || at > line_.data() + line_.size()) return Error(message);
    return Status::InvalidInput(file_ + ":" + std::to_string(line_number_) + ":" +
                                std::to_string(at - line_.data() + 1) + ": " + message);
  }
  Status Fail(Status status) {
    sticky_ = status;
    return status;
  }

  InputBuffer input_;
  std::string file_;
  od::parser parser_;
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

template <typename SlotFor>
Result<size_t> JsonlReader::ParseObject(SlotFor slot_for) {
  line_.reserve(line_.size() + simdjson::SIMDJSON_PADDING);  // On-Demand reads a little past the end.
  od::document document;
  if (auto error = parser_.iterate(line_.data(), line_.size(), line_.capacity()).get(document)) {
    return ErrorAt(std::string("invalid JSON: ") + simdjson::error_message(error), nullptr);
  }
  // Where the parse stopped, for messages about an error found while iterating.
  auto here = [&document]() -> const char* {
    const char* at = nullptr;
    return document.current_location().get(at) == simdjson::SUCCESS ? at : nullptr;
  };
  od::json_type type;
  if (auto error = document.type().get(type)) {
    return ErrorAt(std::string("invalid JSON: ") + simdjson::error_message(error), here());
  }
  if (type != od::json_type::object) return Error(std::string("expected a JSON object, found ") + TypeName(type));
  od::object object;
  if (auto error = document.get_object().get(object)) {
    return ErrorAt(std::string("invalid JSON: ") + simdjson::error_message(error), here());
  }
  size_t members = 0;
  JsonProblem problem;
  for (auto member : object) {
    od::field field;
    std::string_view key;
    if (auto error = std::move(member).get(field))
      return ErrorAt(std::string("invalid JSON: ") + simdjson::error_message(error), here());
    if (auto error = field.unescaped_key().get(key))
      return ErrorAt(std::string("invalid JSON: ") + simdjson::error_message(error), here());
    Result<std::string*> slot = slot_for(key);
    if (!slot.ok()) return slot.status();
    if (!ValueText(field.value(), *slot, &problem))
      return ErrorAt(problem.message, problem.at != nullptr ? problem.at : here());
    ++members;
  }
  if (const char* rest = here(); rest != nullptr) return ErrorAt("invalid JSON: text after the object", rest);
  return members;
}

Status JsonlReader::ReadHeader() {
  if (header_read_) return Status::Internal("JsonlReader::ReadHeader called twice");
  header_read_ = true;
  if (Status status = CheckStartsAsUtf8(&input_, file_); !status.ok()) return Fail(status);
  if (input_.FillAtLeast(3) && std::string_view(input_.cursor(), 3) == "\xEF\xBB\xBF") input_.Advance(3);
  if (!ReadLine()) {
    if (!input_.status().ok()) return Fail(input_.status());
    line_number_ = 1;
    return Fail(Error("is empty; expected one JSON object per line"));
  }
  if (!input_.status().ok()) return Fail(input_.status());
  Result<size_t> members = ParseObject([this](std::string_view key) -> Result<std::string*> {
    std::string name(TrimWhitespace(key));
    size_t column = raw_columns_.size();
    if (name.empty()) return Error("key " + std::to_string(column + 1) + " of the first object is empty");
    std::string normalized = NormalizeColumnName(name);
    if (normalized.empty()) return Error("key '" + name + "' has no letters or digits to name a column");
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i] == normalized) {
        return Error("keys '" + raw_columns_[i] + "' and '" + name + "' both map to '" + normalized + "'");
      }
    }
    index_of_key_.emplace(std::string(key), column);
    index_of_key_.emplace(normalized, column);
    raw_columns_.push_back(std::move(name));
    columns_.push_back(std::move(normalized));
    first_row_.values.emplace_back();
    return &first_row_.values.back();
  });
  if (!members.ok()) return Fail(members.status());
  if (*members == 0) return Fail(Error("the first object has no keys; its keys name the columns"));
  first_row_.line = line_number_;
  first_row_.warnings = line_warnings_;
  has_first_row_ = true;
  seen_.assign(columns_.size(), false);
  return Status::OK();
}

Status JsonlReader::FillRow(DataRow* row) {
  row->values.resize(columns_.size());
  for (std::string& value : row->values) value.clear();
  seen_.assign(columns_.size(), false);
  std::string key;
  Result<size_t> members = ParseObject([&](std::string_view raw_key) -> Result<std::string*> {
    key.assign(raw_key);
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
    return &row->values[it->second];
  });
  return members.ok() ? Status::OK() : members.status();
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
  if (Status status = FillRow(row); !status.ok()) return Fail(status);
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
