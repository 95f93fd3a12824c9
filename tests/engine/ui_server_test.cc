// Tests of engine/report/ui_server.h over real loopback HTTP: a small store (three items with assessments and spans,
// one of them answering with markup) served on port 0, every route fetched with libcurl, statuses, headers and JSON
// checked.
#include "engine/report/ui_server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/strings.h"
#include "engine/store/store.h"
#include "testing/test_util.h"

namespace llmeval {
namespace {

using testing::ScratchDir;

constexpr char kMarkupAnswer[] = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

struct HttpResult {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // Lowercase names.
};

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t AppendHeader(char* data, size_t size, size_t count, void* out) {
  std::string_view line(data, size * count);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    (*static_cast<std::map<std::string, std::string>*>(out))[AsciiLower(line.substr(0, colon))] =
        std::string(TrimWhitespace(line.substr(colon + 1)));
  }
  return size * count;
}

// One request with libcurl; `method` "GET", "HEAD" or anything curl sends as a custom request.
HttpResult Fetch(const std::string& url, const std::string& method = "GET",
                 const std::vector<std::string>& headers = {}) {
  HttpResult result;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "{}");
  } else if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  result.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return result;
}

std::string Hex(uint64_t value, int digits) {
  char buffer[33];
  std::snprintf(buffer, sizeof(buffer), "%0*llx", digits, static_cast<unsigned long long>(value));
  return buffer;
}

SpanRow MakeSpan(const std::string& trace_id, uint64_t id, uint64_t parent, const std::string& name, int64_t start_ns,
                 int64_t end_ns, const std::string& attributes) {
  SpanRow span;
  span.trace_id = trace_id;
  span.span_id = Hex(id, 16);
  span.parent_span_id = parent == 0 ? "" : Hex(parent, 16);
  span.name = name;
  span.kind = parent == 0 ? 1 : 3;
  span.start_unix_ns = start_ns;
  span.end_unix_ns = end_ns;
  span.attributes_json = attributes;
  return span;
}

// A store with two completed runs of three items. In the first, item 0 passes everything, item 1 answers with markup
// and fails `enough_words`, item 2 has a provider error. Each item has a trace of four spans.
struct Fixture {
  int64_t run_id = 0;         // The first run.
  int64_t second_run_id = 0;  // The same items, item 1 passing.
  std::vector<int64_t> item_ids;
  std::vector<std::string> trace_ids;
};

// Adds one run of the three items; in the `second` run item 1 answers well, so it flips to passing.
void AddRun(Store* store, bool second, Fixture* f) {
  RunRecord run;
  run.experiment = "ui-test";
  run.name = second ? "second" : "first";
  run.status = "running";
  run.started_unix_ns = 1'700'000'000'000'000'000;
  run.params_json = R"({"prompt":"basic","model":"sim"})";
  run.dataset_path = "questions.csv";
  run.dataset_rows = 3;
  int64_t run_id = store->CreateRun(run).value();
  VariantRecord variant;
  variant.run_id = run_id;
  variant.prompt_name = "basic";
  variant.prompt_version = 1;
  variant.model = "sim";
  int64_t variant_id = store->AddVariant(variant).value();
  std::vector<ItemRecord> items;
  for (int i = 0; i < 3; ++i) {
    ItemRecord item;
    item.run_id = run_id;
    item.variant_id = variant_id;
    item.row_index = i;
    item.item_key = "q" + std::to_string(i);
    item.inputs_json = R"({"category":")" + std::string(i == 0 ? "testing" : "design") + R"(","question":"Question )" +
                       std::to_string(i) + R"("})";
    item.rendered_input = "Answer: Question " + std::to_string(i);
    if (i == 2) {
      item.error = "provider returned 500";
      item.error_type = "remote";
    } else {
      item.output = i == 1 && !second ? std::string(kMarkupAnswer) : "A fine and long answer " + std::to_string(i);
    }
    item.finish_reason = "stop";
    item.input_tokens = 10;
    item.output_tokens = 20;
    item.latency_ms = 12.5;
    item.model_calls = 1;
    item.started_unix_ns = run.started_unix_ns + i * 1'000'000'000LL;
    item.ended_unix_ns = item.started_unix_ns + 12'500'000;
    item.trace_id = Hex(0xabc000 + (second ? 0x10 : 0) + i, 32);
    AssessmentRow words;
    words.name = "enough_words";
    words.outcome = i == 1 && !second ? "fail" : (i == 2 ? "error" : "pass");
    words.source = "code";
    words.rationale = i == 1 ? "3 words < 5" : "ok";
    AssessmentRow judge;
    judge.name = "relevance";
    judge.outcome = i == 2 ? "skipped" : "pass";
    judge.source = "llm_judge";
    judge.judge_model = "sim";
    judge.rationale = "The answer addresses the question.";
    item.assessments = {words, judge};
    int64_t t = item.started_unix_ns;
    uint64_t base = 0x100 * (i + 1) + (second ? 0x1000 : 0);
    item.spans = {
        MakeSpan(item.trace_id, base + 1, 0, "eval_item basic", t, t + 12'500'000, "{}"),
        MakeSpan(item.trace_id, base + 2, base + 1, "chat sim", t + 1'000'000, t + 9'000'000,
                 R"({"gen_ai.request.model":"sim","gen_ai.usage.input_tokens":10})"),
        MakeSpan(item.trace_id, base + 3, base + 1, "score enough_words", t + 9'500'000, t + 10'000'000, "{}"),
        MakeSpan(item.trace_id, base + 4, base + 1, "score relevance", t + 10'000'000, t + 12'000'000, "{}"),
    };
    if (i == 2) {
      item.spans[1].status = 2;
      item.spans[1].status_message = "provider returned 500";
    }
    items.push_back(std::move(item));
  }
  EXPECT_TRUE(store->WriteItems(items).ok());
  EXPECT_TRUE(store->SetRunStatus(run_id, "completed", true).ok());
  if (second) {
    f->second_run_id = run_id;
    return;
  }
  f->run_id = run_id;
  Result<std::vector<ItemRecord>> stored = store->Items(run_id);
  ASSERT_TRUE(stored.ok());
  for (const ItemRecord& item : *stored) {
    f->item_ids.push_back(item.id);
    f->trace_ids.push_back(item.trace_id);
  }
}

