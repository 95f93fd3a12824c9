#include "cli/flags.h"

#include "core/strings.h"

namespace llmeval {

Result<Flags> Flags::Parse(const std::vector<std::string>& args, const std::vector<FlagSpec>& specs) {
  Flags flags;
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // A negative number ("-1") is a value, not a flag: no flag name starts with a digit.
    bool negative_number = arg.size() >= 2 && arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9';
    if (only_positional || arg.size() < 2 || arg[0] != '-' || arg == "-" || negative_number) {
      flags.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> inline_value;
    size_t eq = body.find('=');
    if (eq != std::string::npos) {
      inline_value = body.substr(eq + 1);
      body = body.substr(0, eq);
    }
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& s : specs) {
      if (s.name == body || (!s.alias.empty() && s.alias == body)) spec = &s;
    }
    if (spec == nullptr) {
      std::vector<std::string> names;
      for (const FlagSpec& s : specs) names.push_back(s.name);
      std::string hint = SuggestClosest(body, names);
      std::string typed = arg.substr(0, arg.find('='));  // As the user typed it: "-x" stays "-x".
      return Status::InvalidInput("unknown flag '" + typed + "'" +
                                  (hint.empty() ? "" : "; did you mean '--" + hint + "'?"));
    }
    if (!spec->takes_value) {
      if (inline_value.has_value()) return Status::InvalidInput("flag '--" + spec->name + "' takes no value");
      flags.values_[spec->name].push_back("true");
      continue;
    }
    if (!inline_value.has_value()) {
      if (i + 1 >= args.size()) return Status::InvalidInput("flag '--" + spec->name + "' needs a value");
      inline_value = args[++i];
    }
    flags.values_[spec->name].push_back(*inline_value);
  }
  return flags;
}

std::string Flags::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second.back();
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

std::vector<std::string> Flags::GetList(const std::string& name) const {
  std::vector<std::string> out;
  for (const std::string& value : GetAll(name)) {
    for (const std::string& part : SplitString(value, ',')) {
      std::string trimmed(TrimWhitespace(part));
      if (!trimmed.empty()) out.push_back(trimmed);
    }
  }
  return out;
}

Result<int64_t> Flags::GetInt(const std::string& name, int64_t fallback, int64_t min) const {
  if (!Has(name)) return fallback;
  std::optional<int64_t> v = ParseInt(Get(name));
  if (!v.has_value() || *v < min) {
    return Status::InvalidInput("--" + name + " expects a whole number >= " + std::to_string(min) + ", got '" +
                                Get(name) + "'");
  }
  return *v;
}

Result<std::optional<double>> Flags::GetDouble(const std::string& name) const {
  if (!Has(name)) return std::optional<double>();
  std::optional<double> v = ParseDouble(Get(name));
  if (!v.has_value()) return Status::InvalidInput("--" + name + " expects a number, got '" + Get(name) + "'");
  return v;
}

std::string FlagsHelp(const std::vector<FlagSpec>& specs) {
  std::string out;
  for (const FlagSpec& s : specs) {
    std::string left = "  --" + s.name + (s.takes_value ? " VALUE" : "");
    if (!s.alias.empty()) left += " (or --" + s.alias + ")";
    if (left.size() < 30) left.append(30 - left.size(), ' ');
    out += left + " " + s.help + "\n";
  }
  return out;
}

}  // namespace llmeval
