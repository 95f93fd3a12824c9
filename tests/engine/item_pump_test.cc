// ItemFeed hands out a run's items in dataset order (rows x variants x repeats, less filtered, limited and stored
// ones); ItemPump keeps at most `capacity` in flight, starts the next item on the thread that finished one, and copes
// with items that finish inside their own start without nesting.
#include "engine/run/item_pump.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/byte_source.h"
#include "engine/run/item_feed.h"

namespace llmeval {
namespace {

struct Fixture {
  explicit Fixture(const std::string& csv, int variant_count = 1, int repeats = 1) : source(csv), done(repeats) {
    reader = NewCsvReader(&source, "q.csv");
    EXPECT_TRUE(reader->ReadHeader().ok());
    for (int i = 0; i < variant_count; ++i) {
      Variant v;
      v.record.id = 10 + i;
      variants.push_back(std::move(v));
    }
  }
  StringByteSource source;
  std::unique_ptr<RowReader> reader;
  std::vector<Variant> variants;
  CompletedSlots done;
};

// (row index, variant id, repeat) of every item the feed hands out.
std::vector<std::tuple<int64_t, int64_t, int>> Drain(ItemFeed* feed) {
  std::vector<std::tuple<int64_t, int64_t, int>> items;
  ItemFeed::Item item;
  while (true) {
    Result<bool> more = feed->Next(&item);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    items.emplace_back(item.row.index, item.variant->record.id, item.repeat);
  }
  return items;
}

TEST(ItemFeedTest, RowsTimesVariantsTimesRepeatsLessStoredSlotsInOrder) {
  Fixture f("id,question\na,one\nb,two\n", 2, 2);
  f.done.Add(ItemSlot{11, 0, 1});  // Row 0, second variant, second repeat: already stored.
  f.done.Add(ItemSlot{11, 7, 0});  // Rows and repeats beyond the dataset's are counted, never asked for.
  f.done.Add(ItemSlot{12, 0, 5});
  EXPECT_EQ(f.done.size(), 3);
  ItemFeed feed(f.reader.get(), RowSelector(), nullptr, 0, &f.variants, 2, &f.done);
  std::vector<std::tuple<int64_t, int64_t, int>> want = {{0, 10, 0}, {0, 10, 1}, {0, 11, 0}, {1, 10, 0},
                                                         {1, 10, 1}, {1, 11, 0}, {1, 11, 1}};
  EXPECT_EQ(Drain(&feed), want);
}

TEST(CompletedSlotsTest, HoldsExactlyTheSlotsAdded) {
  CompletedSlots done(3);
  for (int64_t row = 0; row < 100000; row += 7) done.Add(ItemSlot{1, row, static_cast<int>(row % 3)});
  done.Add(ItemSlot{2, 5, 0});
  for (int64_t row = 0; row < 100010; ++row) {
    for (int r = 0; r < 3; ++r) {
      bool want = row < 100000 && row % 7 == 0 && r == row % 3;
      ASSERT_EQ(done.Contains(1, row, r), want) << "row " << row << " repeat " << r;
    }
  }
  EXPECT_TRUE(done.Contains(2, 5, 0));
  EXPECT_FALSE(done.Contains(2, 4, 0));
  EXPECT_FALSE(done.Contains(3, 5, 0));
  EXPECT_FALSE(done.Contains(1, 0, 3));
}

TEST(ItemFeedTest, FiltersLimitsAndSamplesRows) {
  Fixture f("id,topic\na,x\nb,y\nc,x\nd,x\n");
  Result<RowSelector> only_x = RowSelector::Create({*ParseRowFilter("topic=x")}, f.reader->columns());
  ASSERT_TRUE(only_x.ok());
  ItemFeed limited(f.reader.get(), *only_x, nullptr, 2, &f.variants, 1, &f.done);
  std::vector<std::tuple<int64_t, int64_t, int>> want = {{0, 10, 0}, {2, 10, 0}};
  EXPECT_EQ(Drain(&limited), want);

  Fixture g("id,topic\na,x\nb,y\nc,x\nd,x\n");
  std::set<int64_t> sampled = {1, 3};
  ItemFeed sample(g.reader.get(), RowSelector(), &sampled, 0, &g.variants, 1, &g.done);
  want = {{1, 10, 0}, {3, 10, 0}};
  EXPECT_EQ(Drain(&sample), want);
}

TEST(ItemPumpTest, KeepsCapacityInFlightAndStartsTheNextOnTheFinishingThread) {
  std::string csv = "id,question\n";
  for (int i = 0; i < 50; ++i) csv += "q" + std::to_string(i) + ",text\n";
  Fixture f(csv);
  ItemFeed feed(f.reader.get(), RowSelector(), nullptr, 0, &f.variants, 1, &f.done);
  std::vector<int64_t> started;
  std::vector<std::thread::id> starters;
  std::vector<int64_t> waiting;  // Started, not finished: finished later from another thread.
  int max_in_flight = 0, in_flight = 0, recorded = 0;
  ItemPump<ItemFeed>* pump_ptr = nullptr;
  ItemPump<ItemFeed> pump(
      &feed, 4, [] { return false; },
      [&](ItemFeed::Item item) {
        started.push_back(item.row.index);
        starters.push_back(std::this_thread::get_id());
        max_in_flight = std::max(max_in_flight, ++in_flight);
        waiting.push_back(item.row.index);
      });
  pump_ptr = &pump;
  pump.Fill();
  EXPECT_EQ(started.size(), 4u) << "the first Fill stops at the capacity";
  // Finish items one at a time from another thread: each finish starts exactly one more, on that thread.
  std::thread finisher([&] {
    while (!waiting.empty()) {
      waiting.erase(waiting.begin());
      --in_flight;
      size_t before = started.size();
      pump_ptr->Finished([&] { ++recorded; });
      EXPECT_LE(started.size(), before + 1);
      if (started.size() > before) {
        EXPECT_EQ(starters.back(), std::this_thread::get_id());
      }
    }
  });
  finisher.join();
  pump.Wait([] { return false; });
  EXPECT_EQ(started.size(), 50u);
  EXPECT_EQ(recorded, 50);
  EXPECT_EQ(max_in_flight, 4);
  EXPECT_FALSE(pump.stopped());
  EXPECT_TRUE(pump.status().ok());
}

TEST(ItemPumpTest, ItemsThatFinishInsideTheirStartDoNotNest) {
  std::string csv = "id,question\n";
  for (int i = 0; i < 100000; ++i) csv += "q" + std::to_string(i) + ",text\n";
  Fixture f(csv);
  ItemFeed feed(f.reader.get(), RowSelector(), nullptr, 0, &f.variants, 1, &f.done);
  int started = 0, depth = 0, max_depth = 0;
  ItemPump<ItemFeed>* pump_ptr = nullptr;
  ItemPump<ItemFeed> pump(
      &feed, 8, [] { return false; },
      [&](ItemFeed::Item) {
        ++started;
        max_depth = std::max(max_depth, ++depth);
        pump_ptr->Finished([] {});  // Fails at once, as an item whose prompt cannot render.
        --depth;
      });
  pump_ptr = &pump;
  pump.Fill();
  pump.Wait([] { return false; });
  EXPECT_EQ(started, 100000);
  EXPECT_EQ(max_depth, 1);
}

TEST(ItemPumpTest, StopTakingEndsTheFeedEarly) {
  std::string csv = "id,question\n";
  for (int i = 0; i < 20; ++i) csv += "q" + std::to_string(i) + ",text\n";
  Fixture f(csv);
  ItemFeed feed(f.reader.get(), RowSelector(), nullptr, 0, &f.variants, 1, &f.done);
  int started = 0;
  ItemPump<ItemFeed>* pump_ptr = nullptr;
  ItemPump<ItemFeed> pump(
      &feed, 2, [&] { return started >= 5; },
      [&](ItemFeed::Item) {
        ++started;
        pump_ptr->Finished([] {});
      });
  pump_ptr = &pump;
  pump.Fill();
  pump.Wait([] { return false; });
  EXPECT_EQ(started, 5);
  EXPECT_TRUE(pump.stopped());
}

}  // namespace
}  // namespace llmeval
