#include "prompts/unified_diff.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace llmeval {
namespace {

std::string Lines(int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) out += "line" + std::to_string(i) + "\n";
  return out;
}

struct DiffCase {
  const char* label;
  std::string old_text;
  std::string new_text;
  int context;
  std::string expected;  // Without the "--- a\n+++ b\n" header.
};

class UnifiedDiffTest : public ::testing::TestWithParam<DiffCase> {};

TEST_P(UnifiedDiffTest, ExactOutput) {
  const DiffCase& c = GetParam();
  EXPECT_EQ(UnifiedDiff(c.old_text, c.new_text, "a", "b", c.context), "--- a\n+++ b\n" + c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Edits, UnifiedDiffTest,
    ::testing::Values(
        DiffCase{"change_middle", "a\nb\nc\nd\ne\n", "a\nb\nC\nd\ne\n", 3, "@@ -1,5 +1,5 @@\n a\n b\n-c\n+C\n d\n e\n"},
        DiffCase{"insert_line", "a\nb\nc\n", "a\nb\nnew\nc\n", 3, "@@ -1,3 +1,4 @@\n a\n b\n+new\n c\n"},
        DiffCase{"delete_line", "a\nb\nc\n", "a\nc\n", 3, "@@ -1,3 +1,2 @@\n a\n-b\n c\n"},
        DiffCase{"into_empty", "", "x\n", 3, "@@ -0,0 +1 @@\n+x\n"},
        DiffCase{"to_empty", "x\ny\n", "", 3, "@@ -1,2 +0,0 @@\n-x\n-y\n"},
        DiffCase{"context_trimmed", Lines(1, 10), Lines(1, 4) + "changed\n" + Lines(6, 10), 3,
                 "@@ -2,7 +2,7 @@\n line2\n line3\n line4\n-line5\n+changed\n line6\n line7\n line8\n"},
        DiffCase{"two_hunks", Lines(1, 20), "line1\nTWO\n" + Lines(3, 17) + "EIGHTEEN\n" + Lines(19, 20), 3,
                 "@@ -1,5 +1,5 @@\n line1\n-line2\n+TWO\n line3\n line4\n line5\n"
                 "@@ -15,6 +15,6 @@\n line15\n line16\n line17\n-line18\n+EIGHTEEN\n line19\n line20\n"},
        DiffCase{"close_changes_merge", Lines(1, 10), "line1\nTWO\n" + Lines(3, 7) + "EIGHT\n" + Lines(9, 10), 3,
                 "@@ -1,10 +1,10 @@\n line1\n-line2\n+TWO\n line3\n line4\n line5\n line6\n line7\n-line8\n"
                 "+EIGHT\n line9\n line10\n"},
        DiffCase{"zero_context_change", "a\nb\nc\n", "a\nB\nc\n", 0, "@@ -2 +2 @@\n-b\n+B\n"},
        DiffCase{"zero_context_insert", "a\nc\n", "a\nb\nc\n", 0, "@@ -1,0 +2 @@\n+b\n"},
        DiffCase{"zero_context_delete", "a\nb\nc\n", "a\nc\n", 0, "@@ -2 +1,0 @@\n-b\n"},
        DiffCase{"negative_context_is_zero", "a\nb\nc\n", "a\nB\nc\n", -5, "@@ -2 +2 @@\n-b\n+B\n"},
        DiffCase{"deletions_before_insertions", "a\nb\nc\n", "x\ny\nz\n", 3,
                 "@@ -1,3 +1,3 @@\n-a\n-b\n-c\n+x\n+y\n+z\n"},
        DiffCase{"no_newline_both", "a\nb", "a\nc", 3,
                 "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
        DiffCase{"newline_added", "a", "a\n", 3, "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n"},
        DiffCase{"newline_removed", "x\na\n", "x\na", 3, "@@ -1,2 +1,2 @@\n x\n-a\n+a\n\\ No newline at end of file\n"},
        DiffCase{"unchanged_last_line_without_newline", "a\nb\nend", "a\nB\nend", 3,
                 "@@ -1,3 +1,3 @@\n a\n-b\n+B\n end\n\\ No newline at end of file\n"},
        DiffCase{"unicode", "Frage: {q}\nAntwort ✓\n", "Frage: {q}\nответ 🎉\n", 3,
                 "@@ -1,2 +1,2 @@\n Frage: {q}\n-Antwort ✓\n+ответ 🎉\n"},
        DiffCase{"empty_lines", "a\n\nb\n", "a\nb\n", 3, "@@ -1,3 +1,2 @@\n a\n-\n b\n"}),
    [](const ::testing::TestParamInfo<DiffCase>& info) { return std::string(info.param.label); });

TEST(UnifiedDiffTest, EqualTextsGiveEmptyString) {
  EXPECT_EQ(UnifiedDiff("", "", "a", "b"), "");
  EXPECT_EQ(UnifiedDiff("same\ntext\n", "same\ntext\n", "a", "b"), "");
  EXPECT_EQ(UnifiedDiff("no newline", "no newline", "a", "b", 3, true), "");
}

TEST(UnifiedDiffTest, LabelsAppearInHeader) {
  std::string diff = UnifiedDiff("a\n", "b\n", "prompts:/basic/1", "prompts:/basic/2");
  EXPECT_EQ(diff, "--- prompts:/basic/1\n+++ prompts:/basic/2\n@@ -1 +1 @@\n-a\n+b\n");
}

TEST(UnifiedDiffTest, Color) {
  std::string diff = UnifiedDiff("a\nb\n", "a\nc\n", "old", "new", 3, /*color=*/true);
  EXPECT_EQ(diff,
            "\x1b[1m--- old\x1b[0m\n\x1b[1m+++ new\x1b[0m\n\x1b[36m@@ -1,2 +1,2 @@\x1b[0m\n a\n"
            "\x1b[31m-b\x1b[0m\n\x1b[32m+c\x1b[0m\n");
}

// ---- Property tests: the diff applies back to the new text and is minimal. ----

std::vector<std::string> SplitKeepingNewlines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.emplace_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// Applies `diff` to `old_text`, checking hunk headers and context lines along the way.
std::string ApplyDiff(const std::string& old_text, const std::string& diff) {
  std::vector<std::string> old_lines = SplitKeepingNewlines(old_text);
  std::vector<std::string> diff_lines = SplitKeepingNewlines(diff);
  std::string out;
  size_t old_pos = 0;  // Next old line to copy.
  size_t i = 2;        // Past the header.
  EXPECT_GE(diff_lines.size(), 3u);
  while (i < diff_lines.size()) {
    const std::string& header = diff_lines[i++];
    int a = 0, b = 1, c = 0, d = 1;
    if (std::sscanf(header.c_str(), "@@ -%d,%d +%d,%d @@", &a, &b, &c, &d) != 4) {
      b = 1;
      d = 1;
      if (std::sscanf(header.c_str(), "@@ -%d +%d,%d @@", &a, &c, &d) != 3 &&
          std::sscanf(header.c_str(), "@@ -%d,%d +%d @@", &a, &b, &c) != 3) {
        b = 1;
        d = 1;
        EXPECT_EQ(std::sscanf(header.c_str(), "@@ -%d +%d @@", &a, &c), 2) << header;
      }
    }
    const size_t hunk_old_start = b == 0 ? static_cast<size_t>(a) : static_cast<size_t>(a - 1);
    EXPECT_GE(hunk_old_start, old_pos) << header;
    while (old_pos < hunk_old_start) out += old_lines[old_pos++];
    int old_seen = 0, new_seen = 0;
    std::string* last = nullptr;  // Where the line just shown went, for "\ No newline at end of file".
    std::string removed;
    while (i < diff_lines.size() && diff_lines[i].rfind("@@", 0) != 0) {
      const std::string& line = diff_lines[i++];
      if (line == "\\ No newline at end of file\n") {
        // After a context line the copied old line already lacks its newline; otherwise drop the one just written.
        if (last != nullptr && !last->empty() && last->back() == '\n') last->pop_back();
        continue;
      }
      const char kind = line[0];
      std::string body = line.substr(1);
      if (kind == ' ' || kind == '-') {
        EXPECT_LT(old_pos, old_lines.size());
        ++old_seen;
      }
      if (kind == ' ' || kind == '+') ++new_seen;
      if (kind == ' ') {
        out += old_lines[old_pos++];
        last = nullptr;
      } else if (kind == '-') {
        ++old_pos;
        removed = body;
        last = &removed;
      } else {
        out += body;
        last = &out;
      }
    }
    EXPECT_EQ(old_seen, b) << header;
    EXPECT_EQ(new_seen, d) << header;
  }
  while (old_pos < old_lines.size()) out += old_lines[old_pos++];
  return out;
}

size_t LcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<size_t>> dp(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      dp[i][j] = a[i - 1] == b[j - 1] ? dp[i - 1][j - 1] + 1 : std::max(dp[i - 1][j], dp[i][j - 1]);
    }
  }
  return dp[a.size()][b.size()];
}

