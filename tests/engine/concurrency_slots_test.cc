#include "engine/http/concurrency_slots.h"

#include <gtest/gtest.h>

#include <vector>

namespace llmeval {
namespace {

TEST(ConcurrencySlotsTest, AdmitsUpToTheLimitAndHandsSlotsOnInArrivalOrder) {
  ConcurrencySlots slots(2);
  std::vector<int> started;
  for (int i = 0; i < 5; ++i) slots.Acquire([&started, i] { started.push_back(i); });
  EXPECT_EQ(started, (std::vector<int>{0, 1}));
  EXPECT_EQ(slots.in_flight(), 2);
  EXPECT_EQ(slots.queued(), 3u);

  slots.Release();  // Call 0 ends: call 2 takes its slot.
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(slots.in_flight(), 2);
  slots.Release();
  slots.Release();
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(slots.queued(), 0u);
  slots.Release();
  slots.Release();
  EXPECT_EQ(slots.in_flight(), 0);
}

TEST(ConcurrencySlotsTest, ALimitBelowOneAdmitsOneCall) {
  ConcurrencySlots slots(0);
  int started = 0;
  slots.Acquire([&] { ++started; });
  slots.Acquire([&] { ++started; });
  EXPECT_EQ(started, 1);
  slots.Release();
  EXPECT_EQ(started, 2);
}

}  // namespace
}  // namespace llmeval
