// The CSV reader. Dialect (RFC 4180 plus what spreadsheets really export):
//  - The first non-blank record is the header; every later record must have as many fields as the header.
//  - Fields are separated by ','. Records end at LF, CRLF or a lone CR. A leading UTF-8 BOM is dropped.
//  - Blank lines (empty or only spaces/tabs) are skipped anywhere, including at the end.
//  - Spaces and tabs around a field are insignificant: unquoted fields are trimmed, and blanks before an opening
//    quote or after a closing quote are dropped (`a, "b,c" ,d` is three fields). Inside quotes everything is kept,
//    including commas, CR and LF (as written), and `""` stands for one quote.
//  - A quote inside an unquoted field is kept literally (`5" display`). Text after a closing quote is kept literally
//    too (`"5" display` -> `5 display`) and produces a warning, since it usually means a badly escaped quote.
//  - Invalid UTF-8 is replaced with U+FFFD and produces a warning naming the file, line and column.
// Error positions are "file:line:column" with 1-based physical lines and 1-based byte columns.
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

constexpr unsigned char kEndsUnquoted = 1;   // ',' CR LF end an unquoted field.
constexpr unsigned char kEndsQuotedRun = 2;  // '"' CR LF interrupt a run of quoted bytes.

struct ByteClasses {
  unsigned char of[256] = {};
  constexpr ByteClasses() {
    of[static_cast<unsigned char>(',')] = kEndsUnquoted;
    of[static_cast<unsigned char>('"')] = kEndsQuotedRun;
    of[static_cast<unsigned char>('\r')] = kEndsUnquoted | kEndsQuotedRun;
    of[static_cast<unsigned char>('\n')] = kEndsUnquoted | kEndsQuotedRun;
  }
};
constexpr ByteClasses kClasses;

bool IsBlank(int c) { return c == ' ' || c == '\t'; }