Fixture BuildStore(const std::string& path) {
  Fixture f;
  std::unique_ptr<Store> store = std::move(Store::Open(path).value());
  bool created = false;
  EXPECT_TRUE(store->RegisterPrompt("basic", "Answer: {question}", "", "", &created).ok());
  AddRun(store.get(), false, &f);
  AddRun(store.get(), true, &f);
  return f;
}

class UiServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture_ = BuildStore(scratch_.Path("store/llmeval.db"));
    ASSERT_EQ(fixture_.item_ids.size(), 3u);
    UiServerOptions options;
    options.store_path = scratch_.Path("store/llmeval.db");
    server_ = std::make_unique<UiServer>(options);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_GT(server_->port(), 0);
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  // GETs `path`, expects 200 with JSON, and parses the body into root_.
  simdjson::dom::element GetJson(const std::string& path) {
    HttpResult r = Fetch(Url(path));
    EXPECT_EQ(r.code, CURLE_OK);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
    EXPECT_EQ(r.headers["cache-control"], "no-store");
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
    bodies_.push_back(r.body);
    simdjson::dom::element root;
    EXPECT_EQ(parser_.parse(bodies_.back()).get(root), simdjson::SUCCESS) << r.body;
    return root;
  }

  // Expects `status` with a JSON {"error": "..."} body and returns the message.
  std::string ExpectError(const std::string& path, long status, const std::string& method = "GET") {
    HttpResult r = Fetch(Url(path), method);
    EXPECT_EQ(r.code, CURLE_OK);
    EXPECT_EQ(r.status, status) << method << " " << path << ": " << r.body;
    EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
    simdjson::dom::element root;
    EXPECT_EQ(parser_.parse(r.body).get(root), simdjson::SUCCESS) << r.body;
    std::string_view message;
    EXPECT_EQ(root["error"].get(message), simdjson::SUCCESS) << r.body;
    return std::string(message);
  }

  ScratchDir scratch_;
  Fixture fixture_;
  std::unique_ptr<UiServer> server_;
  simdjson::dom::parser parser_;
  std::vector<std::string> bodies_;
};

