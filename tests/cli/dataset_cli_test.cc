// End-to-end: a dataset that cannot be evaluated as given is bad input (exit 2) named by file and line, and nothing
// is recorded: repeated or empty ids, a directory, an unsupported file type, UTF-16.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;

const char kConfigWithIdColumn[] =
    "dataset: {path: questions.csv, id_column: category}\n"
    "prompt: basic\nmodel: sim\njudge: sim\n"
    "scorers:\n  - {name: enough_words, type: word_count, min: 10}\n";

TEST(CliDataset, RepeatedIdIsBadInputNamingBothLines) {
  CliProject project;
  project.Write("llmeval.yaml", kConfigWithIdColumn);
  project.ExpectRefused({"run", "--quiet"}, "questions.csv:3: id 'Definition' (column category) repeats line 2");
}

TEST(CliDataset, EmptyIdIsBadInput) {
  CliProject project;
  project.Write("llmeval.yaml", kConfigWithIdColumn);
  project.Write("questions.csv", "Category,Question,Weight\nA,What?,1\nB,Why?,1\n,How?,2\n");
  project.ExpectRefused({"run", "--quiet"}, "questions.csv:4: empty id in column category");
}

TEST(CliDataset, UniqueIdsRun) {
  CliProject project;
  project.Write("llmeval.yaml", kConfigWithIdColumn);
  project.Write("questions.csv", "Category,Question,Weight\nA,What?,1\nB,Why?,1\nC,How?,2\n");
  CommandResult r = project.Run({"run", "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("items 3 "));
}

TEST(CliDataset, ADirectoryIsNotADatasetOrAConfig) {
  CliProject project;
  std::filesystem::create_directories(project.Path("data"));
  project.ExpectRefused({"run", "--quiet", "--dataset", "data"}, "data is a directory; expected a CSV or JSONL file");
  project.ExpectRefused({"run", "--quiet", "--config", "data"}, "data is a directory; expected a YAML file");
}

TEST(CliDataset, UnsupportedExtensionIsNamed) {
  CliProject project;
  project.Write("qs.json", "[{\"category\":\"a\",\"question\":\"b\",\"weight\":1}]\n");
  project.ExpectRefused({"run", "--quiet", "--dataset", "qs.json"},
                        "qs.json: unsupported dataset type .json; expected .csv or .jsonl (one JSON object per line)");
  project.Write("qs.ndjson", "{\"category\":\"a\",\"question\":\"b\",\"weight\":1}\n");
  CommandResult ndjson = project.Run({"run", "--quiet", "--dataset", "qs.ndjson"});
  EXPECT_EQ(ndjson.exit_code, 0) << ndjson.err;
  project.Write("QS.CSV", SampleQuestionsCsv());
  CommandResult upper = project.Run({"run", "--quiet", "--dataset", "QS.CSV", "--limit", "1"});
  EXPECT_EQ(upper.exit_code, 0) << upper.err;
}

TEST(CliDataset, Utf16IsNamedNotMisreadAsFields) {
  CliProject project;
  std::string utf16("\xFF\xFE", 2);
  for (char c : std::string("Category,Question,Weight\nGit,What is HEAD?,2\n")) {
    utf16 += c;
    utf16 += '\0';
  }
  project.Write("u16.csv", utf16);
  project.ExpectRefused({"run", "--quiet", "--dataset", "u16.csv"},
                        "u16.csv is UTF-16 (byte order mark at the start); save it as UTF-8");
}

}  // namespace
}  // namespace llmeval::testing
