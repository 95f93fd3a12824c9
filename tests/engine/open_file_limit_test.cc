// RaiseOpenFileLimit lifts the soft RLIMIT_NOFILE to the hard limit (capped), and never lowers it.
#include "engine/os/open_file_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>

namespace llmeval {
namespace {

class OpenFileLimitTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &original_), 0); }
  void TearDown() override { setrlimit(RLIMIT_NOFILE, &original_); }

  rlimit original_{};
};

TEST_F(OpenFileLimitTest, RaisesALowSoftLimitToTheCappedHardLimit) {
  if (original_.rlim_max != RLIM_INFINITY && original_.rlim_max < 300) GTEST_SKIP() << "hard limit below 300";
  rlimit low = original_;
  low.rlim_cur = 256;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  ASSERT_EQ(OpenFileLimit(), 256);
  RaiseOpenFileLimit();
  int64_t hard = original_.rlim_max == RLIM_INFINITY ? kOpenFileCap : static_cast<int64_t>(original_.rlim_max);
  EXPECT_EQ(OpenFileLimit(), std::min(hard, kOpenFileCap));
  EXPECT_GT(OpenFileLimit(), 256);
}

TEST_F(OpenFileLimitTest, NeverLowersTheSoftLimit) {
  RaiseOpenFileLimit();
  int64_t raised = OpenFileLimit();
  RaiseOpenFileLimit();
  EXPECT_EQ(OpenFileLimit(), raised);
  if (original_.rlim_cur != RLIM_INFINITY && static_cast<int64_t>(original_.rlim_cur) > kOpenFileCap) {
    EXPECT_EQ(raised, static_cast<int64_t>(original_.rlim_cur));  // Already above the cap: left alone.
  }
}

}  // namespace
}  // namespace llmeval
