// ReportData over a real store in a scratch directory: every document is parsed back with simdjson and checked.
#include "engine/report/report_data.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <vector>

#include "core/json_writer.h"
#include "testing/test_util.h"

namespace llmeval {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr int64_t kT0 = 1'700'000'000'000'000'000;

struct Outcomes {
  std::string enough;  // "" = no assessment
  std::string judge;
};

class ReportDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> store = Store::Open(dir_.Path("store.db"), &clock_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    bool created = false;
    ASSERT_TRUE(store_->RegisterPrompt("basic", "Answer: {question}", "", "", &created).ok());
    ASSERT_TRUE(store_->RegisterPrompt("sys", "You are terse.", "", "", &created).ok());
  }

  int64_t NewRun(const std::string& params = "{\"dataset\":\"q.csv\"}") {
    RunRecord run;
    run.experiment = "exp";
    run.params_json = params;
    run.dataset_path = "q.csv";
    Result<int64_t> id = store_->CreateRun(run);
    EXPECT_TRUE(id.ok());
    clock_.Advance(2'000'000'000);
    EXPECT_TRUE(store_->SetRunStatus(*id, "completed", true).ok());
    VariantRecord v;
    v.run_id = *id;
    v.prompt_name = "basic";
    v.prompt_version = 1;
    v.system_name = "sys";
    v.system_version = 1;
    v.model = "sim";
    Result<int64_t> vid = store_->AddVariant(v);
    EXPECT_TRUE(vid.ok());
    variant_ = *vid;
    return *id;
  }

  // An item with a root span, a chat span and a score span, stored out of start order.
  ItemRecord MakeItem(int64_t run_id, int row, const std::string& category, const std::string& question,
                      std::optional<std::string> output, const Outcomes& o, const std::string& error = "") {
    ItemRecord it;
    it.run_id = run_id;
    it.variant_id = variant_;
    it.row_index = row;
    it.item_key = "key" + std::to_string(row);
    it.inputs_json = "{\"question\":" + JsonQuoteForTest(question) + ",\"category\":\"" + category + "\"}";
    it.rendered_input = "Answer: " + question;
    it.output = std::move(output);
    it.error = error;
    it.input_tokens = 10;
    it.output_tokens = 5;
    it.cost_usd = 0.001;
    it.latency_ms = 12.5;
    char trace[33];
    std::snprintf(trace, sizeof(trace), "%016llx%016llx", static_cast<unsigned long long>(run_id),
                  static_cast<unsigned long long>(row + 1));
    it.trace_id = trace;
    it.started_unix_ns = kT0 + row * 1'000'000'000LL;
    it.ended_unix_ns = it.started_unix_ns + 30'000'000;
    if (!o.enough.empty()) {
      AssessmentRow a;
      a.name = "enough";
      a.outcome = o.enough;
      a.source = "code";
      a.rationale = "words: " + std::to_string(row);
      it.assessments.push_back(a);
    }
    if (!o.judge.empty()) {
      AssessmentRow a;
      a.name = "judge";
      a.outcome = o.judge;
      a.source = "llm_judge";
      a.score = o.judge == "pass" ? 1.0 : 0.0;
      a.rationale = "judge says " + o.judge;
      a.judge_model = "sim";
      a.judge_samples = 1;
      if (o.judge == "error") a.error = "unparseable verdict";
      it.assessments.push_back(a);
    }
    int64_t t = it.started_unix_ns;
    auto span = [&](const std::string& id, const std::string& parent, const std::string& name, int64_t start_ms,
                    int64_t end_ms, int status) {
      SpanRow s;
      s.trace_id = it.trace_id;
      s.span_id = id;
      s.parent_span_id = parent;
      s.name = name;
      s.kind = 1;
      s.start_unix_ns = t + start_ms * 1'000'000;
      s.end_unix_ns = t + end_ms * 1'000'000;
      s.status = status;
      s.attributes_json = "{\"llmeval.span.type\":\"" + name + "\",\"gen_ai.usage.input_tokens\":10}";
      return s;
    };
    it.spans.push_back(span("00000000000000c3", "00000000000000a1", "score", 20, 29, 1));
    it.spans.push_back(span("00000000000000a1", "", "eval_item", 0, 30, error.empty() ? 0 : 2));
    it.spans.push_back(span("00000000000000b2", "00000000000000a1", "chat", 2, 18, 1));
    return it;
  }

  static std::string JsonQuoteForTest(const std::string& s) { return JsonQuote(s); }

  element Parse(const std::string& json) {
    parsers_.push_back(std::make_unique<simdjson::dom::parser>());
    element doc;
    EXPECT_EQ(parsers_.back()->parse(json).get(doc), simdjson::SUCCESS) << json.substr(0, 500);
    return doc;
  }

  // Ten items: categories a (rows 0-4) and b (5-9); enough passes rows 0-6; judge errors on row 9; row 8 has an
  // item error and no output.
  int64_t StandardRun() {
    int64_t run = NewRun();
    std::vector<ItemRecord> items;
    for (int row = 9; row >= 0; --row) {  // Stored in reverse: ids do not follow rows.
      Outcomes o{row < 7 ? "pass" : "fail", row == 9 ? "error" : (row % 2 == 0 ? "pass" : "fail")};
      std::optional<std::string> out = "answer " + std::to_string(row);
      std::string error;
      if (row == 8) {
        out.reset();
        error = "HTTP 500 from provider";
      }
      std::string question = "question number " + std::to_string(row);
      if (row == 3) question = "what is 50% of 10?";
      if (row == 4) question = "explain snake_case";
      items.push_back(MakeItem(run, row, row < 5 ? "a" : "b", question, out, o, error));
    }
    EXPECT_TRUE(store_->WriteItems(items).ok());
    return run;
  }

  ItemQuery Query() { return ItemQuery(); }

  int64_t Total(int64_t run, const ItemQuery& q) {
    Result<std::string> json = ItemsJson(store_.get(), run, q);
    EXPECT_TRUE(json.ok()) << json.status().message();
    if (!json.ok()) return -1;
    return Parse(*json)["total"].get_int64().value();
  }

  testing::ScratchDir dir_;
  FakeClock clock_{kT0};
  std::unique_ptr<Store> store_;
  int64_t variant_ = 0;
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers_;
};

element FindScorer(array scorers, std::string_view name) {
  for (element s : scorers) {
    if (s["scorer"].get_string().value() == name) return s;
  }
  ADD_FAILURE() << "no scorer " << name;
  return element();
}

TEST_F(ReportDataTest, RunJsonCountsPromptsAndCategories) {
  int64_t run = StandardRun();
  Result<std::string> json = RunJson(store_.get(), run);
  ASSERT_TRUE(json.ok()) << json.status().message();
  element doc = Parse(*json);
  EXPECT_EQ(doc["run"]["id"].get_int64().value(), run);
  EXPECT_EQ(doc["run"]["status"].get_string().value(), "completed");
  EXPECT_EQ(doc["run"]["items"].get_int64().value(), 10);
  EXPECT_EQ(doc["run"]["duration_ms"].get_double().value(), 2000.0);
  EXPECT_EQ(doc["run"]["params"]["dataset"].get_string().value(), "q.csv");
  EXPECT_EQ(doc["run"]["variants"].at(0).get_string().value(), "basic/1 x sim");
  EXPECT_EQ(doc["category_column"].get_string().value(), "category");

  array prompts = doc["prompts"].get_array().value();
  ASSERT_EQ(prompts.size(), 2u);
  EXPECT_EQ(prompts.at(0)["role"].get_string().value(), "user");
  EXPECT_EQ(prompts.at(0)["content"].get_string().value(), "Answer: {question}");
  EXPECT_EQ(prompts.at(1)["role"].get_string().value(), "system");
  EXPECT_EQ(prompts.at(1)["content"].get_string().value(), "You are terse.");

  element v = doc["variants"].at(0);
  EXPECT_EQ(v["items"].get_int64().value(), 10);
  EXPECT_EQ(v["errors"].get_int64().value(), 1);
  EXPECT_NEAR(v["cost_usd"].get_double().value(), 0.01, 1e-12);
  element enough = FindScorer(v["scorers"].get_array().value(), "enough");
  EXPECT_EQ(enough["passed"].get_int64().value(), 7);
  EXPECT_EQ(enough["failed"].get_int64().value(), 3);
  EXPECT_NEAR(enough["pass_rate"].get_double().value(), 0.7, 1e-12);
  EXPECT_LT(enough["ci_low"].get_double().value(), 0.7);
  EXPECT_GT(enough["ci_high"].get_double().value(), 0.7);
  EXPECT_TRUE(enough["mean_score"].is_null());
  element judge = FindScorer(v["scorers"].get_array().value(), "judge");
  EXPECT_EQ(judge["errors"].get_int64().value(), 1);
  EXPECT_EQ(judge["passed"].get_int64().value(), 5);
  EXPECT_EQ(judge["failed"].get_int64().value(), 4);

  array categories = doc["categories"].get_array().value();
  ASSERT_EQ(categories.size(), 2u);
  EXPECT_EQ(categories.at(0).get_string().value(), "a");
  int found = 0;
  array by_category = v["categories"].get_array().value();
  for (element c : by_category) {
    if (c["scorer"].get_string().value() == "enough" && c["category"].get_string().value() == "b") {
      EXPECT_EQ(c["passed"].get_int64().value(), 2);  // rows 5, 6
      EXPECT_EQ(c["failed"].get_int64().value(), 3);
      ++found;
    }
  }
  EXPECT_EQ(found, 1);
  array scorers = doc["scorers"].get_array().value();
  EXPECT_EQ(scorers.size(), 2u);
}

TEST_F(ReportDataTest, GroupByParamChoosesTheCategoryColumn) {
  int64_t run = NewRun("{\"group_by\":\"Question\"}");
  ASSERT_TRUE(store_->WriteItems({MakeItem(run, 0, "a", "q0", "x", {"pass", ""})}).ok());
  Result<std::string> json = RunJson(store_.get(), run);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(Parse(*json)["category_column"].get_string().value(), "question");
  ItemQuery q;
  q.category = "q0";
  EXPECT_EQ(Total(run, q), 1);
}

TEST_F(ReportDataTest, ItemsFiltersInSql) {
  int64_t run = StandardRun();
  EXPECT_EQ(Total(run, Query()), 10);
  ItemQuery q;
  q.failed_scorer = "enough";
  EXPECT_EQ(Total(run, q), 3);
  q.failed_scorer = "judge";
  EXPECT_EQ(Total(run, q), 4);  // rows 1, 3, 5, 7
  q.failed_scorer = "*";
  EXPECT_EQ(Total(run, q), 6);  // 1, 3, 5, 7, 8, 9
  q.failed_scorer = "nope";
  EXPECT_EQ(Total(run, q), 0);

  q = Query();
  q.errors_only = true;
  EXPECT_EQ(Total(run, q), 2);  // row 8 (item error), row 9 (judge error)

  q = Query();
  q.category = "b";
  EXPECT_EQ(Total(run, q), 5);
  q.failed_scorer = "enough";
  EXPECT_EQ(Total(run, q), 3);

  q = Query();
  q.text = "50%";
  EXPECT_EQ(Total(run, q), 1);
  q.text = "5_%";  // Literal: no item contains "5_%".
  EXPECT_EQ(Total(run, q), 0);
  q.text = "SNAKE_case";  // Case-insensitive, '_' literal.
  EXPECT_EQ(Total(run, q), 1);
  q.text = "question_number";  // '_' is no wildcard: "question number" does not match.
  EXPECT_EQ(Total(run, q), 0);
  q.text = "http 500";  // In the error.
  EXPECT_EQ(Total(run, q), 1);
  q.text = "answer 7";  // In the output.
  EXPECT_EQ(Total(run, q), 1);

  q = Query();
  q.variant_id = variant_;
  EXPECT_EQ(Total(run, q), 10);
  q.variant_id = variant_ + 100;
  EXPECT_EQ(Total(run, q), 0);
}

TEST_F(ReportDataTest, ItemsPageInRowOrder) {
  int64_t run = StandardRun();
  ItemQuery q;
  q.offset = 8;
  q.limit = 4;
  Result<std::string> json = ItemsJson(store_.get(), run, q);
  ASSERT_TRUE(json.ok());
  element doc = Parse(*json);
  EXPECT_EQ(doc["total"].get_int64().value(), 10);
  EXPECT_EQ(doc["offset"].get_int64().value(), 8);
  array items = doc["items"].get_array().value();
  ASSERT_EQ(items.size(), 2u);
  element r8 = items.at(0);
  EXPECT_EQ(r8["row"].get_int64().value(), 8);
  EXPECT_TRUE(r8["answer"].is_null());
  EXPECT_EQ(r8["error"].get_string().value(), "HTTP 500 from provider");
  EXPECT_EQ(r8["category"].get_string().value(), "b");
  EXPECT_EQ(r8["question"].get_string().value(), "question number 8");
  EXPECT_EQ(r8["key"].get_string().value(), "key8");
  EXPECT_EQ(r8["scores"]["enough"].get_string().value(), "fail");
  EXPECT_EQ(r8["scores"]["judge"].get_string().value(), "pass");
  element r9 = items.at(1);
  EXPECT_EQ(r9["answer"].get_string().value(), "answer 9");
  EXPECT_TRUE(r9["error"].is_null());
  EXPECT_EQ(r9["scores"]["judge"].get_string().value(), "error");
  EXPECT_NEAR(r9["cost_usd"].get_double().value(), 0.001, 1e-12);

  q.offset = 0;
  q.limit = 3;
  json = ItemsJson(store_.get(), run, q);
  ASSERT_TRUE(json.ok());
  items = Parse(*json)["items"].get_array().value();
  ASSERT_EQ(items.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(items.at(i)["row"].get_int64().value(), i);

  q.offset = 50;
  json = ItemsJson(store_.get(), run, q);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(Parse(*json)["items"].get_array().value().size(), 0u);
}

TEST_F(ReportDataTest, ExcerptsCutOnCharacterBoundaries) {
  int64_t run = NewRun();
  std::string question;
  for (int i = 0; i < 300; ++i) question += "\xC3\xA9";  // é
  std::string answer(1000, 'x');
  ASSERT_TRUE(store_->WriteItems({MakeItem(run, 0, "a", question, answer, {"pass", ""})}).ok());
  Result<std::string> json = ItemsJson(store_.get(), run, Query());
  ASSERT_TRUE(json.ok());
  element row = Parse(*json)["items"].at(0);
  std::string_view q = row["question"].get_string().value();
  std::string expected;
  for (int i = 0; i < 240; ++i) expected += "\xC3\xA9";
  EXPECT_EQ(q, expected + "\xE2\x80\xA6");
  EXPECT_EQ(row["answer"].get_string().value(), std::string(240, 'x') + "\xE2\x80\xA6");

  Result<std::string> detail = ItemDetailJson(store_.get(), Parse(*json)["items"].at(0)["id"].get_int64().value());
  ASSERT_TRUE(detail.ok());
  element d = Parse(*detail);
  EXPECT_EQ(d["item"]["question"].get_string().value(), question);
  EXPECT_EQ(d["item"]["output"].get_string().value(), answer);
}

TEST_F(ReportDataTest, DetailHasSpansInStartOrderWithRelativeTimes) {
  int64_t run = StandardRun();
  ItemQuery q;
  q.offset = 8;
  q.limit = 1;
  Result<std::string> page = ItemsJson(store_.get(), run, q);
  ASSERT_TRUE(page.ok());
  int64_t id = Parse(*page)["items"].at(0)["id"].get_int64().value();
  Result<std::string> json = ItemDetailJson(store_.get(), id);
  ASSERT_TRUE(json.ok()) << json.status().message();
  element doc = Parse(*json);
  EXPECT_EQ(doc["item"]["id"].get_int64().value(), id);
  EXPECT_EQ(doc["item"]["category"].get_string().value(), "b");
  EXPECT_EQ(doc["item"]["inputs"]["question"].get_string().value(), "question number 8");
  EXPECT_EQ(doc["item"]["rendered_input"].get_string().value(), "Answer: question number 8");
  EXPECT_TRUE(doc["item"]["output"].is_null());
  EXPECT_EQ(doc["item"]["error"].get_string().value(), "HTTP 500 from provider");
  array assessments = doc["assessments"].get_array().value();
  ASSERT_EQ(assessments.size(), 2u);
  EXPECT_EQ(assessments.at(0)["name"].get_string().value(), "enough");
  EXPECT_EQ(assessments.at(0)["rationale"].get_string().value(), "words: 8");
  EXPECT_EQ(assessments.at(1)["judge_model"].get_string().value(), "sim");
  EXPECT_EQ(assessments.at(1)["score"].get_double().value(), 1.0);

  array spans = doc["spans"].get_array().value();
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans.at(0)["name"].get_string().value(), "eval_item");
  EXPECT_EQ(spans.at(0)["start_ms"].get_double().value(), 0.0);
  EXPECT_EQ(spans.at(0)["duration_ms"].get_double().value(), 30.0);
  EXPECT_EQ(spans.at(0)["status"].get_string().value(), "error");
  EXPECT_EQ(spans.at(0)["parent_span_id"].get_string().value(), "");
  EXPECT_EQ(spans.at(1)["name"].get_string().value(), "chat");
  EXPECT_EQ(spans.at(1)["start_ms"].get_double().value(), 2.0);
  EXPECT_EQ(spans.at(1)["duration_ms"].get_double().value(), 16.0);
  EXPECT_EQ(spans.at(1)["status"].get_string().value(), "ok");
  EXPECT_EQ(spans.at(1)["parent_span_id"].get_string().value(), "00000000000000a1");
  EXPECT_EQ(spans.at(2)["name"].get_string().value(), "score");
  EXPECT_EQ(spans.at(2)["start_ms"].get_double().value(), 20.0);
  EXPECT_EQ(spans.at(2)["attributes"]["gen_ai.usage.input_tokens"].get_int64().value(), 10);
  EXPECT_TRUE(spans.at(2)["events"].is_array());
}

TEST_F(ReportDataTest, HostileTextRoundTripsAsValidJson) {
  int64_t run = NewRun();
  std::string hostile = "</script><script>alert(1)</script>\"><img src=x onerror=alert(2)> \xFF\xFE end \u2028";
  ItemRecord it = MakeItem(run, 0, "a", hostile, hostile, {"fail", ""});
  it.assessments[0].rationale = hostile;
  it.error = hostile;
  ASSERT_TRUE(store_->WriteItems({it}).ok());
  std::string replaced =
      "</script><script>alert(1)</script>\"><img src=x onerror=alert(2)> \xEF\xBF\xBD\xEF\xBF\xBD end \u2028";

  Result<std::string> page = ItemsJson(store_.get(), run, Query());
  ASSERT_TRUE(page.ok());
  element row = Parse(*page)["items"].at(0);
  EXPECT_EQ(row["answer"].get_string().value(), replaced);
  EXPECT_EQ(row["question"].get_string().value(), replaced);
  Result<std::string> detail = ItemDetailJson(store_.get(), row["id"].get_int64().value());
  ASSERT_TRUE(detail.ok());
  element d = Parse(*detail);
  EXPECT_EQ(d["item"]["output"].get_string().value(), replaced);
  EXPECT_EQ(d["assessments"].at(0)["rationale"].get_string().value(), replaced);

  Result<ReportDocuments> report = ReportJson(store_.get(), {run});
  ASSERT_TRUE(report.ok()) << report.status().message();
  element data = Parse(report->data_json);
  EXPECT_EQ(data["items"][std::to_string(run)]["items"].at(0)["error"].get_string().value(), replaced);
  element details = Parse(report->details_json);
  EXPECT_EQ(details[std::to_string(row["id"].get_int64().value())]["item"]["output"].get_string().value(), replaced);
}

TEST_F(ReportDataTest, CompareListsFlippedItemsWithIds) {
  int64_t a = NewRun();
  std::vector<ItemRecord> items_a, items_b;
  for (int row = 0; row < 4; ++row) items_a.push_back(MakeItem(a, row, "a", "q", "x", {"pass", ""}));
  ASSERT_TRUE(store_->WriteItems(items_a).ok());
  int64_t b = NewRun();
  for (int row = 0; row < 4; ++row)
    items_b.push_back(MakeItem(b, row, "a", "q", "x", {row == 2 ? "fail" : "pass", ""}));
  ASSERT_TRUE(store_->WriteItems(items_b).ok());

  Result<std::string> json = CompareJson(store_.get(), a, b);
  ASSERT_TRUE(json.ok()) << json.status().message();
  element doc = Parse(*json);
  EXPECT_EQ(doc["run_a"]["id"].get_int64().value(), a);
  EXPECT_EQ(doc["run_b"]["id"].get_int64().value(), b);
  element v = doc["variants"].at(0);
  EXPECT_EQ(v["paired_items"].get_int64().value(), 4);
  element s = v["scorers"].at(0);
  EXPECT_EQ(s["scorer"].get_string().value(), "enough");
  EXPECT_EQ(s["rate_a"].get_double().value(), 1.0);
  EXPECT_EQ(s["rate_b"].get_double().value(), 0.75);
  EXPECT_EQ(s["delta"].get_double().value(), -0.25);
  array flipped = s["flipped"].get_array().value();
  ASSERT_EQ(flipped.size(), 1u);
  EXPECT_EQ(flipped.at(0)["key"].get_string().value(), "key2");
  EXPECT_FALSE(flipped.at(0)["now_passes"].get_bool().value());
  Result<ItemRecord> item_a = store_->GetItem(flipped.at(0)["item_a"].get_int64().value());
  Result<ItemRecord> item_b = store_->GetItem(flipped.at(0)["item_b"].get_int64().value());
  ASSERT_TRUE(item_a.ok() && item_b.ok());
  EXPECT_EQ(item_a->run_id, a);
  EXPECT_EQ(item_b->run_id, b);
  EXPECT_EQ(item_a->row_index, 2);
  EXPECT_EQ(item_b->row_index, 2);

  Result<ReportDocuments> report = ReportJson(store_.get(), {a, b});
  ASSERT_TRUE(report.ok()) << report.status().message();
  element data = Parse(report->data_json);
  EXPECT_EQ(data["mode"].get_string().value(), "report");
  EXPECT_EQ(data["runs"].get_array().value().size(), 2u);
  EXPECT_EQ(data["compare"]["variants"].at(0)["scorers"].at(0)["flipped"].at(0)["item_b"].get_int64().value(),
            item_b->id);
  EXPECT_EQ(Parse(report->details_json).get_object().value().size(), 8u);
}

TEST_F(ReportDataTest, ReportHasEveryItemAndDetail) {
  int64_t run = StandardRun();
  Result<ReportDocuments> report = ReportJson(store_.get(), {run});
  ASSERT_TRUE(report.ok()) << report.status().message();
  element data = Parse(report->data_json);
  EXPECT_TRUE(data["compare"].is_null());
  EXPECT_EQ(data["runs"].at(0)["run"]["id"].get_int64().value(), run);
  element items = data["items"][std::to_string(run)];
  EXPECT_EQ(items["total"].get_int64().value(), 10);
  array rows = items["items"].get_array().value();
  ASSERT_EQ(rows.size(), 10u);
  element details = Parse(report->details_json);
  int row = 0;
  for (element r : rows) {
    EXPECT_EQ(r["row"].get_int64().value(), row++);
    element d = details[std::to_string(r["id"].get_int64().value())];
    EXPECT_EQ(d["item"]["id"].get_int64().value(), r["id"].get_int64().value());
    array spans = d["spans"].get_array().value();
    ASSERT_EQ(spans.size(), 3u);
    EXPECT_EQ(spans.at(1)["name"].get_string().value(), "chat");
    EXPECT_EQ(spans.at(2)["start_ms"].get_double().value(), 20.0);
    EXPECT_EQ(d["assessments"].get_array().value().size(), r["scores"].get_object().value().size());
  }
}

TEST_F(ReportDataTest, RunListNewestFirst) {
  int64_t a = StandardRun();
  int64_t b = NewRun();
  Result<std::string> json = RunListJson(store_.get(), 10);
  ASSERT_TRUE(json.ok());
  element doc = Parse(*json);
  array runs = doc["runs"].get_array().value();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs.at(0)["id"].get_int64().value(), b);
  EXPECT_EQ(runs.at(0)["items"].get_int64().value(), 0);
  EXPECT_EQ(runs.at(1)["id"].get_int64().value(), a);
  EXPECT_EQ(runs.at(1)["items"].get_int64().value(), 10);
  EXPECT_EQ(doc["experiments"].at(0)["name"].get_string().value(), "exp");
  EXPECT_EQ(doc["experiments"].at(0)["runs"].get_int64().value(), 2);
  json = RunListJson(store_.get(), 1);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(Parse(*json)["runs"].get_array().value().size(), 1u);
}

