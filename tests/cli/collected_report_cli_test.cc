// Collected traces in the report and the live UI, through the real binary: the example app's traces go to
// `llmeval collect`, `evaluate --traces` makes them a source run, and both `llmeval report` (the embedded item details)
// and `llmeval ui` (an item's spans over loopback HTTP) show each item's own application trace (its root, tool and chat
// spans), as they show a run's traces.
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <csignal>
#include <string>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

long Get(const std::string& url, std::string* body) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  return status;
}

TEST(CollectedTracesReportCli, ReportAndUiShowTheApplicationsOwnTraceOfEachItem) {
  if (RunCommand({"/usr/bin/env", "python3", "--version"}).exit_code != 0) GTEST_SKIP() << "python3 is missing";
  CliProject project;
  {
    ChildProcess collector({LLMEVAL_BINARY, "collect", "--port", "0", "--exit-after", "60"}, project.dir());
    std::string port = collector.ReadLine();
    ASSERT_FALSE(port.empty());
    CommandResult sent = RunCommand({"/usr/bin/env", "python3", SourceDir() + "/examples/se-exam/app/traced_app.py",
                                     "--endpoint", "http://127.0.0.1:" + port, "--convention", "openinference"});
    ASSERT_EQ(sent.exit_code, 0) << sent.err;
    collector.Signal(SIGTERM);
    ASSERT_EQ(collector.Wait(), 0);
  }
  CommandResult evaluated =
      project.Run({"evaluate", "--traces", "service=shop", "--scorers", "enough_words", "--quiet"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  ASSERT_THAT(evaluated.out, HasSubstr("Scored run 1's answers into run 2"));

  // The report of the traces' run embeds each item's application spans in its (gzip, base64) item details.
  const std::string html_path = project.Path("traces.html");
  CommandResult report = project.Run({"report", "1", "-o", html_path});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  std::string html = ReadFile(html_path);
  const std::string open = "id=\"llmeval-details-gz\">";
  size_t from = html.find(open);
  ASSERT_NE(from, std::string::npos);
  from += open.size();
  WriteFile(project.Path("details.b64"), html.substr(from, html.find('<', from) - from));
  CommandResult details = RunCommand(
      {"/usr/bin/env", "python3", "-c",
       "import base64, gzip, sys; print(gzip.decompress(base64.b64decode(open(sys.argv[1]).read())).decode())",
       project.Path("details.b64")});
  ASSERT_EQ(details.exit_code, 0) << details.err;
  EXPECT_THAT(details.out, HasSubstr("answer_question"));
  EXPECT_THAT(details.out, HasSubstr("execute_tool search"));
  EXPECT_THAT(details.out, HasSubstr("chat shop-model"));
  EXPECT_THAT(details.out, HasSubstr("Refactoring changes the structure"));

  // The live UI serves the same item's spans.
  ChildProcess ui({LLMEVAL_BINARY, "ui", "--port", "0", "--exit-after", "30"}, project.dir());
  std::string line = ui.ReadLine();
  size_t at = line.find(" at ");
  ASSERT_NE(at, std::string::npos) << line;
  const std::string url = line.substr(at + 4);
  std::string items_body;
  ASSERT_EQ(Get(url + "api/runs/1/items?limit=1", &items_body), 200) << items_body;
  simdjson::dom::parser parser;
  simdjson::dom::element items = parser.parse(items_body);
  EXPECT_EQ(int64_t(items["total"]), 3);
  int64_t item_id = items["items"].at(0)["id"].get_int64();
  std::string detail;
  ASSERT_EQ(Get(url + "api/items/" + std::to_string(item_id), &detail), 200) << detail;
  simdjson::dom::parser detail_parser;
  simdjson::dom::element item = detail_parser.parse(detail);
  std::vector<std::string> names;
  for (simdjson::dom::element span : item["spans"].get_array()) names.emplace_back(std::string_view(span["name"]));
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("answer_question", "execute_tool search", "chat shop-model"));
  ui.Signal(SIGINT);
  EXPECT_EQ(ui.Wait(), 0);
}

}  // namespace
}  // namespace llmeval::testing
