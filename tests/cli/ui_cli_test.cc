// End-to-end tests of `llmeval ui` through the real binary: after a real run, the server prints its URL line, serves
// the run list, a run's items and an item's trace over loopback HTTP, and stops with exit 0 on SIGINT, on SIGTERM and
// after --exit-after; without a store it fails with exit 2 and creates nothing.
#include <curl/curl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include <filesystem>
#include <string>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// GETs `url`; returns the status (0 when the request failed) and fills *body.
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

constexpr char kPrefix[] = "llmeval ui: serving ";

// Starts `llmeval ui` in `project` and returns the base URL it printed ("http://127.0.0.1:PORT/").
std::string StartUi(const CliProject& project, std::unique_ptr<ChildProcess>* child,
                    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {LLMEVAL_BINARY, "ui", "--port", "0", "--exit-after", "30"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  *child = std::make_unique<ChildProcess>(argv, project.dir());
  std::string line = (*child)->ReadLine();
  EXPECT_THAT(line, StartsWith(kPrefix));
  EXPECT_THAT(line, HasSubstr(".llmeval/llmeval.db at http://127.0.0.1:"));
  size_t at = line.find(" at ");
  return at == std::string::npos ? "" : line.substr(at + 4);
}

TEST(CliUi, ServesARealRunAndStopsCleanlyOnSigint) {
  CliProject project;
  CommandResult run = project.Run({"run", "--limit", "3"});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  std::unique_ptr<ChildProcess> ui;
  std::string url = StartUi(project, &ui);
  ASSERT_THAT(url, StartsWith("http://127.0.0.1:"));
  ASSERT_EQ(url.back(), '/');

  std::string body;
  ASSERT_EQ(Get(url + "api/runs", &body), 200) << body;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(body).get(root), simdjson::SUCCESS) << body;
  simdjson::dom::array runs = root["runs"].get_array();
  ASSERT_EQ(runs.size(), 1u);
  int64_t run_id = runs.at(0)["id"].get_int64();
  EXPECT_EQ(std::string_view(runs.at(0)["status"]), "completed");

  std::string items_body;
  ASSERT_EQ(Get(url + "api/runs/" + std::to_string(run_id) + "/items?limit=2", &items_body), 200) << items_body;
  simdjson::dom::parser items_parser;
  simdjson::dom::element items = items_parser.parse(items_body);
  EXPECT_EQ(int64_t(items["total"]), 3);
  ASSERT_EQ(items["items"].get_array().size(), 2u);
  int64_t item_id = items["items"].at(0)["id"].get_int64();

  std::string detail_body;
  ASSERT_EQ(Get(url + "api/items/" + std::to_string(item_id), &detail_body), 200) << detail_body;
  simdjson::dom::parser detail_parser;
  simdjson::dom::element detail = detail_parser.parse(detail_body);
  EXPECT_GE(detail["spans"].get_array().size(), 2u) << "a real item has a root span and a chat span at least";
  EXPECT_GE(detail["assessments"].get_array().size(), 4u);

  std::string html;
  EXPECT_EQ(Get(url, &html), 200);
  EXPECT_THAT(html, HasSubstr("LLMEVAL_LIVE"));

  ui->Signal(SIGINT);
  EXPECT_EQ(ui->Wait(), 0);
}

TEST(CliUi, StopsOnSigtermAndAfterExitAfter) {
  CliProject project;
  ASSERT_EQ(project.Run({"run", "--limit", "1"}).exit_code, 0);
  std::unique_ptr<ChildProcess> ui;
  StartUi(project, &ui);
  ui->Signal(SIGTERM);
  EXPECT_EQ(ui->Wait(), 0);

  std::unique_ptr<ChildProcess> timed = std::make_unique<ChildProcess>(
      std::vector<std::string>{LLMEVAL_BINARY, "ui", "--port", "0", "--exit-after", "1", "--no-open"}, project.dir());
  EXPECT_THAT(timed->ReadLine(), StartsWith(kPrefix));
  EXPECT_EQ(timed->Wait(), 0);
}

TEST(CliUi, WithoutAStoreFailsWithExit2AndCreatesNothing) {
  CliProject project;
  CommandResult r = project.Run({"ui", "--port", "0", "--exit-after", "5"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("no results store at"));
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_FALSE(std::filesystem::exists(project.Path(".llmeval"))) << "ui must not create a store";
}

TEST(CliUi, RejectsBadFlags) {
  CliProject project;
  EXPECT_EQ(project.Run({"ui", "--port", "abc"}).exit_code, 2);
  EXPECT_EQ(project.Run({"ui", "--port", "70000"}).exit_code, 2);
  EXPECT_EQ(project.Run({"ui", "--host", "0.0.0.0"}).exit_code, 2);
  CommandResult help = project.Run({"ui", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--exit-after"));
}

}  // namespace
}  // namespace llmeval::testing
