// LoadProjectConfig on bad files: each mistake is InvalidInput naming the file, line and column and what was expected.
#include "engine/config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace llmeval {
namespace {

using ::testing::HasSubstr;

// Loads `yaml` from a file named llmeval.yaml and returns the error message ("" when it loads).
std::string LoadError(const std::string& yaml) {
  testing::ScratchDir dir;
  std::string path = dir.Path("llmeval.yaml");
  testing::WriteFile(path, yaml);
  Result<ProjectConfig> config = LoadProjectConfig(path);
  if (config.ok()) return "";
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidInput) << config.status().message();
  std::string message = config.status().message();
  return message.substr(message.find("llmeval.yaml"));
}

TEST(ConfigDuplicateKeys, ATopLevelKeyGivenTwiceNamesBothLines) {
  EXPECT_EQ(LoadError("experiment: a\nprompt: basic\nexperiment: b\n"),
            "llmeval.yaml:3:1: duplicate key 'experiment' (first at line 1)");
}

TEST(ConfigDuplicateKeys, NestedMappingsAreCheckedToo) {
  EXPECT_THAT(LoadError("dataset:\n  path: a.csv\n  path: b.csv\n"),
              HasSubstr("llmeval.yaml:3:3: duplicate key 'path' (first at line 2)"));
  EXPECT_THAT(LoadError("providers:\n  local:\n    base_url: http://a\n    base_url: http://b\n"),
              HasSubstr("llmeval.yaml:4:5: duplicate key 'base_url'"));
  EXPECT_THAT(LoadError("providers:\n  local: {base_url: http://a}\n  local: {base_url: http://b}\n"),
              HasSubstr("llmeval.yaml:3:3: duplicate key 'local'"));
  EXPECT_THAT(LoadError("scorers:\n  - {name: w, type: word_count, min: 1, min: 2}\n"),
              HasSubstr("llmeval.yaml:2:41: duplicate key 'min'"));
  EXPECT_THAT(LoadError("tools:\n  t:\n    kind: command\n    command: [x]\n    parameters: {type: object, type: x}\n"),
              HasSubstr("llmeval.yaml:5:32: duplicate key 'type'"));
  EXPECT_THAT(LoadError("prices:\n  sim: {input_per_mtok: 1, input_per_mtok: 2}\n"),
              HasSubstr("duplicate key 'input_per_mtok'"));
}

TEST(ConfigDuplicateKeys, TheSameKeyInDifferentMappingsIsFine) {
  EXPECT_EQ(LoadError("providers:\n  a: {base_url: http://a}\n  b: {base_url: http://b}\n"), "");
}

TEST(ConfigRanges, TemperatureRunsFromZeroToTwo) {
  EXPECT_EQ(LoadError("temperature: -5\n"),
            "llmeval.yaml:1:14: temperature: expected a number between 0 and 2, got -5");
  EXPECT_THAT(LoadError("temperature: 2.5\n"), HasSubstr("llmeval.yaml:1:14: temperature: expected a number between"));
  EXPECT_EQ(LoadError("temperature: 0\n"), "");
  EXPECT_EQ(LoadError("temperature: 2\n"), "");
}

TEST(ConfigRanges, PricesAndRateLimitsAreNotNegative) {
  EXPECT_EQ(LoadError("prices:\n  sim: {input_per_mtok: -1, output_per_mtok: 2}\n"),
            "llmeval.yaml:2:25: prices.sim.input_per_mtok: expected a number >= 0, got -1");
  EXPECT_THAT(LoadError("prices:\n  sim: {input_per_mtok: 1, output_per_mtok: -2}\n"),
              HasSubstr("prices.sim.output_per_mtok: expected a number >= 0"));
  EXPECT_THAT(LoadError("providers:\n  p: {base_url: http://a, requests_per_minute: -60}\n"),
              HasSubstr("providers.p.requests_per_minute: expected a number >= 0"));
  EXPECT_EQ(LoadError("prices:\n  sim: {input_per_mtok: 0, output_per_mtok: 0.5}\n"), "");
}