bool IsAscii(const std::string& text) {
  unsigned char any = 0;
  for (char c : text) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

struct Position {
  int64_t line = 1;
  int64_t column = 1;
};

class CsvReader final : public RowReader {
 public:
  CsvReader(ByteSource* source, std::string file_name) : input_(source), file_(std::move(file_name)) {}

  Status ReadHeader() override;
  const std::vector<std::string>& raw_columns() const override { return raw_columns_; }
  const std::vector<std::string>& columns() const override { return columns_; }
  Result<bool> Next(DataRow* row) override;
  std::string content_hash() override { return input_.HashSoFar(); }

 private:
  // Parses the next non-blank record into (*fields)[0 .. *count). Returns false at the end of the input, or on a
  // parse error (then *error is set). Sets field_starts_, record_line_, record_end_ and text_after_quote_.
  bool ParseRecord(std::vector<std::string>* fields, size_t* count, Status* error);
  // At an opening quote: appends the unescaped content up to the closing quote, which it consumes.
  bool ParseQuoted(std::string* field, Status* error);
  // Appends bytes up to the next ',', CR or LF (not consumed) or the end.
  void ScanUnquoted(std::string* field);
  void SkipBlanks() {
    while (IsBlank(input_.Peek())) input_.Advance(1);
  }
  // At CR or LF: consumes the line end (CRLF as one) and starts a new line.
  void ConsumeLineEnd();
  void StartNewLine() {
    ++line_;
    line_start_ = input_.offset();
  }
  Position Here() const { return {line_, static_cast<int64_t>(input_.offset() - line_start_) + 1}; }
  Status Error(Position at, const std::string& message) const {
    return Status::InvalidInput(file_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                                message);
  }
  Status Fail(Status status) {
    sticky_ = status;
    return status;
  }
  std::string Warning(int64_t line, const std::string& message) const {
    return file_ + ":" + std::to_string(line) + ": " + message;
  }

  InputBuffer input_;
  std::string file_;
  int64_t line_ = 1;
  uint64_t line_start_ = 0;  // Stream offset of the first byte of line_.
  int64_t record_line_ = 1;
  Position record_end_;
  std::vector<Position> field_starts_;
  std::vector<size_t> text_after_quote_;  // Fields of the last record with text after their closing quote.

  bool header_read_ = false;
  bool done_ = false;
  Status sticky_;
  int64_t next_index_ = 0;
  std::vector<std::string> raw_columns_;
  std::vector<std::string> columns_;
  std::vector<std::string> header_warnings_;  // Attached to the first data row.
};

void CsvReader::ConsumeLineEnd() {
  int c = input_.Peek();
  input_.Advance(1);
  if (c == '\r' && input_.Peek() == '\n') input_.Advance(1);
  StartNewLine();
}

void CsvReader::ScanUnquoted(std::string* field) {
  while (input_.Fill()) {
    const char* p = input_.cursor();
    size_t n = input_.available();
    size_t i = 0;
    while (i < n && !(kClasses.of[static_cast<unsigned char>(p[i])] & kEndsUnquoted)) ++i;
    field->append(p, i);
    input_.Advance(i);
    if (i < n) return;
  }
}

bool CsvReader::ParseQuoted(std::string* field, Status* error) {
  Position open = Here();
  input_.Advance(1);
  for (;;) {
    if (!input_.Fill()) {
      *error = Error(open, "unterminated quoted field: the quote opened here is never closed");
      return false;
    }
    const char* p = input_.cursor();
    size_t n = input_.available();
    size_t i = 0;
    while (i < n && !(kClasses.of[static_cast<unsigned char>(p[i])] & kEndsQuotedRun)) ++i;
    field->append(p, i);
    input_.Advance(i);
    if (i == n) continue;
    char c = p[i];
    input_.Advance(1);
    if (c == '"') {
      if (input_.Peek() != '"') return true;  // The closing quote.
      field->push_back('"');
      input_.Advance(1);
    } else if (c == '\n') {
      field->push_back('\n');
      StartNewLine();
    } else {  // CR, perhaps the first half of CRLF.
      field->push_back('\r');
      if (input_.Peek() == '\n') {
        field->push_back('\n');
        input_.Advance(1);
      }
      StartNewLine();
    }
  }
}

bool CsvReader::ParseRecord(std::vector<std::string>* fields, size_t* count, Status* error) {
  *count = 0;
  field_starts_.clear();
  text_after_quote_.clear();
  for (;;) {  // Skip blank lines.
    SkipBlanks();
    int c = input_.Peek();
    if (c < 0) return false;
    if (c != '\r' && c != '\n') break;
    ConsumeLineEnd();
  }
  record_line_ = line_;
  for (;;) {
    if (*count == fields->size()) fields->emplace_back();
    std::string* field = &(*fields)[*count];
    field->clear();
    field_starts_.push_back(Here());
    size_t quoted_length = 0;
    bool quoted = input_.Peek() == '"';
    if (quoted) {
      if (!ParseQuoted(field, error)) return false;
      quoted_length = field->size();
    }
    ScanUnquoted(field);
    size_t length = field->size();
    while (length > quoted_length && IsBlank((*field)[length - 1])) --length;
    if (quoted && length > quoted_length) text_after_quote_.push_back(*count);
    field->resize(length);
    ++*count;
    int c = input_.Peek();
    if (c == ',') {
      input_.Advance(1);
      SkipBlanks();
      continue;
    }
    record_end_ = Here();
    if (c >= 0) ConsumeLineEnd();
    return true;
  }
}

Status CsvReader::ReadHeader() {
  if (header_read_) return Status::Internal("CsvReader::ReadHeader called twice");
  header_read_ = true;
  if (Status status = CheckStartsAsUtf8(&input_, file_); !status.ok()) return Fail(status);
  if (input_.FillAtLeast(3) && std::string_view(input_.cursor(), 3) == "\xEF\xBB\xBF") {
    input_.Advance(3);
    line_start_ = input_.offset();
  }
  std::vector<std::string> fields;
  size_t count = 0;
  Status error;
  bool got = ParseRecord(&fields, &count, &error);
  if (!input_.status().ok()) return Fail(input_.status());
  if (!error.ok()) return Fail(error);
  if (!got) return Fail(Error(Position{}, "is empty; expected a header row"));

  std::unordered_map<std::string, size_t> seen;
  for (size_t i = 0; i < count; ++i) {
    std::string name(TrimWhitespace(fields[i]));
    if (!IsAscii(name) && !IsValidUtf8(name)) {
      name = SanitizeUtf8(name);
      header_warnings_.push_back(
          Warning(field_starts_[i].line,
                  "invalid UTF-8 replaced with U+FFFD in the header of column " + std::to_string(i + 1)));
    }
    if (name.empty()) return Fail(Error(field_starts_[i], "column " + std::to_string(i + 1) + " has an empty header"));
    std::string normalized = NormalizeColumnName(name);
    if (normalized.empty()) {
      return Fail(Error(field_starts_[i], "column " + std::to_string(i + 1) + " header '" + name +
                                              "' has no letters or digits to name it"));
    }
    auto [it, inserted] = seen.emplace(normalized, i);
    if (!inserted) {
      return Fail(Error(field_starts_[i], "columns '" + raw_columns_[it->second] + "' and '" + name +
                                              "' both map to '" + normalized + "'"));
    }
    raw_columns_.push_back(std::move(name));
    columns_.push_back(std::move(normalized));
  }
  return Status::OK();
}

Result<bool> CsvReader::Next(DataRow* row) {
  if (!header_read_) return Status::Internal("CsvReader::Next called before ReadHeader");
  if (!sticky_.ok()) return sticky_;
  if (done_) return false;
  size_t count = 0;
  Status error;
  bool got = ParseRecord(&row->values, &count, &error);
  if (!input_.status().ok()) return Fail(input_.status());
  if (!error.ok()) return Fail(error);
  if (!got) {
    done_ = true;
    return false;
  }
  size_t expected = columns_.size();
  if (count != expected) {
    Position at = count > expected ? field_starts_[expected] : record_end_;
    return Fail(
        Error(at, "expected " + std::to_string(expected) + " fields as in the header, found " + std::to_string(count)));
  }
  row->values.resize(count);
  row->index = next_index_++;
  row->line = record_line_;
  row->warnings.clear();
  if (!header_warnings_.empty()) row->warnings.swap(header_warnings_);
  for (size_t i = 0; i < count; ++i) {
    std::string& value = row->values[i];
    if (IsAscii(value) || IsValidUtf8(value)) continue;
    value = SanitizeUtf8(value);
    row->warnings.push_back(
        Warning(field_starts_[i].line, "invalid UTF-8 replaced with U+FFFD in column '" + raw_columns_[i] + "'"));
  }
  for (size_t i : text_after_quote_) {
    row->warnings.push_back(Warning(
        field_starts_[i].line, "text after the closing quote in column '" + raw_columns_[i] + "' was kept as written"));
  }
  return true;
}

}  // namespace

std::unique_ptr<RowReader> NewCsvReader(ByteSource* source, std::string file_name) {
  return std::make_unique<CsvReader>(source, std::move(file_name));
}

}  // namespace llmeval
