// `llmeval runs export` streams: the same bytes to stdout and, through a temporary file renamed at the end, to -o,
// across many write chunks; a failed export leaves no file behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <string>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;

TEST(CliExport, FileAndStdoutAgreeInEveryFormatOverManyChunks) {
  CliProject project;
  std::string csv = "Category,Question,Weight\n";
  for (int i = 0; i < 400; ++i) {
    csv += "Git,\"What does git command number " + std::to_string(i) + " do, exactly?\"," + std::to_string(i % 4 + 1) +
           "\n";
  }
  project.Write("questions.csv", csv);
  CommandResult run = project.Run({"run", "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* format : {"csv", "json", "jsonl"}) {
    CommandResult to_stdout = project.Run({"runs", "export", "1", "--format", format});
    ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
    EXPECT_GT(to_stdout.out.size(), 3u * 65536) << format << ": the export must span several 64 KiB chunks";
    std::string path = project.Path(std::string("out/export.") + format);
    CommandResult to_file = project.Run({"runs", "export", "1", "--format", format, "-o", path});
    ASSERT_EQ(to_file.exit_code, 0) << to_file.err;
    EXPECT_THAT(to_file.err, HasSubstr("wrote"));
    EXPECT_EQ(ReadFile(path), to_stdout.out) << format;
    // Whole, in order: every chunk written once.
    const std::string& out = to_stdout.out;
    if (std::string(format) == "csv") {
      size_t records = 0;
      for (size_t at = out.find("\r\n"); at != std::string::npos; at = out.find("\r\n", at + 2)) ++records;
      EXPECT_EQ(records, 401u);
    } else if (std::string(format) == "json") {
      simdjson::dom::parser parser;
      simdjson::dom::array items;
      ASSERT_EQ(parser.parse(out).get_array().get(items), simdjson::SUCCESS);
      EXPECT_EQ(items.size(), 400u);
    } else {
      size_t lines = 0;
      simdjson::dom::parser parser;
      for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
        simdjson::dom::element item;
        EXPECT_EQ(parser.parse(out.substr(start, end - start)).get(item), simdjson::SUCCESS) << "line " << lines;
        int64_t row = -1;
        EXPECT_EQ(item["row"].get(row), simdjson::SUCCESS);
        EXPECT_EQ(row, static_cast<int64_t>(lines)) << "items in dataset order";
        ++lines;
      }
      EXPECT_EQ(lines, 400u);
    }
  }
  CommandResult bad = project.Run({"runs", "export", "1", "--format", "xml", "-o", project.Path("out/bad.xml")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(project.Path("out/bad.xml")));
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(project.Path("out"))) ++files;
  EXPECT_EQ(files, 3) << "only the three exports, no temporary files";
}

TEST(CliExport, CsvCostsKeepFullPrecisionAsInJson) {
  CliProject project;
  ASSERT_EQ(project.Run({"run", "--quiet", "--limit", "1"}).exit_code, 0);
  CommandResult json = project.Run({"runs", "export", "1", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  size_t at = json.out.find("\"cost_usd\":");
  ASSERT_NE(at, std::string::npos);
  at += 11;
  std::string cost = json.out.substr(at, json.out.find(',', at) - at);  // Shortest round-trip, e.g. 6.08e-05.
  ASSERT_GT(cost.size(), 8u) << cost;  // More digits than the 6 decimals the CSV used to keep.
  CommandResult csv = project.Run({"runs", "export", "1", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("," + cost + ","));
}

TEST(CliExport, AFailedWriteToStdoutIsAnErrorAndAClosedPipeIsQuiet) {
  CliProject project;
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);
  std::string export_run = std::string(LLMEVAL_BINARY) + " runs export 1 --format jsonl";
  // A full disk under `> file`: the export must not end as if it had succeeded.
  CommandResult full = RunCommand({"/bin/sh", "-c", "exec " + export_run + " > /dev/full"}, project.dir());
  EXPECT_EQ(full.exit_code, 3);
  EXPECT_THAT(full.err, HasSubstr("writing to stdout failed: No space left on device"));
  // A reader that has gone (`| head`): exit 141 as a process ended by SIGPIPE would, with nothing on stderr.
  CommandResult closed = RunCommand(
      {"/bin/sh", "-c", "(sleep 0.3; " + export_run + "; echo $? > rc.txt) | true; cat rc.txt"}, project.dir());
  EXPECT_EQ(closed.out, "141\n");
  EXPECT_EQ(closed.err, "");
}

}  // namespace
}  // namespace llmeval::testing
