// End-to-end tests of `llmeval report` through the real binary: a run, then its self-contained HTML report (default
// and -o paths, the embedded data blocks, escaping of hostile dataset text), a two-run report with the comparison,
// and bad input (unknown run, bad ids) exiting 2 with nothing written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

void RunOnce(const CliProject& project, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"run", "--quiet", "--limit", "4"};
  args.insert(args.end(), extra.begin(), extra.end());
  CommandResult r = project.Run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
}

TEST(ReportCliTest, WritesSelfContainedReportOfOneRun) {
  CliProject project;
  RunOnce(project);
  CommandResult r = project.Run({"report", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string path = project.Path(".llmeval/reports/run-1.html");
  EXPECT_THAT(r.out, StartsWith("report: " + path + " ("));
  EXPECT_THAT(r.out, HasSubstr("KB)"));
  ASSERT_TRUE(Exists(path));
  std::string html = ReadFile(path);
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<script type=\"application/json\" id=\"llmeval-data\">{"));
  EXPECT_THAT(html, HasSubstr("<script type=\"application/gzip\" id=\"llmeval-details-gz\">H4sI"));  // Gzip, base64.
  EXPECT_THAT(html, HasSubstr("Content-Security-Policy"));
  EXPECT_THAT(html, HasSubstr("<title>llmeval report: run 1"));
  EXPECT_THAT(html, HasSubstr("What is an algorithm?"));  // An item's question.
  EXPECT_THAT(html, HasSubstr("enough_words"));           // A scorer.
  EXPECT_THAT(html, HasSubstr("\"compare\":null"));
  EXPECT_EQ(CountOf(html, "</script"), 3u);  // The two data blocks and the app.
  // No temporary file is left beside the report.
  CommandResult ls = RunCommand({"/bin/ls", "-A", project.Path(".llmeval/reports")});
  EXPECT_EQ(ls.out, "run-1.html\n");
}

TEST(ReportCliTest, HostileDatasetTextStaysInsideTheDataBlock) {
  CliProject project;
  project.Write("questions.csv",
                "Category,Question,Weight\r\n"
                "\"<b>cat</b>\",\"</script><script>alert(1)</script> what?\",1\r\n"
                "Git,\"\"\"><img src=x onerror=alert(1)> and more?\",2\r\n");
  RunOnce(project);
  std::string out = project.Path("hostile.html");
  CommandResult r = project.Run({"report", "1", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string html = ReadFile(out);
  EXPECT_EQ(CountOf(html, "</script"), 3u);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(html, HasSubstr("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"));
  EXPECT_THAT(html, HasSubstr("\\u003cimg src=x onerror=alert(1)\\u003e"));
}

TEST(ReportCliTest, TwoRunsIncludeTheComparison) {
  CliProject project;
  RunOnce(project);
  RunOnce(project, {"--no-cache", "--temperature", "0.7"});
  CommandResult r = project.Run({"report", "1", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string path = project.Path(".llmeval/reports/run-1-vs-2.html");
  EXPECT_THAT(r.out, HasSubstr("report: " + path));
  std::string html = ReadFile(path);
  EXPECT_THAT(html, HasSubstr("<title>llmeval report: run 1"));
  EXPECT_THAT(html, HasSubstr(" vs run 2"));
  EXPECT_THAT(html, Not(HasSubstr("\"compare\":null")));
  EXPECT_THAT(html, HasSubstr("\"run_a\":"));
  EXPECT_THAT(html, HasSubstr("\"paired_items\":"));
}

TEST(ReportCliTest, UnknownRunExits2AndWritesNothing) {
  CliProject project;
  RunOnce(project);
  CommandResult r = project.Run({"report", "7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no run 7"));
  EXPECT_FALSE(Exists(project.Path(".llmeval/reports")));
  std::string out = project.Path("out.html");
  r = project.Run({"report", "1", "9", "-o", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(Exists(out));
}

TEST(ReportCliTest, BadArgumentsExit2) {
  CliProject project;
  RunOnce(project);
  EXPECT_EQ(project.Run({"report"}).exit_code, 2);
  CommandResult r = project.Run({"report", "abc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("run id"));
  EXPECT_EQ(project.Run({"report", "1", "1"}).exit_code, 2);
  EXPECT_EQ(project.Run({"report", "1", "2", "3"}).exit_code, 2);
  EXPECT_EQ(project.Run({"report", "1", "--bogus"}).exit_code, 2);
  EXPECT_FALSE(Exists(project.Path(".llmeval/reports")));
  r = project.Run({"report", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("llmeval report RUN [RUN2]"));
}

}  // namespace
}  // namespace llmeval::testing