TEST_F(UiServerTest, ServesTheLiveAppWithStrictHeaders) {
  HttpResult r = Fetch(Url("/"));
  ASSERT_EQ(r.code, CURLE_OK);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(r.headers["cache-control"], "no-store");
  EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
  const std::string& csp = r.headers["content-security-policy"];
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(r.body.find("LLMEVAL_LIVE"), std::string::npos);
  for (const char* external : {"src=\"http", "href=\"http", "src=\"//", "href=\"//"}) {
    EXPECT_EQ(r.body.find(external), std::string::npos) << "the app must load nothing from elsewhere: " << external;
  }

  HttpResult head = Fetch(Url("/"), "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(UiServerTest, ListsRuns) {
  simdjson::dom::element root = GetJson("/api/runs?limit=10");
  simdjson::dom::array runs;
  ASSERT_EQ(root["runs"].get(runs), simdjson::SUCCESS);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(int64_t(runs.at(0)["id"]), fixture_.second_run_id) << "newest first";
  EXPECT_EQ(int64_t(runs.at(1)["id"]), fixture_.run_id);
  EXPECT_EQ(std::string_view(runs.at(1)["experiment"]), "ui-test");
  EXPECT_EQ(std::string_view(runs.at(1)["status"]), "completed");
  EXPECT_EQ(int64_t(runs.at(1)["items"]), 3);
  simdjson::dom::array experiments;
  ASSERT_EQ(root["experiments"].get(experiments), simdjson::SUCCESS);
  ASSERT_EQ(experiments.size(), 1u);
  EXPECT_EQ(std::string_view(experiments.at(0)["name"]), "ui-test");
  EXPECT_EQ(GetJson("/api/runs?limit=1")["runs"].get_array().size(), 1u);
  GetJson("/api/runs");  // The limit is optional.
}

TEST_F(UiServerTest, ShowsOneRunWithScorerStats) {
  simdjson::dom::element root = GetJson("/api/runs/" + std::to_string(fixture_.run_id));
  EXPECT_EQ(int64_t(root["run"]["id"]), fixture_.run_id);
  simdjson::dom::array variants;
  ASSERT_EQ(root["variants"].get(variants), simdjson::SUCCESS);
  ASSERT_EQ(variants.size(), 1u);
  EXPECT_EQ(int64_t(variants.at(0)["items"]), 3);
  bool found = false;
  for (simdjson::dom::element stat : variants.at(0)["scorers"].get_array()) {
    if (std::string_view(stat["scorer"]) != "enough_words") continue;
    found = true;
    EXPECT_EQ(int64_t(stat["passed"]), 1);
    EXPECT_EQ(int64_t(stat["failed"]), 1);
    EXPECT_EQ(int64_t(stat["errors"]), 1);
  }
  EXPECT_TRUE(found);
}

// Finished runs' pages are cached; a verdict stored later (human feedback from another process) shows at once.
TEST_F(UiServerTest, RunPageCacheSeesLaterFeedback) {
  std::string path = "/api/runs/" + std::to_string(fixture_.run_id);
  auto has_human_row = [&](simdjson::dom::element root) {
    for (simdjson::dom::element stat : root["variants"].at(0)["scorers"].get_array()) {
      if (std::string_view(stat["scorer"]) == "enough_words (human)") return true;
    }
    return false;
  };
  EXPECT_FALSE(has_human_row(GetJson(path)));
  EXPECT_FALSE(has_human_row(GetJson(path)));  // From the cache.
  {
    Result<std::unique_ptr<Store>> other = Store::Open(scratch_.Path("store/llmeval.db"));
    ASSERT_TRUE(other.ok());
    AssessmentRow human;
    human.name = "enough_words";
    human.outcome = "pass";
    human.source = "human";
    ASSERT_TRUE((*other)->AddHumanAssessment(fixture_.item_ids[0], human).ok());
  }
  EXPECT_TRUE(has_human_row(GetJson(path)));

  RunPageCache cache;
  Result<std::unique_ptr<Store>> store = Store::Open(scratch_.Path("store/llmeval.db"));
  ASSERT_TRUE(store.ok());
  UiReply first = RouteUiRequest(store->get(), "GET", path, &cache);
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(cache.entries.count(fixture_.run_id), 1u) << "a completed run's page is kept";
  EXPECT_EQ(RouteUiRequest(store->get(), "GET", path, &cache).body, first.body);
}

TEST_F(UiServerTest, PagesAndFiltersItems) {
  std::string base = "/api/runs/" + std::to_string(fixture_.run_id) + "/items";
  simdjson::dom::element all = GetJson(base);
  EXPECT_EQ(int64_t(all["total"]), 3);
  EXPECT_EQ(all["items"].get_array().size(), 3u);

  simdjson::dom::element page = GetJson(base + "?offset=1&limit=1");
  EXPECT_EQ(int64_t(page["total"]), 3);
  EXPECT_EQ(int64_t(page["offset"]), 1);
  ASSERT_EQ(page["items"].get_array().size(), 1u);
  EXPECT_EQ(int64_t(page["items"].at(0)["id"]), fixture_.item_ids[1]);

  simdjson::dom::element failed = GetJson(base + "?failed=enough_words");
  EXPECT_EQ(int64_t(failed["total"]), 1);
  EXPECT_EQ(int64_t(failed["items"].at(0)["id"]), fixture_.item_ids[1]);
  // The markup comes back as a JSON string, byte for byte, never interpreted.
  EXPECT_EQ(std::string_view(failed["items"].at(0)["answer"]), kMarkupAnswer);

  simdjson::dom::element any_failed = GetJson(base + "?failed=*");
  EXPECT_EQ(int64_t(any_failed["total"]), 1);

  simdjson::dom::element errors = GetJson(base + "?errors=1");
  EXPECT_EQ(int64_t(errors["total"]), 1);
  EXPECT_EQ(int64_t(errors["items"].at(0)["id"]), fixture_.item_ids[2]);

  // Query values are URL-decoded: "%3Cscript" is "<script".
  simdjson::dom::element search = GetJson(base + "?q=%3Cscript");
  EXPECT_EQ(int64_t(search["total"]), 1);
  // The app builds queries with URLSearchParams, which writes a space as '+'.
  simdjson::dom::element plus = GetJson(base + "?q=FINE+and");
  EXPECT_EQ(int64_t(plus["total"]), 1);
  simdjson::dom::element none = GetJson(base + "?q=no%20such%20text");
  EXPECT_EQ(int64_t(none["total"]), 0);
  EXPECT_EQ(none["items"].get_array().size(), 0u);
}

TEST_F(UiServerTest, ShowsAnItemWithItsTraceInStartOrder) {
  simdjson::dom::element root = GetJson("/api/items/" + std::to_string(fixture_.item_ids[1]));
  EXPECT_EQ(int64_t(root["item"]["id"]), fixture_.item_ids[1]);
  EXPECT_EQ(std::string_view(root["item"]["output"]), kMarkupAnswer);
  EXPECT_EQ(std::string_view(root["trace_id"]), fixture_.trace_ids[1]);
  simdjson::dom::array assessments;
  ASSERT_EQ(root["assessments"].get(assessments), simdjson::SUCCESS);
  EXPECT_EQ(assessments.size(), 2u);
  simdjson::dom::array spans;
  ASSERT_EQ(root["spans"].get(spans), simdjson::SUCCESS);
  ASSERT_EQ(spans.size(), 4u);
  double previous = -1;
  for (simdjson::dom::element span : spans) {
    double start = double(span["start_ms"]);
    EXPECT_GE(start, previous);
    previous = start;
  }
  EXPECT_EQ(std::string_view(spans.at(1)["name"]), "chat sim");
  EXPECT_DOUBLE_EQ(double(spans.at(1)["start_ms"]), 1.0);
  EXPECT_DOUBLE_EQ(double(spans.at(1)["duration_ms"]), 8.0);

  simdjson::dom::element failed = GetJson("/api/items/" + std::to_string(fixture_.item_ids[2]));
  EXPECT_EQ(std::string_view(failed["item"]["error"]), "provider returned 500");
  EXPECT_EQ(std::string_view(failed["spans"].at(1)["status"]), "error");
}

TEST_F(UiServerTest, ComparesTwoRunsWithTheFlippedItem) {
  simdjson::dom::element root =
      GetJson("/api/compare?a=" + std::to_string(fixture_.run_id) + "&b=" + std::to_string(fixture_.second_run_id));
  EXPECT_EQ(int64_t(root["run_a"]["id"]), fixture_.run_id);
  EXPECT_EQ(int64_t(root["run_b"]["id"]), fixture_.second_run_id);
  simdjson::dom::array variants;
  ASSERT_EQ(root["variants"].get(variants), simdjson::SUCCESS);
  ASSERT_EQ(variants.size(), 1u);
  EXPECT_EQ(int64_t(variants.at(0)["paired_items"]), 3);
  bool found = false;
  for (simdjson::dom::element scorer : variants.at(0)["scorers"].get_array()) {
    if (std::string_view(scorer["scorer"]) != "enough_words") continue;
    found = true;
    simdjson::dom::array flipped = scorer["flipped"].get_array();
    ASSERT_EQ(flipped.size(), 1u);
    EXPECT_EQ(std::string_view(flipped.at(0)["key"]), "q1");
    EXPECT_TRUE(bool(flipped.at(0)["now_passes"]));
  }
  EXPECT_TRUE(found);
}

TEST_F(UiServerTest, AnswersUnknownIdsWith404AndBadNumbersWith400) {
  ExpectError("/api/runs/999", 404);
  ExpectError("/api/runs/999/items", 404);
  ExpectError("/api/items/999999", 404);
  ExpectError("/api/compare?a=" + std::to_string(fixture_.run_id) + "&b=999", 404);
  ExpectError("/api/nothing", 404);
  ExpectError("/index.php", 404);
  ExpectError("/../etc/passwd", 404);

  std::string items = "/api/runs/" + std::to_string(fixture_.run_id) + "/items";
  std::string message = ExpectError(items + "?offset=abc", 400);
  EXPECT_NE(message.find("offset"), std::string::npos) << message;
  ExpectError(items + "?offset=-1", 400);
  ExpectError(items + "?offset=1x", 400);
  ExpectError(items + "?limit=0", 400);
  ExpectError(items + "?limit=1001", 400);
  ExpectError(items + "?variant=%20", 400);
  ExpectError(items + "?errors=maybe", 400);
  ExpectError("/api/runs/abc", 400);
  ExpectError("/api/runs?limit=many", 400);
  ExpectError("/api/items/1e3", 400);
  ExpectError("/api/compare?a=1", 400);
  ExpectError("/api/compare?a=x&b=1", 400);
}

TEST_F(UiServerTest, ServesOnlyGetAndHead) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
    ExpectError("/api/runs", 405, method);
  }
  HttpResult r = Fetch(Url("/api/runs"), "POST");
  EXPECT_EQ(r.headers["allow"], "GET, HEAD");
}

