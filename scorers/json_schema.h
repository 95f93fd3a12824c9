// JsonSchema: a compiled subset of JSON Schema for checking model output. Supported keywords: type (a name or a list),
// properties, required, additionalProperties (false or a schema), items, enum, const, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, minLength, maxLength (in code points), pattern (ECMAScript, searched),
// minItems, maxItems. Other keywords ($schema, title, description, ...) are ignored; anyOf/oneOf/allOf/$ref are not
// supported and are ignored too.
//
// Compile once, validate many times: a compiled schema is immutable and Validate() is safe from several threads.
#ifndef LLMEVAL_SCORERS_JSON_SCHEMA_H_
#define LLMEVAL_SCORERS_JSON_SCHEMA_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace llmeval {

struct SchemaNode;

class JsonSchema {
 public:
  // InvalidInput when `schema_json` is not a JSON object or misuses a supported keyword, naming the place:
  //   schema at $.properties.age: 'type' has unknown type "int"; known types: array, boolean, ...
  static Result<JsonSchema> Compile(std::string_view schema_json);

  // The problems of `json_text` against the schema, at most `max_errors`, each "$.path: what was expected"; a text that
  // is not JSON gives one problem saying so. Empty when valid.
  std::vector<std::string> Validate(std::string_view json_text, size_t max_errors = 5) const;

 private:
  JsonSchema() = default;
  std::shared_ptr<const SchemaNode> root_;  // Never null.
};

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_JSON_SCHEMA_H_
