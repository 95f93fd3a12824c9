// End-to-end tests of the llmeval binary: the command table, `run` on a scratch project with the sim model, bad input
// (exit 2, nothing written), exports, and the cache.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int CountLines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

TEST(CliTable, UnknownCommandSuggestsAndExitsTwo) {
  CommandResult r = RunLlmeval({"rnu"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'rnu'; did you mean 'run'?"));
}

TEST(CliTable, HelpListsCommandsAndExitCodes) {
  CommandResult r = RunLlmeval({"help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* command : {"run", "generate", "runs", "prompts", "traces", "trace", "sim-server", "cache"}) {
    EXPECT_THAT(r.out, HasSubstr(std::string("  ") + command + " "));
  }
  EXPECT_THAT(r.out, HasSubstr("2 bad input or usage"));
  EXPECT_THAT(r.out, HasSubstr("130 interrupted"));
  CommandResult run_help = RunLlmeval({"run", "--help"});
  EXPECT_EQ(run_help.exit_code, 0);
  EXPECT_THAT(run_help.out, HasSubstr("--prompt"));
}

TEST(CliTable, UnknownFlagSuggests) {
  CommandResult r = RunLlmeval({"run", "--modle", "sim"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown flag '--modle'; did you mean '--model'?"));
}

TEST(CliTable, NegativeNumberIsAValueAndShortFlagsAreEchoedAsTyped) {
  CliProject project;
  CommandResult negative = project.Run({"prompts", "alias", "basic", "production", "-1"});
  EXPECT_EQ(negative.exit_code, 2);
  EXPECT_THAT(negative.err, HasSubstr("VERSION must be a number >= 1, got '-1'"));
  CommandResult short_flag = project.Run({"runs", "show", "-x"});
  EXPECT_EQ(short_flag.exit_code, 2);
  EXPECT_THAT(short_flag.err, HasSubstr("unknown flag '-x'"));
}

TEST(CliRun, EvaluatesEveryRowAndStoresAnswersAssessmentsAndTraces) {
  CliProject project;
  CommandResult r = project.Run({"run", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("basic/1 x sim"));
  EXPECT_THAT(r.out, HasSubstr("items 12   errors 0"));
  EXPECT_THAT(r.out, HasSubstr("enough_words"));
  EXPECT_THAT(r.out, HasSubstr("95% interval"));
  EXPECT_THAT(r.out, HasSubstr("as run 1 (completed)"));

  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(CountLines(exported.out), 12);
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  ASSERT_EQ(parser.parse_many(exported.out).get(docs), simdjson::SUCCESS);
  int items = 0;
  for (auto doc : docs) {
    simdjson::dom::element item;
    ASSERT_EQ(doc.get(item), simdjson::SUCCESS);
    std::string_view output, trace_id;
    ASSERT_EQ(item["output"].get(output), simdjson::SUCCESS);
    EXPECT_FALSE(output.empty());
    ASSERT_EQ(item["trace_id"].get(trace_id), simdjson::SUCCESS);
    EXPECT_EQ(trace_id.size(), 32u);
    simdjson::dom::array assessments;
    ASSERT_EQ(item["assessments"].get(assessments), simdjson::SUCCESS);
    EXPECT_EQ(assessments.size(), 4u);
    ++items;
  }
  EXPECT_EQ(items, 12);

  CommandResult traces = project.Run({"traces", "list", "--run", "1"});
  ASSERT_EQ(traces.exit_code, 0) << traces.err;
  EXPECT_EQ(CountLines(traces.out), 13);  // Header plus one trace per item.
  std::string trace_id = traces.out.substr(traces.out.find('\n') + 1, 32);
  CommandResult shown = project.Run({"trace", "show", trace_id, "--width", "100"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("eval_item basic"));
  EXPECT_THAT(shown.out, HasSubstr("chat sim"));
  EXPECT_THAT(shown.out, HasSubstr("score english"));
  EXPECT_THAT(shown.out, Not(HasSubstr("\033[")));  // Plain when piped.
}

TEST(CliRun, RerunIsAnsweredFromTheCacheAndNoCacheBypassesIt) {
  CliProject project;
  CommandResult first = project.Run({"run", "--quiet"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("latency p50"));
  CommandResult again = project.Run({"run", "--quiet"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("cache hits 12"));
  // Every answer came from the cache: no latency was measured, which is not a latency of 0 ms.
  EXPECT_THAT(again.out, HasSubstr("latency not measured"));
  EXPECT_THAT(again.out, Not(HasSubstr("p50 0.0 ms")));
  CommandResult report = project.Run({"report", "2", "-o", "cached.html"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(ReadFile(project.Path("cached.html")), HasSubstr("\"latency_p50_ms\":null"));
  // Without judges no judge call was made: that cost $0, it is not an unknown price.
  CommandResult no_judges = project.Run({"run", "--quiet", "--scorers", "enough_words"});
  ASSERT_EQ(no_judges.exit_code, 0) << no_judges.err;
  EXPECT_THAT(no_judges.out, HasSubstr("judge cost $0\n"));
  CommandResult bypass = project.Run({"run", "--quiet", "--no-cache"});
  ASSERT_EQ(bypass.exit_code, 0) << bypass.err;
  EXPECT_THAT(bypass.out, HasSubstr("cache hits 0"));
}

TEST(CliCache, StatsAndClearAllOrByAge) {
  CliProject project;
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);
  CommandResult stats = project.Run({"cache", "stats"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  // Twelve answers and their judge calls (one per guideline judge, one per relevance judge).
  EXPECT_THAT(stats.out, HasSubstr("cached responses  36 ("));
  CommandResult recent = project.Run({"cache", "clear", "--older-than", "1h"});
  ASSERT_EQ(recent.exit_code, 0) << recent.err;
  EXPECT_THAT(recent.out, HasSubstr("cleared 0 cached responses"));
  EXPECT_THAT(project.Run({"run", "--quiet"}).out, HasSubstr("cache hits 12"));

  CommandResult all = project.Run({"cache", "clear"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(all.out, HasSubstr("cleared 36 cached responses"));
  EXPECT_THAT(project.Run({"cache", "stats"}).out, HasSubstr("cached responses  0 (0 B)"));
  EXPECT_THAT(project.Run({"run", "--quiet"}).out, HasSubstr("cache hits 0"));

  CommandResult bad_age = project.Run({"cache", "clear", "--older-than", "30"});
  EXPECT_EQ(bad_age.exit_code, 2);
  EXPECT_THAT(bad_age.err, HasSubstr("expected a number and a unit (s, m, h or d)"));
  EXPECT_EQ(project.Run({"cache", "drop"}).exit_code, 2);
  EXPECT_EQ(project.Run({"cache"}).exit_code, 2);
  EXPECT_EQ(project.Run({"cache", "stats", "--older-than", "1d"}).exit_code, 2);
}

TEST(CliRun, GridOfPromptsAndModelsStoresEveryCell) {
  CliProject project;
  project.Write("prompts/concise.txt", "Question: {question}\nAnswer the question.\n");
  CommandResult r =
      project.Run({"run", "--quiet", "--prompt", "basic,concise", "--model", "sim,sim-large", "--limit", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* cell : {"basic/1 x sim", "basic/1 x sim-large", "concise/1 x sim", "concise/1 x sim-large"}) {
    EXPECT_THAT(r.out, HasSubstr(cell));
  }
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "csv"});
  ASSERT_EQ(exported.exit_code, 0);
  size_t records = 0;
  for (size_t at = exported.out.find("\r\n"); at != std::string::npos; at = exported.out.find("\r\n", at + 2)) {
    ++records;
  }
  EXPECT_EQ(records, 1u + 4 * 3);  // The header and one record per cell and row (answers may hold bare newlines).
}

TEST(CliRun, APromptOrModelNamedTwiceIsBadInputAndRecordsNothing) {
  CliProject project;
  ASSERT_EQ(project.Run({"prompts", "register", "basic"}).exit_code, 0);  // basic/1 exists once it is stored.
  project.ExpectRefused({"run", "--quiet", "--prompt", "basic,basic/1"}, "name basic/1 twice (basic and basic/1)");
  project.ExpectRefused({"run", "--quiet", "--model", "sim,sim"}, "the models to evaluate name sim twice");
  EXPECT_EQ(CountLines(project.Run({"runs", "list"}).out), 1);  // Only the header: no run was recorded.
}

TEST(CliRun, MalformedCsvIsRejectedWithFileLineAndNothingWritten) {
  CliProject project;
  project.Write("questions.csv", "Category,Question,Weight\nGit,What is HEAD?,2\nGit,\"unterminated,3\n");
  project.ExpectRefused({"run", "--quiet"}, "questions.csv:3:");
  EXPECT_THAT(project.Run({"run", "--quiet"}).err, HasSubstr("unterminated"));
}

TEST(CliRun, NothingToEvaluateIsBadInputNotAnEmptyRun) {
  CliProject project;
  project.ExpectRefused({"run", "--quiet", "--filter", "category=Nope"}, "--filter matches none of the 12 rows of");
  EXPECT_THAT(project.Run({"run", "--quiet", "--filter", "category=Nope"}).err, HasSubstr("(category=Nope)"));
  project.Write("questions.csv", "Category,Question,Weight\n");
  project.ExpectRefused({"run", "--quiet"}, "questions.csv has no data rows; nothing to evaluate");
}

TEST(CliRun, UnboundPlaceholderListsMissingNamesAndColumns) {
  CliProject project;
  project.Write("prompts/basic.txt", "Question: {question}\nAudience: {audience}\n");
  CommandResult r = project.Run({"run", "--quiet"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("{audience}"));
  EXPECT_THAT(r.err, HasSubstr("category, question, weight"));
  CommandResult bound = project.Run({"run", "--quiet", "--var", "audience=students", "--limit", "1"});
  EXPECT_EQ(bound.exit_code, 0) << bound.err;
}

TEST(CliRun, PromptNamesCannotEscapeThePromptsDirectory) {
  CliProject project;
  CommandResult r = project.Run({"run", "--quiet", "--prompt", "../../etc/passwd"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, Not(HasSubstr("root:")));
}

TEST(CliRun, BadConfigNamesFileAndLine) {
  CliProject project;
  project.Write("llmeval.yaml", "dataset: questions.csv\nprompt: basic\nconcurency: 4\n");
  CommandResult r = project.Run({"run", "--quiet"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("llmeval.yaml:3:1: unknown key 'concurency'"));
  EXPECT_THAT(r.err, HasSubstr("did you mean 'concurrency'?"));
}

TEST(CliRun, GenerateStoresAnswersWithoutScoring) {
  CliProject project;
  CommandResult r = project.Run({"generate", "--quiet", "--limit", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "json"});
  EXPECT_THAT(exported.out, HasSubstr("\"assessments\":[]"));
  EXPECT_THAT(exported.out, Not(HasSubstr("\"output\":null")));
}

TEST(CliRun, SampleWithSeedIsDeterministicAndFiltersApply) {
  CliProject project;
  CommandResult a = project.Run({"generate", "--quiet", "--sample", "4", "--seed", "7"});
  CommandResult b = project.Run({"generate", "--quiet", "--sample", "4", "--seed", "7"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  CommandResult ea = project.Run({"runs", "export", "1", "--format", "csv"});
  CommandResult eb = project.Run({"runs", "export", "2", "--format", "csv"});
  auto rows = [](const std::string& csv) {  // The item_id,row prefix of every record.
    std::vector<std::string> out;
    for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) {
      size_t comma = csv.find(',', csv.find(',', at + 2) + 1);
      if (comma != std::string::npos && at + 2 < csv.size()) out.push_back(csv.substr(at + 2, comma - at - 2));
    }
    return out;
  };
  EXPECT_EQ(rows(ea.out), rows(eb.out));
  EXPECT_EQ(rows(ea.out).size(), 4u);
  EXPECT_THAT(a.out, HasSubstr("items 4 "));
  CommandResult filtered = project.Run({"generate", "--quiet", "--filter", "category=Git"});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_THAT(filtered.out, HasSubstr("items 2 "));
  EXPECT_EQ(project.Run({"generate", "--quiet", "--filter", "categry=Git"}).exit_code, 2);
}

TEST(CliRun, UnknownRunsColumnsAndSubcommandsAreBadInput) {
  CliProject project;
  // A --group-by that names no column fails before the run starts: nothing is recorded.
  project.ExpectRefused({"run", "--quiet", "--group-by", "categroy"}, "--group-by 'categroy' is not a column of");
  EXPECT_THAT(project.Run({"run", "--quiet", "--group-by", "categroy"}).err,
              HasSubstr("(columns: category, question, weight)"));

  ASSERT_EQ(project.Run({"run", "--quiet", "--group-by", "Category"}).exit_code, 0);
  CommandResult shown = project.Run({"runs", "show", "1", "--group-by", "nosuch"});
  EXPECT_EQ(shown.exit_code, 2);
  EXPECT_THAT(shown.err, HasSubstr("--group-by 'nosuch' is not a column of run 1 (columns: "));

  CommandResult bogus = project.Run({"runs", "bogus"});
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_THAT(bogus.err, HasSubstr("unknown subcommand 'bogus'"));
  CommandResult close = project.Run({"runs", "shwo", "1"});
  EXPECT_EQ(close.exit_code, 2);
  EXPECT_THAT(close.err, HasSubstr("did you mean 'show'?"));

  for (const char* sub : {"list", "export"}) {
    std::vector<std::string> args = {"traces", sub, "--run", "999"};
    if (std::string(sub) == "export") args.insert(args.end(), {"--format", "otlp-json"});
    CommandResult missing = project.Run(args);
    EXPECT_EQ(missing.exit_code, 2) << sub;
    EXPECT_THAT(missing.err, HasSubstr("999")) << sub;
    EXPECT_EQ(missing.out, "") << sub;
  }
}

TEST(CliRun, TracesListFiltersByScorerOutcome) {
  CliProject project;
  project.Write("prompts/basic.txt", "Question: {question}\nAnswer in one word only.\n");
  ASSERT_EQ(project.Run({"run", "--quiet", "--limit", "4"}).exit_code, 0);
  CommandResult failed = project.Run({"traces", "list", "--scorer", "enough_words=fail"});
  ASSERT_EQ(failed.exit_code, 0) << failed.err;
  EXPECT_EQ(CountLines(failed.out), 5);  // Header and the four one-word answers.
  CommandResult passed = project.Run({"traces", "list", "--scorer", "enough_words=pass"});
  EXPECT_EQ(CountLines(passed.out), 1);
  EXPECT_EQ(project.Run({"traces", "list", "--scorer", "enough_words"}).exit_code, 2);
}

TEST(CliRun, AJudgeWithItsOwnModelUsesIt) {
  CliProject project;
  project.Write(
      "llmeval.yaml",
      "dataset: questions.csv\nprompt: basic\nmodel: sim\njudge: sim\n"
      "scorers:\n  - {name: relevance, type: relevance_to_query, judge_model: sim-large, judge_samples: 3}\n");
  CommandResult r = project.Run({"run", "--quiet", "--limit", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CommandResult traces = project.Run({"traces", "export", "--format", "otlp-json"});
  EXPECT_THAT(traces.out, HasSubstr("chat sim-large"));
  size_t judge_calls = 0;
  for (size_t at = traces.out.find("chat sim-large"); at != std::string::npos;
       at = traces.out.find("chat sim-large", at + 1)) {
    ++judge_calls;
  }
  EXPECT_EQ(judge_calls, 3u);  // Three samples.
}

}  // namespace
}  // namespace llmeval::testing