TEST_F(ReportDataTest, HumanVerdictsAreKeptApart) {
  int64_t run = StandardRun();
  ItemQuery q;
  q.limit = 1;
  Result<std::string> page = ItemsJson(store_.get(), run, q);
  ASSERT_TRUE(page.ok());
  int64_t id = Parse(*page)["items"].at(0)["id"].get_int64().value();
  AssessmentRow human;
  human.name = "enough";
  human.outcome = "fail";
  human.source = "human";
  ASSERT_TRUE(store_->AddHumanAssessment(id, human).ok());
  q = Query();
  q.failed_scorer = "enough (human)";
  EXPECT_EQ(Total(run, q), 1);
  q.failed_scorer = "enough";
  EXPECT_EQ(Total(run, q), 3);
  q.failed_scorer = "";
  q.limit = 1;
  page = ItemsJson(store_.get(), run, q);
  ASSERT_TRUE(page.ok());
  element row = Parse(*page)["items"].at(0);
  EXPECT_EQ(row["scores"]["enough"].get_string().value(), "pass");
  EXPECT_EQ(row["scores"]["enough (human)"].get_string().value(), "fail");
}

TEST_F(ReportDataTest, UnknownIdsAreNotFound) {
  int64_t run = StandardRun();
  Result<std::string> r = RunJson(store_.get(), 42);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("run 42 not found"), std::string::npos) << r.status().message();
  r = ItemsJson(store_.get(), 42, ItemQuery());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  r = ItemDetailJson(store_.get(), 4242);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("item 4242 not found"), std::string::npos);
  r = CompareJson(store_.get(), run, 43);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("run 43 not found"), std::string::npos);
  Result<ReportDocuments> report = ReportJson(store_.get(), {44});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  report = ReportJson(store_.get(), {});
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidInput);
  report = ReportJson(store_.get(), {run, run});
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace llmeval
