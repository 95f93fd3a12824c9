// LoadProjectConfig on bad files: each mistake is InvalidInput naming the file, line and column and what was expected.
#include "engine/config.h"

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
  EXPECT_EQ(LoadError("temperature: -5\n"), "llmeval.yaml:1:14: temperature: expected a number between 0 and 2, got -5");
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

}  // namespace
}  // namespace llmeval
