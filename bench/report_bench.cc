// report_bench: what `llmeval report` and `llmeval ui` cost on a large store. Builds a store in a temporary directory
// with ITEMS items (6 spans each carrying chat messages, 2 code scorers + 1 judge assessment, written with
// Store::WriteItems), then measures:
//   - the baseline: streaming the run's rows with their text (Store::ForEachItem), the least any report must do;
//   - ReportJson + ReportHtml for the whole run (ms, bytes of HTML, bytes per item), as a ratio to the baseline;
//   - the UiServer over loopback HTTP (one keep-alive libcurl connection): GET /api/items/<id> for one item whose
//     trace has SPANS spans, and GET of the first page (100 items) of the ITEMS-item run, median / p95 of --requests
//     requests, with Store::TraceSpans of the big trace as the baseline.
//   build/bench/report_bench [ITEMS] [SPANS] [--requests=20] [--keep]      (defaults 10000 and 10000)
#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "core/clock.h"
#include "engine/report/report_data.h"
#include "engine/report/report_html.h"
#include "engine/report/ui_server.h"
#include "engine/store/span_rows.h"
#include "engine/store/store.h"
#include "tracing/id_generator.h"
#include "tracing/semconv.h"
#include "tracing/trace_builder.h"

namespace llmeval {
namespace bench {
namespace {

constexpr int64_t kMs = 1'000'000;  // Nanoseconds.

std::string Messages(const std::string& system, const std::string& user) {
  return R"([{"role":"system","parts":[{"type":"text","content":")" + system +
         R"("}]},{"role":"user","parts":[{"type":"text","content":")" + user + R"("}]}])";
}

// One realistic item: eval_item > chat (messages) > web_search tool > chat, then two code scores and a judge score
// with its judge chat. Times come from `clock`, advanced like a 1.5 s item.
ItemRecord MakeItem(int64_t run_id, int64_t variant_id, int64_t row, FakeClock* clock, IdGenerator* ids) {
  static const char* const kTopics[] = {"unit testing", "code review", "refactoring", "continuous integration",
                                        "dependency injection"};
  static const char* const kCategories[] = {"Testing", "Process", "Design", "DevOps", "Architecture"};
  std::string topic = kTopics[row % 5];
  std::string question = "Explain " + topic + " in software engineering (case " + std::to_string(row) + "), briefly.";
  std::string answer = "In software engineering, " + topic +
                       " is a practice that improves quality: it makes defects visible early, keeps changes small "
                       "and reviewable, and gives the team fast feedback. Case " +
                       std::to_string(row) + ".";
  TraceBuilder trace(clock, ids);
  SpanHandle root = trace.StartSpan("eval_item answer", SpanKind::kInternal);
  trace.SetAttribute(root, semconv::kLlmevalItemIndex, row);
  clock->Advance(2 * kMs);
  SpanHandle chat = trace.StartSpan("chat sim", SpanKind::kClient, root);
  trace.SetAttribute(chat, semconv::kGenAiRequestModel, std::string("sim"));
  trace.SetAttribute(chat, semconv::kGenAiInputMessages, Messages("You are a professor.", question));
  trace.SetAttribute(chat, semconv::kGenAiUsageInputTokens, int64_t{120});
  trace.SetAttribute(chat, semconv::kGenAiUsageOutputTokens, int64_t{20});
  clock->Advance(400 * kMs);
  trace.End(chat);
  SpanHandle tool = trace.StartSpan("execute_tool web_search", SpanKind::kInternal, root);
  trace.SetAttribute(tool, semconv::kGenAiToolCallArguments, R"({"query":")" + topic + R"("})");
  trace.SetAttribute(tool, semconv::kGenAiToolCallResult, "Top result: " + topic + " (wikipedia)");
  clock->Advance(150 * kMs);
  trace.End(tool);
  SpanHandle chat2 = trace.StartSpan("chat sim", SpanKind::kClient, root);
  trace.SetAttribute(chat2, semconv::kGenAiOutputMessages,
                     R"([{"role":"assistant","parts":[{"type":"text","content":")" + answer + R"("}]}])");
  trace.SetAttribute(chat2, semconv::kGenAiUsageOutputTokens, int64_t{80});
  clock->Advance(600 * kMs);
  trace.End(chat2);
  SpanHandle judge = trace.StartSpan("score relevance", SpanKind::kInternal, root);
  SpanHandle judge_chat = trace.StartSpan("chat sim", SpanKind::kClient, judge);
  trace.SetAttribute(judge_chat, semconv::kLlmevalCallPurpose, std::string("judge"));
  clock->Advance(300 * kMs);
  trace.End(judge_chat);
  trace.End(judge);
  clock->Advance(1 * kMs);
  trace.End(root);

  ItemRecord item;
  item.run_id = run_id;
  item.variant_id = variant_id;
  item.row_index = row;
  item.item_key = "q" + std::to_string(row);
  item.inputs_json = R"({"category":")" + std::string(kCategories[row % 5]) + R"(","question":")" + question + "\"}";
  item.rendered_input = "Question: " + question + "\nWrite a clear answer.";
  if (row % 50 == 49) {
    item.error = "provider returned HTTP 500 after 3 retries";
    item.error_type = "remote";
  } else {
    item.output = answer;
  }
  item.finish_reason = "stop";
  item.input_tokens = 240;
  item.output_tokens = 100;
  item.cost_usd = 0.00021;
  item.latency_ms = 1453;
  item.model_calls = 2;
  item.tool_calls = 1;
  item.trace_id = trace.trace_id().Hex();
  item.started_unix_ns = clock->NowUnixNanos() - 1453 * kMs;
  item.ended_unix_ns = clock->NowUnixNanos();
  AssessmentRow words;
  words.name = "enough_words";
  words.outcome = row % 7 == 0 ? "fail" : "pass";
  words.score = static_cast<double>(20 + row % 30);
  words.source = "code";
  words.rationale = "word count " + std::to_string(20 + row % 30) + " (min 25)";
  AssessmentRow limit;
  limit.name = "not_too_long";
  limit.outcome = "pass";
  limit.source = "code";
  limit.rationale = "word count within 1000";
  AssessmentRow relevance;
  relevance.name = "relevance";
  relevance.outcome = row % 11 == 0 ? "fail" : "pass";
  relevance.source = "llm_judge";
  relevance.judge_model = "sim";
  relevance.judge_samples = 1;
  relevance.rationale = "The answer addresses the question about " + topic + " directly and accurately.";
  item.assessments = {words, limit, relevance};
  for (const Span& s : trace.Finish()) item.spans.push_back(SpanToRow(s));
  return item;
}

