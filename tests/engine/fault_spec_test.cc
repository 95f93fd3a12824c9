#include "engine/sim/fault_spec.h"

#include <gtest/gtest.h>

#include <map>

namespace llmeval {
namespace {

TEST(FaultSpecTest, ParsesRatesAndPeriods) {
  Result<FaultSpec> spec = FaultSpec::Parse("429=5%, 500=0.02,drop=1%,503@7");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  ASSERT_EQ(spec->rules().size(), 4u);
  EXPECT_EQ(spec->rules()[0].kind, FaultKind::kRateLimited);
  EXPECT_DOUBLE_EQ(spec->rules()[0].rate, 0.05);
  EXPECT_DOUBLE_EQ(spec->rules()[1].rate, 0.02);
  EXPECT_EQ(spec->rules()[2].kind, FaultKind::kDrop);
  EXPECT_EQ(spec->rules()[3].kind, FaultKind::kUnavailable);
  EXPECT_EQ(spec->rules()[3].every, 7u);
  EXPECT_TRUE(FaultSpec::Parse("").ok());
  EXPECT_TRUE(FaultSpec::Parse("  ")->empty());
}

TEST(FaultSpecTest, RejectsBadSpecsNamingThePart) {
  struct Case {
    const char* spec;
    const char* mentions;
  };
  const Case cases[] = {
      {"429=5%,teapot=1%", "\"teapot=1%\""},
      {"429=150%", "\"429=150%\""},
      {"500=2", "\"500=2\""},
      {"503@0", "\"503@0\""},
      {"drop", "\"drop\""},
      {"429=60%,500=50%", "more than 100%"},
      {"429=5%,,500=1%", "empty part"},
      {"slow=x%", "\"slow=x%\""},
  };
  for (const Case& c : cases) {
    Result<FaultSpec> spec = FaultSpec::Parse(c.spec);
    ASSERT_FALSE(spec.ok()) << c.spec;
    EXPECT_EQ(spec.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(spec.status().message().find(c.mentions), std::string::npos) << spec.status().message();
    EXPECT_NE(spec.status().message().find("empty_choices"), std::string::npos) << spec.status().message();
  }
}

TEST(FaultSpecTest, KindNamesRoundTrip) {
  for (FaultKind kind :
       {FaultKind::kRateLimited, FaultKind::kServerError, FaultKind::kUnavailable, FaultKind::kSlow, FaultKind::kDrop,
        FaultKind::kMalformed, FaultKind::kTruncated, FaultKind::kEmptyChoices, FaultKind::kLength, FaultKind::kNone}) {
    Result<FaultKind> parsed = ParseFaultKind(FaultKindName(kind));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, kind);
  }
  EXPECT_FALSE(ParseFaultKind("404").ok());
}

TEST(FaultSpecTest, ChoicesFollowRatesAndPeriodsDeterministically) {
  FaultSpec spec = *FaultSpec::Parse("429=10%,500=5%,503@10");
  std::map<FaultKind, int> counts;
  for (uint64_t n = 1; n <= 10000; ++n) {
    FaultKind kind = spec.Choose(n, 3);
    EXPECT_EQ(kind, spec.Choose(n, 3));
    if (n % 10 == 0) {
      EXPECT_EQ(kind, FaultKind::kUnavailable);
    }
    ++counts[kind];
  }
  EXPECT_EQ(counts[FaultKind::kUnavailable], 1000);
  EXPECT_NEAR(counts[FaultKind::kRateLimited], 900, 150);
  EXPECT_NEAR(counts[FaultKind::kServerError], 450, 100);
  EXPECT_EQ(FaultSpec().Choose(5, 0), FaultKind::kNone);
}

}  // namespace
}  // namespace llmeval
