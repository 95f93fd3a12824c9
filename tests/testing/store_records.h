// Runs and variants for engine tests that write to a real Store. A failed write fails the test (EXPECT) and returns 0.
#ifndef LLMEVAL_TESTS_TESTING_STORE_RECORDS_H_
#define LLMEVAL_TESTS_TESTING_STORE_RECORDS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "engine/store/store.h"

namespace llmeval::testing {

inline int64_t AddTestRun(Store* store) {
  RunRecord run;
  run.experiment = "exp";
  run.dataset_path = "q.csv";
  Result<int64_t> id = store->CreateRun(run);
  EXPECT_TRUE(id.ok()) << id.status().message();
  return id.ok() ? *id : 0;
}

// Variant `prompt`/1 x sim of `run_id`.
inline int64_t AddTestVariant(Store* store, int64_t run_id, const std::string& prompt) {
  VariantRecord v;
  v.run_id = run_id;
  v.prompt_name = prompt;
  v.prompt_version = 1;
  v.model = "sim";
  Result<int64_t> id = store->AddVariant(v);
  EXPECT_TRUE(id.ok()) << id.status().message();
  return id.ok() ? *id : 0;
}

}  // namespace llmeval::testing

#endif  // LLMEVAL_TESTS_TESTING_STORE_RECORDS_H_
