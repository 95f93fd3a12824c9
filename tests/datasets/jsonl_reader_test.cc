// The JSONL reader: values of every JSON type, columns from the first object, blank lines, errors; every case at
// several chunk sizes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/hash.h"
#include "core/strings.h"
#include "read_all.h"

namespace llmeval {
namespace {

using testing::ChunkSizes;
using testing::Format;
using testing::ReadAll;
using testing::ReadOutcome;
using Rows = std::vector<std::vector<std::string>>;

struct JsonlCase {
  const char* name;
  std::string input;
  std::vector<std::string> columns;  // Checked when not empty.
  Rows rows;
  std::vector<int64_t> lines;  // Checked when not empty.
  std::string error;           // Exact message; a prefix when it ends with "..." (simdjson's own words).
  std::vector<std::string> warnings;
};

const std::vector<JsonlCase>& Cases() {
  static const std::vector<JsonlCase> cases = {
      {"types",
       "{\"Category\":\"math\",\"N\":1.50,\"Big\":1e3,\"Neg\":-3,\"Ok\":true,\"No\":null,\"List\":[1, {\"x\" : "
       "\"y\\n\"}]}\n",
       {"category", "n", "big", "neg", "ok", "no", "list"},
       {{"math", "1.50", "1e3", "-3", "true", "", "[1,{\"x\":\"y\\n\"}]"}},
       {1},
       "",
       {}},
      // Numbers stay exactly as written, however large or precise: they are text for templates, not arithmetic.
      {"numbers_as_written",
       "{\"id\":123456789012345678901,\"huge\":1E400,\"e\":1e2,\"p\":2.50,\"n\":[-0.0, 1E+2 ,{\"k\":"
       "99999999999999999999999}]}\n",
       {},
       {{"123456789012345678901", "1E400", "1e2", "2.50", "[-0.0,1E+2,{\"k\":99999999999999999999999}]"}},
       {},
       "",
       {}},
      {"missing_keys_and_normalized_keys",
       "{\"Expected Response\":\"a\",\"q\":\"1\"}\n{\"q\":\"2\"}\n{\"expected_response\":\"c\",\"Q\":\"3\"}\n",
       {"expected_response", "q"},
       {{"a", "1"}, {"", "2"}, {"c", "3"}},
       {1, 2, 3},
       "",
       {}},
      {"keys_in_another_order", "{\"a\":1,\"b\":2}\n{\"b\":3,\"a\":4}\n", {}, {{"1", "2"}, {"4", "3"}}, {}, "", {}},
      {"blank_lines_crlf_bom",
       "\xEF\xBB\xBF\r\n{\"a\":\"x\"}\r\n\r\n  \n{\"a\":\"y\"}\r\n\n",
       {"a"},
       {{"x"}, {"y"}},
       {2, 5},
       "",
       {}},
      {"no_final_newline", "{\"a\":\"x\"}\n{\"a\":\"y\"}", {}, {{"x"}, {"y"}}, {1, 2}, "", {}},
      {"unicode_escapes",
       "{\"a\":\"caf\\u00e9 \\ud83d\\ude00\"}\n",
       {},
       {{"caf\xC3\xA9 \xF0\x9F\x98\x80"}},
       {},
       "",
       {}},
      {"invalid_utf8",
       "{\"a\":\"x\"}\n{\"a\":\"b\xFFz\"}\n",
       {},
       {{"x"}, {"b\xEF\xBF\xBDz"}},
       {},
       "",
       {"t.jsonl:2: invalid UTF-8 replaced with U+FFFD"}},
      // Errors.
      {"empty", "", {}, {}, {}, "t.jsonl:1: is empty; expected one JSON object per line", {}},
      {"only_blank", "\n\r\n  \n", {}, {}, {}, "t.jsonl:1: is empty; expected one JSON object per line", {}},
      {"invalid_json", "{\"a\":1}\n\n{\"a\":1,}\n", {}, {{"1"}}, {}, "t.jsonl:3:8: invalid JSON: ...", {}},
      {"invalid_first_line", "{\"a\":", {}, {}, {}, "t.jsonl:1:1: invalid JSON: ...", {}},
      {"invalid_number",
       "{\"a\":1}\n{\"a\":01}\n",
       {},
       {{"1"}},
       {},
       "t.jsonl:2:6: invalid JSON: '01' is not a number",
       {}},
      {"invalid_nested_literal", "{\"a\":[1,tru]}\n", {}, {}, {}, "t.jsonl:1:9: invalid JSON: ...", {}},
      {"text_after_the_object",
       "{\"a\":1} {\"a\":2}\n",
       {},
       {},
       {},
       "t.jsonl:1:9: invalid JSON: text after the object",
       {}},
      {"not_an_object", "{\"a\":1}\n[1,2]\n", {}, {{"1"}}, {}, "t.jsonl:2: expected a JSON object, found an array", {}},
      {"first_not_object", "\"text\"\n", {}, {}, {}, "t.jsonl:1: expected a JSON object, found a string", {}},
      {"unknown_key",
       "{\"question\":1,\"answer\":2}\n{\"questoin\":3}\n",
       {},
       {{"1", "2"}},
       {},
       "t.jsonl:2: key 'questoin' is not a column; the columns come from the first object: question, answer "
       "(did you mean 'question'?)",
       {}},
      {"repeated_key",
       "{\"a\":1}\n{\"a\":2,\"A\":3}\n",
       {},
       {{"1"}},
       {},
       "t.jsonl:2: key 'A' appears twice in the object",
       {}},
      {"empty_first_object",
       "{}\n",
       {},
       {},
       {},
       "t.jsonl:1: the first object has no keys; its keys name the columns",
       {}},
      {"duplicate_columns",
       "{\"Weight\":1,\"weight\":2}\n",
       {},
       {},
       {},
       "t.jsonl:1: keys 'Weight' and 'weight' both map to 'weight'",
       {}},
      {"empty_key", "{\"a\":1,\" \":2}\n", {}, {}, {}, "t.jsonl:1: key 2 of the first object is empty", {}},
      {"utf16_le_bom",
       std::string("\xFF\xFE{\0\"\0a\0\"\0:\0"
                   "1\0}\0\n\0",
                   18),
       {},
       {},
       {},
       "t.jsonl is UTF-16 (byte order mark at the start); save it as UTF-8",
       {}},
      {"nul_bytes_without_bom",
       std::string("{\0\"\0a\0\"\0:\0"
                   "1\0}\0\n\0",
                   16),
       {},
       {},
       {},
       "t.jsonl:1: NUL bytes, so this is not UTF-8 text (UTF-16 without a byte order mark, or a binary file?); "
       "save it as UTF-8",
       {}},
  };
  return cases;
}

TEST(JsonlReaderTest, TableOfCasesAtEveryChunkSize) {
  for (const JsonlCase& c : Cases()) {
    for (size_t chunk : ChunkSizes()) {
      SCOPED_TRACE(std::string(c.name) + " chunk=" + std::to_string(chunk));
      ReadOutcome out = ReadAll(Format::kJsonl, c.input, chunk, "t.jsonl");
      if (EndsWith(c.error, "...")) {
        EXPECT_TRUE(StartsWith(out.error, c.error.substr(0, c.error.size() - 3))) << out.error;
        EXPECT_GT(out.error.size(), c.error.size());
      } else {
        EXPECT_EQ(out.error, c.error);
      }
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

TEST(JsonlReaderTest, RawColumnsKeepTheKeysAsWritten) {
  ReadOutcome out = ReadAll(Format::kJsonl, "{\" Expected Response \":1,\"WEIGHT (DIFFICULTY)\":2}\n", 2, "t.jsonl");
  ASSERT_EQ(out.error, "");
  EXPECT_EQ(out.raw_columns, (std::vector<std::string>{"Expected Response", "WEIGHT (DIFFICULTY)"}));
  EXPECT_EQ(out.columns, (std::vector<std::string>{"expected_response", "weight_difficulty"}));
}

TEST(JsonlReaderTest, LinesLongerThanTheChunkBuffer) {
  std::string long_text(300000, 'z');
  std::string input = "{\"a\":\"short\"}\n{\"a\":\"" + long_text + "\"}\n{\"a\":\"end\"}\n";
  ReadOutcome out = ReadAll(Format::kJsonl, input, 1 << 16, "t.jsonl");
  ASSERT_EQ(out.error, "");
  ASSERT_EQ(out.rows.size(), 3u);
  EXPECT_EQ(out.rows[1].values[0], long_text);
  EXPECT_EQ(out.rows[2].line, 3);
}

}  // namespace
}  // namespace llmeval
