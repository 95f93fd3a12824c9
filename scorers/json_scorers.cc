// Built-in JSON checks on the output: json_valid, json_schema.
#include <simdjson.h>

#include "core/strings.h"
#include "scorers/builtin_scorers.h"
#include "scorers/json_schema.h"
#include "scorers/json_util.h"
#include "scorers/scorer_params.h"

namespace llmeval {
namespace {

// json_valid: the whole output (surrounding whitespace aside) is one JSON value.
class JsonValidScorer : public CodeScorer {
 public:
  using CodeScorer::CodeScorer;

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    auto error = parser.parse(ctx.output.data(), ctx.output.size()).get(root);
    if (error != simdjson::SUCCESS) {
      return Fail(std::string("not valid JSON (") + simdjson::error_message(error) + "): \"" + Excerpt(ctx.output) +
                  "\"");
    }
    return Pass(std::string("valid JSON ") + JsonTypeName(root));
  }
};

Result<std::unique_ptr<Scorer>> MakeJsonValid(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({});
  if (!p.ok()) return p.status();
  return std::unique_ptr<Scorer>(new JsonValidScorer(p.name()));
}

// json_schema {schema}: the output is JSON and valid against the schema (see json_schema.h for the subset).
class JsonSchemaScorer : public CodeScorer {
 public:
  JsonSchemaScorer(std::string name, JsonSchema schema) : CodeScorer(std::move(name)), schema_(std::move(schema)) {}

 protected:
  Assessment ScoreItem(const ScoringContext& ctx) const override {
    std::vector<std::string> problems = schema_.Validate(ctx.output, 5);
    if (problems.empty()) return Pass("matches the schema");
    return Fail(JoinStrings(problems, "; "));
  }

 private:
  JsonSchema schema_;
};

Result<std::unique_ptr<Scorer>> MakeJsonSchema(const ScorerSpec& spec) {
  ScorerParams p(spec);
  p.CheckKeys({"schema"});
  auto element = p.Element("schema");
  if (p.ok() && !element) p.Fail("missing required parameter 'schema'");
  if (!p.ok()) return p.status();
  // The schema may be given inline as an object or as a JSON text.
  std::string text = element->is_string() ? std::string(std::string_view(*element)) : simdjson::minify(*element);
  Result<JsonSchema> schema = JsonSchema::Compile(text);
  if (!schema.ok()) return p.Error("parameter 'schema': " + schema.status().message());
  return std::unique_ptr<Scorer>(new JsonSchemaScorer(p.name(), std::move(schema).value()));
}

}  // namespace

void RegisterJsonScorers(ScorerFactoryMap* out) {
  (*out)["json_valid"] = MakeJsonValid;
  (*out)["json_schema"] = MakeJsonSchema;
}

}  // namespace llmeval
