// The column lists and row decoders shared by the Store's item readers (store_runs.cc, store_report.cc), so an item
// or an assessment row is selected and decoded in one place. Internal to the store.
#ifndef LLMEVAL_ENGINE_STORE_STORE_ROWS_H_
#define LLMEVAL_ENGINE_STORE_STORE_ROWS_H_

#include <string>

#include "engine/store/sqlite_db.h"
#include "engine/store/store.h"

namespace llmeval {

// "SELECT <the item columns of table alias i> " with `text_columns` (three expressions: inputs JSON, rendered input,
// output) in place of the text columns; append "FROM items i ...". ReadItem decodes columns 0..kItemColumns-1.
std::string SelectItems(const std::string& text_columns);
constexpr int kItemColumns = 25;
ItemRecord ReadItem(const SqliteStatement& row);

// The assessment columns of table alias a (column 0 is item_id); ReadAssessment decodes them.
extern const char kAssessmentColumns[];
AssessmentRow ReadAssessment(const SqliteStatement& row);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_STORE_STORE_ROWS_H_
