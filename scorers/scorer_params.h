// ScorerParams: typed, validated access to a ScorerSpec's JSON parameters, for scorer factories (internal to the
// scorers module). The first problem is remembered and reported as one InvalidInput status naming the scorer, its type
// and the parameter:
//
//   ScorerParams p(spec);
//   p.CheckKeys({"min", "max"});
//   std::optional<int64_t> min = p.Int("min");
//   if (!p.ok()) return p.status();
//
// Lenient where configurations are: numbers and booleans may also arrive as strings ("10", "true"), since YAML
// front-ends do not always keep scalar types. Not thread-safe; use one per factory call.
#ifndef LLMEVAL_SCORERS_SCORER_PARAMS_H_
#define LLMEVAL_SCORERS_SCORER_PARAMS_H_

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "scorers/scorer.h"

namespace llmeval {

class ScorerParams {
 public:
  explicit ScorerParams(const ScorerSpec& spec);

  const std::string& name() const { return name_; }  // The spec's name, or its type when unnamed.
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Records "<prefix>: <message>" unless an error is already recorded.
  void Fail(const std::string& message);
  // The status "<prefix>: <message>", for errors found after reading parameters.
  Status Error(const std::string& message) const;

  // Fails on any key not in `allowed`, suggesting the closest allowed key.
  void CheckKeys(const std::vector<std::string_view>& allowed);

  bool Has(std::string_view key) const;
  std::optional<int64_t> Int(std::string_view key);
  std::optional<double> Number(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  // Strings; numbers and booleans are taken as their JSON text.
  std::optional<std::string> String(std::string_view key);
  // An array of scalars, or one scalar as a list of one.
  std::optional<std::vector<std::string>> StringList(std::string_view key);
  // The raw value, valid as long as this object lives.
  std::optional<simdjson::dom::element> Element(std::string_view key);
  // A mapping parameter as compact JSON: "{}" when absent; a failure when it is not a mapping.
  std::string MappingJson(std::string_view key);

  // Required variants: fail with "missing required parameter '<key>'" when absent.
  int64_t RequireInt(std::string_view key);
  std::string RequireString(std::string_view key);

 private:
  std::optional<simdjson::dom::element> Lookup(std::string_view key) const;
  void FailType(std::string_view key, const char* expected, simdjson::dom::element got);

  std::string name_;
  std::string prefix_;  // "scorer 'short' (word_count)"
  Status status_;
  std::unique_ptr<simdjson::dom::parser> parser_;
  simdjson::dom::object object_;
  bool has_object_ = false;
};

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_SCORER_PARAMS_H_