std::string RandomText(std::mt19937* rng) {
  std::uniform_int_distribution<int> count(0, 12);
  std::uniform_int_distribution<int> letter(0, 3);
  std::string text;
  const int n = count(*rng);
  for (int i = 0; i < n; ++i) text += std::string(1, static_cast<char>('a' + letter(*rng))) + "\n";
  if (!text.empty() && letter(*rng) == 0) text.pop_back();  // Sometimes no final newline.
  return text;
}

TEST(UnifiedDiffPropertyTest, AppliesBackAndIsMinimal) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    const std::string old_text = RandomText(&rng);
    const std::string new_text = RandomText(&rng);
    const int context = round % 4;
    const std::string diff = UnifiedDiff(old_text, new_text, "a", "b", context);
    if (old_text == new_text) {
      EXPECT_EQ(diff, "");
      continue;
    }
    ASSERT_EQ(ApplyDiff(old_text, diff), new_text) << "old:\n" << old_text << "\nnew:\n" << new_text << "\n" << diff;
    // Minimal: removed + added lines == |old| + |new| - 2 * LCS.
    const std::vector<std::string> a = SplitKeepingNewlines(old_text);
    const std::vector<std::string> b = SplitKeepingNewlines(new_text);
    size_t changes = 0;
    for (const std::string& line : SplitKeepingNewlines(diff)) {
      if ((line[0] == '-' || line[0] == '+') && line.rfind("---", 0) != 0 && line.rfind("+++", 0) != 0) ++changes;
    }
    // The two header lines start with --- and +++; a removed line "--x" cannot occur with this alphabet.
    EXPECT_EQ(changes, a.size() + b.size() - 2 * LcsLength(a, b)) << diff;
  }
}

