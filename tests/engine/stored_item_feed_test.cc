// StoredItemFeed pages through a stored run for `llmeval evaluate`: every item once, in (variant, row, repeat) order
// across page boundaries, mapped to the evaluate run's variants, with the tool calls of its stored trace, less the
// slots a resumed evaluate run already scored.
#include "engine/run/stored_item_feed.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "engine/store/span_rows.h"
#include "testing/store_records.h"
#include "testing/test_util.h"
#include "tracing/semconv.h"

namespace llmeval {
namespace {

class StoredItemFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> store = Store::Open(dir_.Path("store.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    source_ = CreateRun();
    evaluate_ = CreateRun();
    for (const char* prompt : {"a", "b"}) {
      int64_t source_variant = AddVariant(source_, prompt);
      Variant v;
      v.record.run_id = evaluate_;
      v.record.prompt_name = prompt;
      v.record.id = AddVariant(evaluate_, prompt);
      evaluate_variants_.push_back(v);
      source_variants_.push_back(source_variant);
    }
  }

  int64_t CreateRun() { return testing::AddTestRun(store_.get()); }
  int64_t AddVariant(int64_t run, const std::string& prompt) {
    return testing::AddTestVariant(store_.get(), run, prompt);
  }

  // Rows 0..rows-1 with `repeats` repeats for both source variants, written in a scrambled order.
  void WriteSourceItems(int rows, int repeats) {
    std::vector<ItemRecord> items;
    for (int row = rows - 1; row >= 0; --row) {
      for (int repeat = 0; repeat < repeats; ++repeat) {
        for (int64_t variant : {source_variants_[1], source_variants_[0]}) {
          ItemRecord it;
          it.run_id = source_;
          it.variant_id = variant;
          it.row_index = row;
          it.repeat = repeat;
          it.item_key = "q" + std::to_string(row);
          it.inputs_json = "{\"question\":\"question " + std::to_string(row) + "\"}";
          it.output = "answer " + std::to_string(row) + "/" + std::to_string(repeat);
          it.trace_id = TraceHex(variant, row, repeat);
          items.push_back(it);
        }
      }
    }
    ASSERT_TRUE(store_->WriteItems(items).ok());
  }

  static std::string TraceHex(int64_t variant, int row, int repeat) {
    char hex[33];
    std::snprintf(hex, sizeof(hex), "%016llx%016llx", static_cast<unsigned long long>(variant + 1),
                  static_cast<unsigned long long>(row * 100 + repeat + 1));
    return hex;
  }

  std::map<int64_t, const Variant*> VariantOf() const {
    return {{source_variants_[0], &evaluate_variants_[0]}, {source_variants_[1], &evaluate_variants_[1]}};
  }

  // Everything the feed yields, as (evaluate variant id, row, repeat, output).
  std::vector<std::tuple<int64_t, int64_t, int, std::string>> Drain(StoredItemFeed* feed) {
    std::vector<std::tuple<int64_t, int64_t, int, std::string>> got;
    StoredItemFeed::Item item;
    while (true) {
      Result<bool> more = feed->Next(&item);
      EXPECT_TRUE(more.ok()) << more.status().message();
      if (!more.ok() || !*more) break;
      got.emplace_back(item.variant->record.id, item.stored.row_index, item.stored.repeat, item.stored.output.value());
    }
    return got;
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  int64_t source_ = 0, evaluate_ = 0;
  std::vector<int64_t> source_variants_;
  std::vector<Variant> evaluate_variants_;
};

TEST_F(StoredItemFeedTest, YieldsEveryItemOnceInOrderAcrossPages) {
  WriteSourceItems(7, 2);  // 28 items; pages of 3 end mid-row, mid-variant and exactly at the end.
  for (int page_size : {1, 3, 4, 28, 29, 1000}) {
    CompletedSlots done(2);
    StoredItemFeed feed(store_.get(), source_, VariantOf(), &done, page_size);
    std::vector<std::tuple<int64_t, int64_t, int, std::string>> want;
    for (size_t v = 0; v < 2; ++v) {
      for (int row = 0; row < 7; ++row) {
        for (int repeat = 0; repeat < 2; ++repeat) {
          want.emplace_back(evaluate_variants_[v].record.id, row, repeat,
                            "answer " + std::to_string(row) + "/" + std::to_string(repeat));
        }
      }
    }
    EXPECT_EQ(Drain(&feed), want) << "page size " << page_size;
    StoredItemFeed::Item item;
    Result<bool> after_end = feed.Next(&item);
    ASSERT_TRUE(after_end.ok());
    EXPECT_FALSE(*after_end);
  }
}

TEST_F(StoredItemFeedTest, SkipsTheSlotsAResumedRunAlreadyScored) {
  WriteSourceItems(5, 1);
  CompletedSlots done(1);
  done.Add({evaluate_variants_[0].record.id, 0, 0});
  done.Add({evaluate_variants_[0].record.id, 3, 0});
  done.Add({evaluate_variants_[1].record.id, 4, 0});
  StoredItemFeed feed(store_.get(), source_, VariantOf(), &done, 2);
  std::vector<std::tuple<int64_t, int64_t, int, std::string>> got = Drain(&feed);
  ASSERT_EQ(got.size(), 7u);
  std::vector<std::pair<int64_t, int64_t>> slots;
  for (const auto& [variant, row, repeat, output] : got) slots.emplace_back(variant, row);
  int64_t a = evaluate_variants_[0].record.id, b = evaluate_variants_[1].record.id;
  EXPECT_EQ(slots, (std::vector<std::pair<int64_t, int64_t>>{{a, 1}, {a, 2}, {a, 4}, {b, 0}, {b, 1}, {b, 2}, {b, 3}}));
}

TEST_F(StoredItemFeedTest, CarriesTheToolCallsOfTheStoredTrace) {
  WriteSourceItems(2, 1);
  // Row 1 of variant a called a tool (successfully) and then a second one that failed.
  std::string trace_hex = TraceHex(source_variants_[0], 1, 0);
  ItemRecord carrier;  // Spans are written with an item; a throwaway run holds it.
  carrier.run_id = CreateRun();
  carrier.variant_id = AddVariant(carrier.run_id, "a");
  carrier.item_key = "carrier";
  int n = 0;
  for (const auto& [name, result, failed] :
       {std::tuple{"web_search", "{\"hits\":3}", false}, std::tuple{"fetch_page", "timeout", true}}) {
    Span span;
    span.trace_id = *TraceId::FromHex(trace_hex);
    span.span_id = *SpanId::FromHex("00000000000000" + std::to_string(10 + n++));
    span.name = std::string("execute_tool ") + name;
    span.status = failed ? SpanStatus::kError : SpanStatus::kOk;
    SetAttribute(&span.attributes, semconv::kGenAiToolName, std::string(name));
    SetAttribute(&span.attributes, semconv::kGenAiToolCallArguments, std::string("{\"q\":\"x\"}"));
    SetAttribute(&span.attributes, semconv::kGenAiToolCallResult, std::string(result));
    carrier.spans.push_back(SpanToRow(span));
  }
  ASSERT_TRUE(store_->WriteItems({carrier}).ok());

  CompletedSlots done(1);
  StoredItemFeed feed(store_.get(), source_, VariantOf(), &done, 10);
  StoredItemFeed::Item item;
  ASSERT_TRUE(*feed.Next(&item));
  EXPECT_EQ(item.stored.row_index, 0);
  EXPECT_TRUE(item.tool_calls.empty());
  ASSERT_TRUE(*feed.Next(&item));
  EXPECT_EQ(item.stored.row_index, 1);
  ASSERT_EQ(item.tool_calls.size(), 2u);
  EXPECT_EQ(item.tool_calls[0].name, "web_search");
  EXPECT_EQ(item.tool_calls[0].result, "{\"hits\":3}");
  EXPECT_FALSE(item.tool_calls[0].failed);
  EXPECT_EQ(item.tool_calls[1].name, "fetch_page");
  EXPECT_TRUE(item.tool_calls[1].failed);
}

TEST_F(StoredItemFeedTest, AnItemOfAVariantTheMapLacksIsAnError) {
  WriteSourceItems(2, 1);
  CompletedSlots done(1);
  StoredItemFeed feed(store_.get(), source_, {{source_variants_[0], &evaluate_variants_[0]}}, &done, 10);
  StoredItemFeed::Item item;
  ASSERT_TRUE(*feed.Next(&item));
  ASSERT_TRUE(*feed.Next(&item));
  Result<bool> third = feed.Next(&item);
  ASSERT_FALSE(third.ok());
  EXPECT_NE(third.status().message().find("variant"), std::string::npos);
}

}  // namespace
}  // namespace llmeval