TEST_F(UiServerTest, RefusesForeignHostHeaders) {
  HttpResult rebound = Fetch(Url("/api/runs"), "GET", {"Host: attacker.example:" + std::to_string(server_->port())});
  EXPECT_EQ(rebound.status, 403);
  EXPECT_EQ(rebound.body.find("ui-test"), std::string::npos);
  HttpResult local = Fetch(Url("/api/runs"), "GET", {"Host: localhost:" + std::to_string(server_->port())});
  EXPECT_EQ(local.status, 200);
}

// The listening socket's local address in /proc/net/tcp, as "AABBCCDD" (little-endian hex), or "" when not found.
std::string ListeningAddress(int port) {
  std::ifstream tcp("/proc/net/tcp");
  std::string line;
  char port_hex[8];
  std::snprintf(port_hex, sizeof(port_hex), ":%04X", port);
  while (std::getline(tcp, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state == "0A" && local.size() > 5 && local.substr(local.size() - 5) == port_hex) {
      return local.substr(0, local.size() - 5);
    }
  }
  return "";
}

TEST_F(UiServerTest, BindsToLoopbackOnly) {
  EXPECT_EQ(ListeningAddress(server_->port()), "0100007F");  // 127.0.0.1
  EXPECT_EQ(server_->url(), "http://127.0.0.1:" + std::to_string(server_->port()) + "/");
}

TEST(UiServerOptionsTest, RefusesOtherHostsAndMissingStores) {
  ScratchDir scratch;
  UiServerOptions any_host;
  any_host.host = "0.0.0.0";
  any_host.store_path = scratch.Path("llmeval.db");
  Status s = UiServer(any_host).Start();
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput) << s.ToString();

  UiServerOptions missing;
  missing.store_path = scratch.Path("nothing/llmeval.db");
  s = UiServer(missing).Start();
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  std::ifstream absent(missing.store_path);
  EXPECT_FALSE(absent.good()) << "a missing store must not be created";
}

TEST(UiServerOptionsTest, StopsTwiceAndRestarts) {
  ScratchDir scratch;
  BuildStore(scratch.Path("llmeval.db"));
  UiServerOptions options;
  options.store_path = scratch.Path("llmeval.db");
  UiServer server(options);
  ASSERT_TRUE(server.Start().ok());
  server.Stop();
  server.Stop();
  ASSERT_TRUE(server.Start().ok());
  HttpResult r = Fetch(server.url() + "api/runs");
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(server.requests(), 1u);
}

}  // namespace
}  // namespace llmeval