TEST(UnifiedDiffPropertyTest, HugeDifferencesFallBackButStayCorrect) {
  // Completely different texts of 5000 lines each exceed the Myers trace budget.
  std::string old_text;
  std::string new_text;
  for (int i = 0; i < 5000; ++i) {
    old_text += "old " + std::to_string(i) + "\n";
    new_text += "new " + std::to_string(i) + "\n";
  }
  old_text = "same head\n" + old_text + "same tail\n";
  new_text = "same head\n" + new_text + "same tail\n";
  const std::string diff = UnifiedDiff(old_text, new_text, "a", "b");
  EXPECT_EQ(diff.rfind("--- a\n+++ b\n@@ -1,5002 +1,5002 @@\n same head\n-old 0\n", 0), 0u);
  EXPECT_EQ(ApplyDiff(old_text, diff), new_text);
}

TEST(UnifiedDiffPropertyTest, LargeSimilarTextsAreFast) {
  std::string old_text;
  for (int i = 0; i < 20000; ++i) old_text += "line " + std::to_string(i) + "\n";
  std::string new_text = old_text;
  new_text.replace(new_text.find("line 500\n"), 9, "LINE 500\n");
  new_text.insert(new_text.find("line 15000\n"), "inserted\n");
  const std::string diff = UnifiedDiff(old_text, new_text, "a", "b");
  EXPECT_EQ(ApplyDiff(old_text, diff), new_text);
  EXPECT_NE(diff.find("@@ -498,7 +498,7 @@\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("@@ -14998,6 +14998,7 @@\n"), std::string::npos) << diff;
}

}  // namespace
}  // namespace llmeval