TEST(ConfigShapes, APriceThatIsNotAMappingSaysWhatIsExpected) {
  EXPECT_EQ(LoadError("prices: {sim: [1, 2]}\n"),
            "llmeval.yaml:1:15: prices.sim: expected a mapping with input_per_mtok and output_per_mtok (US dollars "
            "per million tokens)");
  EXPECT_THAT(LoadError("prices:\n  sim: 0.5\n"), HasSubstr("llmeval.yaml:2:8: prices.sim: expected a mapping"));
  EXPECT_THAT(LoadError("prices: [1, 2]\n"), HasSubstr("llmeval.yaml:1:9: prices: expected a mapping"));
}

TEST(ConfigShapes, EverySectionNamesThePlaceAndTheExpectedShape) {
  struct Case {
    const char* yaml;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"dataset: [a.csv]\n", "llmeval.yaml:1:10: dataset: expected a path or a mapping"},
           {"dataset: {path: a.csv, columns: [a]}\n", "llmeval.yaml:1:33: dataset.columns: expected a mapping"},
           {"providers: [a]\n", "llmeval.yaml:1:12: providers: expected a mapping"},
           {"providers: {local: 5}\n", "llmeval.yaml:1:20: providers.local: expected a mapping"},
           {"providers: {local: {base_url: [x]}}\n", "llmeval.yaml:1:31: providers.local.base_url: expected a string"},
           {"providers: {local: {base_url: x, headers: [a]}}\n",
            "llmeval.yaml:1:43: providers.local.headers: expected a mapping"},
           {"tools: {t: [1]}\n", "llmeval.yaml:1:12: tools.t: expected a mapping"},
           {"tools: {t: {kind: command, command: {a: b}}}\n",
            "llmeval.yaml:1:37: tools.t.command: expected a string or a list of strings"},
           {"scorers: [5]\n", "llmeval.yaml:1:11: scorers: expected a mapping with name and type"},
           {"scorers: {a: 1}\n", "llmeval.yaml:1:10: scorers: expected a list"},
           {"gate: {rules: {a: 1}}\n", "llmeval.yaml:1:15: gate.rules: expected a list of rules"},
           {"gate: [1]\n", "llmeval.yaml:1:7: gate: expected a mapping"},
           {"variables: [a]\n", "llmeval.yaml:1:12: variables: expected a mapping"},
           {"experiment: {a: b}\n", "llmeval.yaml:1:13: experiment: expected a string"},
           {"model: {a: b}\n", "llmeval.yaml:1:8: model: expected a string or a list of strings"},
           {"concurrency: [4]\n", "llmeval.yaml:1:14: concurrency: expected a whole number"},
           {"? [a, b]\n: 1\n", "llmeval.yaml:1:3: expected a plain name as the key"},
       }) {
    EXPECT_THAT(LoadError(c.yaml), HasSubstr(c.error)) << c.yaml;
  }
}

TEST(ConfigTabs, ATabInTheIndentationIsNamedAsSuch) {
  EXPECT_EQ(LoadError("dataset:\n  path: q.csv\n\tid_column: id\n"),
            "llmeval.yaml:3:1: invalid YAML: a tab indents this line; YAML allows only spaces for indentation");
  EXPECT_THAT(LoadError("providers:\n  local:\n  \tbase_url: x\n"), HasSubstr("llmeval.yaml:3:3: invalid YAML: a tab"));
  // A tab inside a value is text, and other syntax errors keep the parser's message.
  EXPECT_EQ(LoadError("experiment: \"a\tb\"\n"), "");
  EXPECT_THAT(LoadError("experiment: [a\n"), HasSubstr("invalid YAML: end of sequence"));
}

}  // namespace
}  // namespace llmeval
