// UniqueRowIds: every row of a data set with an id column has its own, non-empty id.
#include "datasets/row_ids.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmeval {
namespace {

DataRow Row(int64_t line, std::vector<std::string> values) {
  DataRow row;
  row.line = line;
  row.values = std::move(values);
  return row;
}

TEST(UniqueRowIdsTest, AcceptsDistinctIds) {
  UniqueRowIds ids("q.csv", "id", 0);
  EXPECT_TRUE(ids.Add(Row(2, {"a", "x"})).ok());
  EXPECT_TRUE(ids.Add(Row(3, {"b", "x"})).ok());
  EXPECT_TRUE(ids.Add(Row(4, {"A", "x"})).ok());  // Ids are compared exactly.
}

TEST(UniqueRowIdsTest, RepeatedIdNamesBothLines) {
  UniqueRowIds ids("questions.csv", "category", 1);
  ASSERT_TRUE(ids.Add(Row(2, {"q1", "Definition"})).ok());
  ASSERT_TRUE(ids.Add(Row(3, {"q2", "Git"})).ok());
  Status repeated = ids.Add(Row(5, {"q3", "Definition"}));
  EXPECT_EQ(repeated.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(repeated.message(),
            "questions.csv:5: id 'Definition' (column category) repeats line 2; dataset.id_column must name every row "
            "once");
}

TEST(UniqueRowIdsTest, EmptyOrBlankIdIsRefused) {
  UniqueRowIds ids("q.jsonl", "id", 0);
  Status empty = ids.Add(Row(7, {"", "x"}));
  EXPECT_EQ(empty.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(empty.message(), "q.jsonl:7: empty id in column id (dataset.id_column); every row needs its own id");
  EXPECT_FALSE(ids.Add(Row(8, {"  ", "x"})).ok());
}

TEST(UniqueRowIdsTest, LongIdsAreShortenedInTheMessage) {
  UniqueRowIds ids("q.csv", "id", 0);
  std::string long_id(200, 'x');
  ASSERT_TRUE(ids.Add(Row(2, {long_id})).ok());
  Status repeated = ids.Add(Row(3, {long_id}));
  EXPECT_NE(repeated.message().find("'" + std::string(80, 'x') + "...'"), std::string::npos) << repeated.message();
}

TEST(UniqueRowIdsTest, ManyDistinctIdsNeverCollide) {
  UniqueRowIds ids("q.csv", "id", 0);
  for (int i = 0; i < 200000; ++i) {
    ASSERT_TRUE(ids.Add(Row(i + 2, {"row-" + std::to_string(i)})).ok()) << i;
  }
}

}  // namespace
}  // namespace llmeval
