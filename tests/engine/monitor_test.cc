// MonitorOnce (engine/run/monitor.h) on a real store: collected traces are scored once each under the monitor's name,
// a pass stopped before it scored anything leaves its traces for the next pass (resumable), verdicts land in the
// windows by the traces' own start times, a drop is detected, and another monitor name keeps its own state.
#include "engine/run/monitor.h"

#include <gtest/gtest.h>

#include "engine/config/config.h"
#include "engine/store/collected_spans.h"
#include "engine/store/span_rows.h"
#include "testing/test_util.h"
#include "tracing/id_generator.h"

namespace llmeval {
namespace {

constexpr int64_t kSecond = 1000000000LL;

void WriteTraces(const std::string& db, const std::vector<std::string>& answers, int64_t first_start_ns) {
  Result<std::unique_ptr<Store>> store = Store::Open(db);
  ASSERT_TRUE(store.ok()) << store.status().message();
  IdGenerator ids(7);
  std::vector<CollectedSpanRow> rows;
  for (size_t i = 0; i < answers.size(); ++i) {
    Span root;
    root.start_unix_nanos = first_start_ns + static_cast<int64_t>(i) * kSecond;
    root.end_unix_nanos = root.start_unix_nanos + kSecond / 10;
    root.trace_id = ids.NewTraceId(root.start_unix_nanos / 1000000);
    root.span_id = ids.NewSpanId();
    root.name = "answer";
    SetAttribute(&root.attributes, "input.value", std::string("What does this code do?"));
    SetAttribute(&root.attributes, "output.value", answers[i]);
    CollectedSpanRow row;
    row.span = SpanToRow(root);
    row.service_name = "shop";
    row.resource_json = "{}";
    rows.push_back(row);
  }
  CollectedSpanWriter writer(store->get());
  Status s = writer.Write(rows, first_start_ns);
  ASSERT_TRUE(s.ok()) << s.message();
}

class MonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteFile(dir_.Path("llmeval.yaml"), "scorers:\n  - {name: mentions_code, type: contains, value: code}\n");
    Result<ProjectConfig> config = LoadProjectConfig(dir_.Path("llmeval.yaml"));
    ASSERT_TRUE(config.ok()) << config.status().message();
    config_ = *config;
    options_.name = "shop";
    options_.query_text = "service=shop";
    options_.query.service = "shop";
    options_.query.limit = 1000000;
    options_.window = {.count = 3};
    options_.baseline = {.count = 3};
    options_.min_measured = 3;
    options_.db = dir_.Path("llmeval.db");
  }

  testing::ScratchDir dir_;
  ProjectConfig config_;
  MonitorOptions options_;
};

TEST_F(MonitorTest, ScoresEachTraceOnceResumesAfterAnInterruptAndDetectsTheDrop) {
  const int64_t start = 1700000000LL * kSecond;
  WriteTraces(options_.db, {"Good code.", "It prints code.", "Reads the code.", "No.", "Not sure.", "Nothing."}, start);
  // Stopped before anything was scored: every sampled trace waits for the next pass, nothing is remembered.
  std::atomic<int> stop{1};
  Result<MonitorPass> stopped = MonitorOnce(config_, options_, &stop, start + 3600 * kSecond);
  ASSERT_TRUE(stopped.ok()) << stopped.status().message();
  EXPECT_EQ(stopped->new_traces, 6);
  EXPECT_EQ(stopped->scored, 0);
  EXPECT_EQ(stopped->deferred, 6);
  EXPECT_TRUE(stopped->interrupted);

  std::atomic<int> go{0};
  Result<MonitorPass> first = MonitorOnce(config_, options_, &go, start + 3600 * kSecond);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->new_traces, 6);
  EXPECT_EQ(first->scored, 6);
  EXPECT_NE(first->run_id, 0);
  ASSERT_EQ(first->scorers.size(), 1u);
  const ScorerDrift& d = first->scorers[0];
  EXPECT_EQ(d.scorer, "mentions_code");
  EXPECT_EQ(d.windows.baseline.passed, 3);  // The three oldest traces.
  EXPECT_EQ(d.windows.current.failed, 3);
  EXPECT_TRUE(d.drop());
  EXPECT_TRUE(first->any_drop());
  // 3/3 then 0/3: pooled 0.5, z = 1 / sqrt(0.25 * 2 / 3) = 2.449, p = 0.00715.
  EXPECT_NEAR(d.test.p_value, 0.00715, 1e-4);

  Result<MonitorPass> again = MonitorOnce(config_, options_, &go, start + 3601 * kSecond);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->new_traces, 0);
  EXPECT_EQ(again->run_id, 0);
  EXPECT_TRUE(again->any_drop()) << "the windows come back from the store";

  // Two passing traces arrive: the current window (newest 3) is now 2 of 3, no longer a significant drop.
  WriteTraces(options_.db, {"More code.", "Code again."}, start + 100 * kSecond);
  Result<MonitorPass> later = MonitorOnce(config_, options_, &go, start + 3602 * kSecond);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->new_traces, 2);
  EXPECT_EQ(later->scorers[0].windows.current.passed, 2);
  EXPECT_FALSE(later->any_drop());

  // Another monitor keeps its own memory: it scores all eight.
  options_.name = "shop-2";
  Result<MonitorPass> other = MonitorOnce(config_, options_, &go, start + 3603 * kSecond);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->scored, 8);
}

TEST_F(MonitorTest, AStableSampleAndACapLeaveTheRestForLater) {
  const int64_t start = 1700000000LL * kSecond;
  WriteTraces(options_.db, std::vector<std::string>(40, "code"), start);
  std::atomic<int> go{0};
  options_.sample_fraction = 0.5;
  Result<MonitorPass> half = MonitorOnce(config_, options_, &go, start);
  ASSERT_TRUE(half.ok()) << half.status().message();
  EXPECT_EQ(half->new_traces, 40);
  EXPECT_GT(half->sampled, 5);
  EXPECT_LT(half->sampled, 35);
  EXPECT_EQ(half->scored, half->sampled);
  Result<MonitorPass> none = MonitorOnce(config_, options_, &go, start);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->new_traces, 0) << "traces left out of the sample are remembered too";

  options_.name = "capped";
  options_.sample_fraction = 1;
  options_.sample_max = 15;
  Result<MonitorPass> capped = MonitorOnce(config_, options_, &go, start);
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->scored, 15);
  EXPECT_EQ(capped->deferred, 25);
  Result<MonitorPass> rest = MonitorOnce(config_, options_, &go, start);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->new_traces, 25);
  EXPECT_EQ(rest->scored, 15);
}

}  // namespace
}  // namespace llmeval