// One item whose trace has `spans` spans: an agent loop of chat and tool spans under one root.
ItemRecord MakeHugeTraceItem(int64_t run_id, int64_t variant_id, int64_t spans, FakeClock* clock, IdGenerator* ids) {
  TraceBuilder trace(clock, ids);
  SpanHandle root = trace.StartSpan("eval_item agent", SpanKind::kInternal);
  for (int64_t i = 1; i < spans; ++i) {
    bool is_tool = i % 2 == 0;
    SpanHandle s = trace.StartSpan(is_tool ? "execute_tool web_search" : "chat sim",
                                   is_tool ? SpanKind::kInternal : SpanKind::kClient, root);
    if (is_tool) {
      trace.SetAttribute(s, semconv::kGenAiToolCallArguments, R"({"query":"step )" + std::to_string(i) + R"("})");
      trace.SetAttribute(s, semconv::kGenAiToolCallResult, "result of step " + std::to_string(i));
    } else {
      trace.SetAttribute(s, semconv::kGenAiRequestModel, std::string("sim"));
      trace.SetAttribute(s, semconv::kGenAiUsageInputTokens, int64_t{100 + i});
    }
    clock->Advance(3 * kMs);
    trace.End(s);
  }
  trace.End(root);
  ItemRecord item;
  item.run_id = run_id;
  item.variant_id = variant_id;
  item.item_key = "agent";
  item.output = "done";
  item.trace_id = trace.trace_id().Hex();
  item.model_calls = static_cast<int>(spans / 2);
  item.tool_calls = static_cast<int>(spans / 2);
  for (const Span& s : trace.Finish()) item.spans.push_back(SpanToRow(s));
  return item;
}

struct RunIds {
  int64_t run = 0;
  int64_t variant = 0;
};

