// The CSV reader against a table of messy real-world inputs, each run with several chunk sizes to prove that chunk
// boundaries never change the result.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/hash.h"
#include "datasets/row_reader.h"
#include "read_all.h"

namespace llmeval {
namespace {

using testing::ChunkSizes;
using testing::Format;
using testing::ReadAll;
using testing::ReadOutcome;
using Rows = std::vector<std::vector<std::string>>;

struct CsvCase {
  const char* name;
  std::string input;
  std::vector<std::string> columns;   // Normalized; checked when not empty.
  Rows rows;                          // Rows returned (before the error, if any).
  std::vector<int64_t> lines;         // Line of each row; checked when not empty.
  std::string error;                  // Exact message, "" for success.
  std::vector<std::string> warnings;  // All warnings of all rows, in order.
};

const std::vector<CsvCase>& Cases() {
  static const std::vector<CsvCase> cases = {
      {"simple", "a,b\n1,2\n3,4\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}, "", {}},
      {"no_final_newline", "a,b\n1,2\n3,4", {}, {{"1", "2"}, {"3", "4"}}, {2, 3}, "", {}},
      {"crlf", "a,b\r\n1,2\r\n3,4\r\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}, "", {}},
      {"lone_cr", "a,b\r1,2\r3,4", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}, "", {}},
      {"mixed_line_ends", "a,b\r\n1,2\n3,4\r5,6\r\n", {}, {{"1", "2"}, {"3", "4"}, {"5", "6"}}, {2, 3, 4}, "", {}},
      {"bom",
       "\xEF\xBB\xBF"
       "a,b\n1,2\n",
       {"a", "b"},
       {{"1", "2"}},
       {2},
       "",
       {}},
      {"bom_only_partial_is_data",
       "\xEF\xBB"
       "a\n1\n",
       {"\xEF\xBF\xBD"
        "a"},
       {{"1"}},
       {2},
       "",
       {"t.csv:1: invalid UTF-8 replaced with U+FFFD in the header of column 1"}},
      {"quoted_comma", "q,w\n\"x, y\",1\n", {}, {{"x, y", "1"}}, {2}, "", {}},
      {"doubled_quotes", "q\n\"say \"\"hi\"\"\"\n\"\"\"\"\n", {}, {{"say \"hi\""}, {"\""}}, {2, 3}, "", {}},
      {"embedded_newline", "q,w\n\"l1\nl2\",1\nz,2\n", {}, {{"l1\nl2", "1"}, {"z", "2"}}, {2, 4}, "", {}},
      {"embedded_crlf_kept",
       "q,w\r\n\"l1\r\nl2\r\n\",1\r\nz,2\r\n",
       {},
       {{"l1\r\nl2\r\n", "1"}, {"z", "2"}},
       {2, 5},
       "",
       {}},
      {"embedded_lone_cr", "q,w\r\"l1\rl2\",1\rz,2", {}, {{"l1\rl2", "1"}, {"z", "2"}}, {2, 4}, "", {}},
      {"blank_lines", "\n\na,b\n\n1,2\n   \n\t\n3,4\n\n\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {5, 8}, "", {}},
      {"blank_crlf_lines", "a\r\n\r\n\r\nx\r\n\r\n", {}, {{"x"}}, {4}, "", {}},
      {"space_before_quote", "a,b,c\n1, \"x,y\" ,3\n", {}, {{"1", "x,y", "3"}}, {}, "", {}},
      {"trim_unquoted", "a,b\n  x  ,\ty z\t\n", {}, {{"x", "y z"}}, {}, "", {}},
      {"quoted_keeps_spaces", "a,b\n\" x \",\"\"\n", {}, {{" x ", ""}}, {}, "", {}},
      {"stray_quote_unquoted", "item,size\nTV,5\" display\n", {}, {{"TV", "5\" display"}}, {}, "", {}},
      {"text_after_closing_quote",
       "a,b\n\"5\" display,x\n",
       {},
       {{"5 display", "x"}},
       {},
       "",
       {"t.csv:2: text after the closing quote in column 'a' was kept as written"}},
      {"empty_fields", "a,b,c\n,,\n1,   ,3\n", {}, {{"", "", ""}, {"1", "", "3"}}, {2, 3}, "", {}},
      {"single_column", "q\nhello\n\nworld\n", {"q"}, {{"hello"}, {"world"}}, {2, 4}, "", {}},
      {"quoted_at_eof", "a\n\"x\"", {}, {{"x"}}, {2}, "", {}},
      {"quoted_empty_last_crlf", "a,b\r\n1,\"\"\r\n", {}, {{"1", ""}}, {2}, "", {}},
      {"multibyte_utf8",
       "a\nh\xC3\xA9llo \xE2\x80\x94 \xF0\x9F\x98\x80\n",
       {},
       {{"h\xC3\xA9llo \xE2\x80\x94 \xF0\x9F\x98\x80"}},
       {2},
       "",
       {}},
      {"invalid_utf8",
       "Question,b\nab\xFF"
       "c,2\nok,\"\xC3\"\n",
       {"question", "b"},
       {{"ab\xEF\xBF\xBD"
         "c",
         "2"},
        {"ok", "\xEF\xBF\xBD"}},
       {2, 3},
       "",
       {"t.csv:2: invalid UTF-8 replaced with U+FFFD in column 'Question'",
        "t.csv:3: invalid UTF-8 replaced with U+FFFD in column 'b'"}},
      {"header_names",
       "Category,WEIGHT (DIFFICULTY), \"Expected Response\" \n1,2,3\n",
       {"category", "weight_difficulty", "expected_response"},
       {{"1", "2", "3"}},
       {2},
       "",
       {}},
      {"header_only", "a,b\n", {"a", "b"}, {}, {}, "", {}},
      {"nul_bytes_kept", std::string("a\nx\0y\n", 6), {}, {{std::string("x\0y", 3)}}, {2}, "", {}},
      // Errors.
      {"empty_file", "", {}, {}, {}, "t.csv:1:1: is empty; expected a header row", {}},
      {"only_blank_lines", "\xEF\xBB\xBF\n \r\n\n", {}, {}, {}, "t.csv:1:1: is empty; expected a header row", {}},
      {"unterminated",
       "a,b\n1,2\n1,\"abc\n2,3\n",
       {},
       {{"1", "2"}},
       {},
       "t.csv:3:3: unterminated quoted field: the quote opened here is never closed",
       {}},
      {"unterminated_header",
       "\"a,b\n",
       {},
       {},
       {},
       "t.csv:1:1: unterminated quoted field: the quote opened here is never closed",
       {}},
      {"too_many_fields", "a,b,c\n1,2,3,4\n", {}, {}, {}, "t.csv:2:7: expected 3 fields as in the header, found 4", {}},
      {"too_few_fields", "a,b,c\n1,2\n", {}, {}, {}, "t.csv:2:4: expected 3 fields as in the header, found 2", {}},
      {"too_few_fields_crlf",
       "a,b,c\r\n1,2\r\n",
       {},
       {},
       {},
       "t.csv:2:4: expected 3 fields as in the header, found 2",
       {}},
      {"error_line_after_embedded_newline",
       "a,b\n\"x\ny\",1\n1,2,3\n",
       {},
       {{"x\ny", "1"}},
       {2},
       "t.csv:4:5: expected 2 fields as in the header, found 3",
       {}},
      {"empty_header", "a,,c\n", {}, {}, {}, "t.csv:1:3: column 2 has an empty header", {}},
      {"empty_quoted_header", "a, \"\"\n", {}, {}, {}, "t.csv:1:4: column 2 has an empty header", {}},
      {"trailing_comma_header", "a,b,\n", {}, {}, {}, "t.csv:1:5: column 3 has an empty header", {}},
      {"header_without_letters",
       "a,?\?\?\n",
       {},
       {},
       {},
       "t.csv:1:3: column 2 header '?\?\?' has no letters or digits to name it",
       {}},
      {"duplicate_column",
       "Weight,x,weight\n",
       {},
       {},
       {},
       "t.csv:1:10: columns 'Weight' and 'weight' both map to 'weight'",
       {}},
      {"duplicate_after_folding",
       "Expected Response,expected_response\n",
       {},
       {},
       {},
       "t.csv:1:19: columns 'Expected Response' and 'expected_response' both map to 'expected_response'",
       {}},
      {"bom_not_counted_in_column",
       "\xEF\xBB\xBF"
       "a,,b\n",
       {},
       {},
       {},
       "t.csv:1:3: column 2 has an empty header",
       {}},
      // Not UTF-8: refused by name instead of as a field count or header error.
      {"utf16_le_bom",
       std::string("\xFF\xFE"
                   "a\0,\0b\0\n\0"
                   "1\0,\0"
                   "2\0\n\0",
                   18),
       {},
       {},
       {},
       "t.csv is UTF-16 (byte order mark at the start); save it as UTF-8",
       {}},
      {"utf16_be_bom",
       std::string("\xFE\xFF"
                   "\0a\0,\0b\0\n",
                   10),
       {},
       {},
       {},
       "t.csv is UTF-16 (byte order mark at the start); save it as UTF-8",
       {}},
      {"utf32_le_bom",
       std::string("\xFF\xFE\0\0"
                   "a\0\0\0\n\0\0\0",
                   12),
       {},
       {},
       {},
       "t.csv is UTF-32 (byte order mark at the start); save it as UTF-8",
       {}},
      {"nul_bytes_without_bom",
       std::string("a\0,\0b\0\n\0"
                   "1,2\n",
                   12),
       {},
       {},
       {},
       "t.csv:1: NUL bytes, so this is not UTF-8 text (UTF-16 without a byte order mark, or a binary file?); save "
       "it as UTF-8",
       {}},
  };
  return cases;
}

TEST(CsvReaderTest, TableOfMessyInputsAtEveryChunkSize) {
  for (const CsvCase& c : Cases()) {
    for (size_t chunk : ChunkSizes()) {
      SCOPED_TRACE(std::string(c.name) + " chunk=" + std::to_string(chunk));
      ReadOutcome out = ReadAll(Format::kCsv, c.input, chunk, "t.csv");
      EXPECT_EQ(out.error, c.error);
      if (!c.columns.empty()) {
        EXPECT_EQ(out.columns, c.columns);
      }
      Rows values;
      std::vector<int64_t> lines;
      std::vector<std::string> warnings;
      for (size_t i = 0; i < out.rows.size(); ++i) {
        EXPECT_EQ(out.rows[i].index, static_cast<int64_t>(i));
        values.push_back(out.rows[i].values);
        lines.push_back(out.rows[i].line);
        warnings.insert(warnings.end(), out.rows[i].warnings.begin(), out.rows[i].warnings.end());
      }
      EXPECT_EQ(values, c.rows);
      if (!c.lines.empty()) {
        EXPECT_EQ(lines, c.lines);
      }
      EXPECT_EQ(warnings, c.warnings);
      if (c.error.empty()) {
        EXPECT_EQ(out.hash, Sha256Hex(c.input));
      }
    }
  }
}

TEST(CsvReaderTest, RawColumnsAreTrimmedAndBomFree) {
  ReadOutcome out = ReadAll(Format::kCsv, "\xEF\xBB\xBF Category ,\" Expected Response \"\n", 3, "t.csv");
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(out.raw_columns, (std::vector<std::string>{"Category", "Expected Response"}));
  EXPECT_EQ(out.columns, (std::vector<std::string>{"category", "expected_response"}));
}

TEST(CsvReaderTest, FieldsLongerThanTheChunkBuffer) {
  std::string long_quoted(200000, 'x');
  long_quoted[100000] = ',';
  long_quoted[150000] = '\n';
  std::string long_plain(150000, 'y');
  std::string input = "a,b\n\"" + long_quoted + "\"," + long_plain + "\nend,1\n";
  for (size_t chunk : {size_t{4093}, size_t{1} << 16}) {
    ReadOutcome out = ReadAll(Format::kCsv, input, chunk, "t.csv");
    ASSERT_EQ(out.error, "");
    ASSERT_EQ(out.rows.size(), 2u);
    EXPECT_EQ(out.rows[0].values[0], long_quoted);
    EXPECT_EQ(out.rows[0].values[1], long_plain);
    EXPECT_EQ(out.rows[1].line, 4);
    EXPECT_EQ(out.hash, Sha256Hex(input));
  }
}

// A source that makes a large CSV on the fly, so the test itself holds no big string.
class GeneratedCsvSource : public ByteSource {
 public:
  explicit GeneratedCsvSource(int rows) : rows_(rows) { pending_ = "category,question,weight\n"; }
  Result<size_t> Read(char* buffer, size_t capacity) override {
    while (pending_.size() - offset_ < capacity && next_ < rows_) {
      pending_.erase(0, offset_);
      offset_ = 0;
      pending_ += "cat" + std::to_string(next_ % 7) + ",\"What is " + std::to_string(next_) + ", \"\"really\"\"?\"," +
                  std::to_string(next_ % 3) + "\r\n";
      ++next_;
    }
    size_t n = std::min(capacity, pending_.size() - offset_);
    pending_.copy(buffer, n, offset_);
    offset_ += n;
    return n;
  }

 private:
  int rows_;
  int next_ = 0;
  std::string pending_;
  size_t offset_ = 0;
};

TEST(CsvReaderTest, StreamsManyRowsWithOneReusedRow) {
  GeneratedCsvSource source(200000);
  std::unique_ptr<RowReader> reader = NewCsvReader(&source, "big.csv");
  ASSERT_TRUE(reader->ReadHeader().ok());
  DataRow row;
  int64_t count = 0;
  for (;;) {
    Result<bool> next = reader->Next(&row);
    ASSERT_TRUE(next.ok()) << next.status().message();
    if (!*next) break;
    ASSERT_EQ(row.index, count);
    ASSERT_EQ(row.line, count + 2);
    ++count;
  }
  EXPECT_EQ(count, 200000);
  EXPECT_EQ(row.values[1], "What is 199999, \"really\"?");
}

class FailingSource : public ByteSource {
 public:
  explicit FailingSource(std::string prefix) : prefix_(std::move(prefix)) {}
  Result<size_t> Read(char* buffer, size_t capacity) override {
    if (done_) return Status::IOError("data.csv: read failed: Input/output error");
    done_ = true;
    size_t n = std::min(capacity, prefix_.size());
    prefix_.copy(buffer, n);
    return n;
  }

 private:
  std::string prefix_;
  bool done_ = false;
};

TEST(CsvReaderTest, ReadErrorsAreReturnedAndSticky) {
  FailingSource source("a,b\n1,\"unfinished");
  std::unique_ptr<RowReader> reader = NewCsvReader(&source, "data.csv");
  ASSERT_TRUE(reader->ReadHeader().ok());
  DataRow row;
  Result<bool> next = reader->Next(&row);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().code(), StatusCode::kIOError);
  Result<bool> again = reader->Next(&row);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), "data.csv: read failed: Input/output error");
}

TEST(CsvReaderTest, ParseErrorsAreSticky) {
  StringByteSource source("a\n\"x\n");
  std::unique_ptr<RowReader> reader = NewCsvReader(&source, "t.csv");
  ASSERT_TRUE(reader->ReadHeader().ok());
  DataRow row;
  EXPECT_FALSE(reader->Next(&row).ok());
  Result<bool> again = reader->Next(&row);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidInput);
}

TEST(CsvReaderTest, EndIsRepeatableAndNextNeedsHeader) {
  StringByteSource source("a\n1\n");
  std::unique_ptr<RowReader> reader = NewCsvReader(&source, "t.csv");
  DataRow row;
  Result<bool> early = reader->Next(&row);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), StatusCode::kInternal);
  ASSERT_TRUE(reader->ReadHeader().ok());
  ASSERT_TRUE(*reader->Next(&row));
  EXPECT_FALSE(*reader->Next(&row));
  EXPECT_FALSE(*reader->Next(&row));
}

}  // namespace
}  // namespace llmeval
