#include "engine/sim/fault_spec.h"

#include "core/strings.h"
#include "engine/sim/sim_text.h"

namespace llmeval {
namespace {

struct KindName {
  FaultKind kind;
  const char* name;
};

constexpr KindName kKinds[] = {
    {FaultKind::kRateLimited, "429"},     {FaultKind::kServerError, "500"},
    {FaultKind::kUnavailable, "503"},     {FaultKind::kSlow, "slow"},
    {FaultKind::kDrop, "drop"},           {FaultKind::kMalformed, "malformed"},
    {FaultKind::kTruncated, "truncated"}, {FaultKind::kEmptyChoices, "empty_choices"},
    {FaultKind::kLength, "length"},
};

Status BadPart(std::string_view part, const std::string& why) {
  return Status::InvalidInput("invalid fault spec part \"" + std::string(part) + "\": " + why +
                              " (write KIND=RATE like 429=5% or KIND@N like 503@7; valid kinds: " + ValidFaultKinds() +
                              ")");
}

}  // namespace

const char* FaultKindName(FaultKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "none";
}

std::string ValidFaultKinds() {
  std::string out;
  for (const KindName& k : kKinds) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

Result<FaultKind> ParseFaultKind(std::string_view name) {
  std::string lower = AsciiLower(TrimWhitespace(name));
  if (lower == "none") return FaultKind::kNone;
  for (const KindName& k : kKinds) {
    if (lower == k.name) return k.kind;
  }
  return Status::InvalidInput("unknown fault kind \"" + std::string(name) + "\"; valid kinds: " + ValidFaultKinds());
}

Result<FaultSpec> FaultSpec::Parse(std::string_view spec) {
  FaultSpec result;
  if (TrimWhitespace(spec).empty()) return result;
  double total_rate = 0;
  for (const std::string& raw : SplitString(spec, ',')) {
    std::string_view part = TrimWhitespace(raw);
    if (part.empty()) return BadPart(raw, "empty part");
    size_t eq = part.find('=');
    size_t at = part.find('@');
    if ((eq == std::string_view::npos) == (at == std::string_view::npos)) {
      return BadPart(part, "expected exactly one '=' (a rate) or '@' (a period)");
    }
    size_t split = eq != std::string_view::npos ? eq : at;
    std::string_view name = TrimWhitespace(part.substr(0, split));
    std::string_view value = TrimWhitespace(part.substr(split + 1));
    Result<FaultKind> kind = ParseFaultKind(name);
    if (!kind.ok() || *kind == FaultKind::kNone) return BadPart(part, "unknown kind \"" + std::string(name) + "\"");
    Rule rule;
    rule.kind = *kind;
    if (at != std::string_view::npos) {
      std::optional<int64_t> every = ParseInt(value);
      if (!every || *every < 1) return BadPart(part, "the period after '@' must be a whole number of at least 1");
      rule.every = static_cast<uint64_t>(*every);
    } else {
      bool percent = EndsWith(value, "%");
      std::optional<double> number = ParseDouble(percent ? value.substr(0, value.size() - 1) : value);
      if (!number || *number < 0 || (percent && *number > 100) || (!percent && *number > 1)) {
        return BadPart(part, "the rate must be a percentage from 0% to 100% or a fraction from 0 to 1");
      }
      rule.rate = percent ? *number / 100 : *number;
      total_rate += rule.rate;
      if (total_rate > 1.0 + 1e-9) return BadPart(part, "the rates add up to more than 100%");
    }
    result.rules_.push_back(rule);
  }
  return result;
}

FaultKind FaultSpec::Choose(uint64_t request_number, uint64_t seed) const {
  for (const Rule& rule : rules_) {
    if (rule.every > 0 && request_number % rule.every == 0) return rule.kind;
  }
  // A uniform draw in [0, 1) from the request number and seed, compared with the cumulative rates.
  double draw = static_cast<double>(SimMix(SimMix(request_number, seed), 0xfa17) >> 11) * 0x1.0p-53;
  double cumulative = 0;
  for (const Rule& rule : rules_) {
    if (rule.every > 0) continue;
    cumulative += rule.rate;
    if (draw < cumulative) return rule.kind;
  }
  return FaultKind::kNone;
}

}  // namespace llmeval