RunIds CreateRun(Store* store, const std::string& name, int64_t rows) {
  RunRecord run;
  run.experiment = "report-bench";
  run.name = name;
  run.status = "running";
  run.started_unix_ns = 1'700'000'000'000'000'000;
  run.params_json = R"({"prompt":["answer"],"model":["sim"],"category_column":"category"})";
  run.dataset_path = "questions.csv";
  run.dataset_rows = rows;
  RunIds ids;
  ids.run = store->CreateRun(run).value();
  VariantRecord variant;
  variant.run_id = ids.run;
  variant.prompt_name = "answer";
  variant.prompt_version = 1;
  variant.model = "sim";
  ids.variant = store->AddVariant(variant).value();
  return ids;
}

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct HttpFigures {
  double median_ms = 0;
  double p95_ms = 0;
  size_t bytes = 0;
  long status = 0;
};

// GETs `url` `requests` times over one keep-alive connection.
HttpFigures TimeGets(CURL* curl, const std::string& url, int requests) {
  HttpFigures f;
  std::vector<double> times;
  for (int i = 0; i < requests; ++i) {
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    double start = NowSeconds();
    CURLcode code = curl_easy_perform(curl);
    times.push_back((NowSeconds() - start) * 1000);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &f.status);
    if (code != CURLE_OK) std::fprintf(stderr, "GET %s: %s\n", url.c_str(), curl_easy_strerror(code));
    f.bytes = body.size();
  }
  f.median_ms = Median(times);
  std::sort(times.begin(), times.end());
  f.p95_ms = times[std::min(times.size() - 1, static_cast<size_t>(0.95 * static_cast<double>(times.size())))];
  return f;
}

