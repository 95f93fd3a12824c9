// Flags: parses `--name value`, `--name=value`, boolean `--name`, repeated flags and positional arguments against a
// declared set, so every command rejects unknown flags with a suggestion (exit 2).
#ifndef LLMEVAL_CLI_FLAGS_H_
#define LLMEVAL_CLI_FLAGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace llmeval {

struct FlagSpec {
  std::string name;  // Without dashes: "prompt".
  bool takes_value = true;
  std::string help;
  std::string alias;  // Another accepted name ("max-questions" for "limit"), or "".
};

class Flags {
 public:
  // Parses args (after the command name). InvalidInput on an unknown flag or a missing value.
  static Result<Flags> Parse(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> GetAll(const std::string& name) const;
  // Comma-separated values of every occurrence, flattened.
  std::vector<std::string> GetList(const std::string& name) const;
  Result<int64_t> GetInt(const std::string& name, int64_t fallback, int64_t min) const;
  Result<std::optional<double>> GetDouble(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Formats the flag table for --help.
std::string FlagsHelp(const std::vector<FlagSpec>& specs);

}  // namespace llmeval

#endif  // LLMEVAL_CLI_FLAGS_H_
