// The results store's schema, as an ordered list of migrations. Migration i (1-based) moves a store from schema
// version i-1 to i; a store records its version in `schema_version`. Never edit a released migration: add one.
// docs/ARCHITECTURE.md describes the tables.
#ifndef LLMEVAL_ENGINE_STORE_STORE_SCHEMA_H_
#define LLMEVAL_ENGINE_STORE_STORE_SCHEMA_H_

#include <string_view>
#include <vector>

namespace llmeval {

const std::vector<std::string_view>& StoreMigrations();

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_STORE_STORE_SCHEMA_H_