void Check(const Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

int Main(int argc, char** argv) {
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]).rfind("--", 0) != 0) positional.push_back(argv[i]);
  }
  BenchFlags flags(argc, argv);
  int64_t items = positional.size() > 0 ? std::atoll(positional[0].c_str()) : 10000;
  int64_t spans = positional.size() > 1 ? std::atoll(positional[1].c_str()) : 10000;
  int requests = static_cast<int>(std::max<int64_t>(1, flags.GetInt("requests", 20)));
  std::string dir = MakeTempDir("llmeval-report-bench");
  std::string path = dir + "/llmeval.db";
  Result<std::unique_ptr<Store>> opened = Store::Open(path);
  Check(opened.status(), "open store");
  Store* store = opened->get();
  bool created = false;
  Check(store->RegisterPrompt("answer", "Question: {question}\nWrite a clear answer.", "", "", &created).status(),
        "register prompt");

  // Build the store.
  double start = NowSeconds();
  FakeClock clock;
  IdGenerator ids(7);
  RunIds big = CreateRun(store, "10k", items);
  std::vector<ItemRecord> batch;
  size_t span_rows = 0;
  for (int64_t row = 0; row < items; ++row) {
    batch.push_back(MakeItem(big.run, big.variant, row, &clock, &ids));
    span_rows += batch.back().spans.size();
    if (batch.size() == 1000 || row + 1 == items) {
      Check(store->WriteItems(batch), "write items");
      batch.clear();
    }
  }
  Check(store->SetRunStatus(big.run, "completed", true), "complete run");
  RunIds agent = CreateRun(store, "huge-trace", 1);
  ItemRecord huge = MakeHugeTraceItem(agent.run, agent.variant, spans, &clock, &ids);
  std::string huge_trace = huge.trace_id;
  Check(store->WriteItems({huge}), "write the huge trace");
  Check(store->SetRunStatus(agent.run, "completed", true), "complete run");
  int64_t huge_item_id = store->Items(agent.run).value().at(0).id;
  std::printf("store: %lld items, %zu spans (+1 item with %lld spans), built in %.2f s\n",
              static_cast<long long>(items), span_rows, static_cast<long long>(spans), NowSeconds() - start);

  // Baseline: read every row of the run with its text.
  start = NowSeconds();
  size_t read_bytes = 0;
  int64_t read_items = 0;
  Check(store->ForEachItem(big.run, true,
                           [&](const ItemRecord& item) {
                             ++read_items;
                             read_bytes +=
                                 item.rendered_input.size() + item.inputs_json.size() + item.output.value_or("").size();
                             for (const AssessmentRow& a : item.assessments) read_bytes += a.rationale.size();
                           }),
        "read items");
  double read_ms = (NowSeconds() - start) * 1000;

  {  // The documents are freed before serving.
    start = NowSeconds();
    Result<ReportDocuments> docs = ReportJson(store, {big.run});
    double json_ms = (NowSeconds() - start) * 1000;
    Check(docs.status(), "ReportJson");
    start = NowSeconds();
    std::string html = ReportHtml(*docs, "report-bench");
    double html_ms = (NowSeconds() - start) * 1000;

    std::printf("\nreport of %lld items (one run)\n", static_cast<long long>(read_items));
    std::printf("| step | ms | ratio to baseline | bytes | bytes/item |\n|---|---|---|---|---|\n");
    auto per_item = [&](size_t bytes) {
      return static_cast<double>(bytes) / static_cast<double>(std::max<int64_t>(1, items));
    };
    std::printf("| baseline: ForEachItem with text | %.1f | 1.0x | %zu | %.0f |\n", read_ms, read_bytes,
                per_item(read_bytes));
    std::printf("| ReportJson (data + details) | %.1f | %.1fx | %zu + %zu | %.0f |\n", json_ms, json_ms / read_ms,
                docs->data_json.size(), docs->details_json.size(),
                per_item(docs->data_json.size() + docs->details_json.size()));
    std::printf("| ReportHtml (assemble, escape) | %.1f | %.1fx | %zu | %.0f |\n", html_ms, html_ms / read_ms,
                html.size(), per_item(html.size()));
    std::printf("| report total | %.1f | %.1fx | %zu (%.1f MiB) | %.0f |\n", json_ms + html_ms,
                (json_ms + html_ms) / read_ms, html.size(), static_cast<double>(html.size()) / (1 << 20),
                per_item(html.size()));
  }

  // The live server.
  start = NowSeconds();
  Result<std::vector<SpanRow>> rows = store->TraceSpans(huge_trace);
  double trace_read_ms = (NowSeconds() - start) * 1000;
  Check(rows.status(), "TraceSpans");
  UiServerOptions options;
  options.store_path = path;
  UiServer server(options);
  Check(server.Start(), "start the ui server");
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 60000L);
  HttpFigures trace = TimeGets(curl, server.url() + "api/items/" + std::to_string(huge_item_id), requests);
  HttpFigures page =
      TimeGets(curl, server.url() + "api/runs/" + std::to_string(big.run) + "/items?limit=100", requests);
  HttpFigures filtered = TimeGets(
      curl, server.url() + "api/runs/" + std::to_string(big.run) + "/items?limit=100&failed=relevance&q=review",
      requests);
  HttpFigures run_json = TimeGets(curl, server.url() + "api/runs/" + std::to_string(big.run), requests);
  curl_easy_cleanup(curl);
  server.Stop();

  std::printf("\nllmeval ui over loopback HTTP, %d requests each (one keep-alive connection)\n", requests);
  std::printf("| request | status | median ms | p95 ms | bytes |\n|---|---|---|---|---|\n");
  std::printf("| baseline: Store::TraceSpans of the %zu-span trace | - | %.1f | - | - |\n", rows->size(),
              trace_read_ms);
  std::printf("| GET /api/items/<id> (%lld spans) | %ld | %.1f | %.1f | %zu |\n", static_cast<long long>(spans),
              trace.status, trace.median_ms, trace.p95_ms, trace.bytes);
  std::printf("| GET /api/runs/<id>/items?limit=100 (of %lld) | %ld | %.1f | %.1f | %zu |\n",
              static_cast<long long>(items), page.status, page.median_ms, page.p95_ms, page.bytes);
  std::printf("| same, failed=relevance&q=review | %ld | %.1f | %.1f | %zu |\n", filtered.status, filtered.median_ms,
              filtered.p95_ms, filtered.bytes);
  std::printf("| GET /api/runs/<id> (stats of %lld items) | %ld | %.1f | %.1f | %zu |\n", static_cast<long long>(items),
              run_json.status, run_json.median_ms, run_json.p95_ms, run_json.bytes);

  opened->reset();
  if (flags.Has("keep")) {
    std::printf("\nstore kept at %s\n", path.c_str());
  } else {
    RemoveTree(dir);
  }
  return 0;
}

}  // namespace
}  // namespace bench
}  // namespace llmeval

int main(int argc, char** argv) { return llmeval::bench::Main(argc, argv); }
