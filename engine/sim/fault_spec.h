// Fault injection for the simulated server (engine/sim/sim_server.h): which requests fail, and how.
//
// A spec is a comma-separated list of parts, each a fault kind with either a rate or a period:
//   "429=5%,500=2%,drop=1%"   each request independently gets a 429 with 5% chance, a 500 with 2%, ...
//   "503@7"                   every 7th request (the 7th, 14th, ...) gets a 503
// Rates are "N%" (0 to 100) or a fraction in [0, 1]; together they may not exceed 100%. Kinds:
//   429            rate limited, with "Retry-After: 1" and "retry-after-ms: 1000" headers
//   500, 503       server errors with an OpenAI-style error body
//   slow           the reply comes only after the server's slow delay (--slow-ms), past a client's timeout
//   drop           the connection closes without any response
//   malformed      200 with a body that is not JSON
//   truncated      200 with the JSON cut in half
//   empty_choices  200 with "choices": []
//   length         a normal reply cut short with finish_reason "length"
// The choice for a request is deterministic: a function of the request's number, the seed and the spec. A request
// header "X-Sim-Fault: <kind>" overrides the spec for that request (the server's job).
//
// FaultSpec is an immutable value once parsed: thread-safe to share.
#ifndef LLMEVAL_ENGINE_SIM_FAULT_SPEC_H_
#define LLMEVAL_ENGINE_SIM_FAULT_SPEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace llmeval {

enum class FaultKind {
  kNone,
  kRateLimited,   // "429"
  kServerError,   // "500"
  kUnavailable,   // "503"
  kSlow,          // "slow"
  kDrop,          // "drop"
  kMalformed,     // "malformed"
  kTruncated,     // "truncated"
  kEmptyChoices,  // "empty_choices"
  kLength,        // "length"
};

// The spec name of a kind ("429", "drop"); "none" for kNone.
const char* FaultKindName(FaultKind kind);

// Parses one kind name; InvalidInput listing the valid kinds otherwise. "none" parses to kNone.
Result<FaultKind> ParseFaultKind(std::string_view name);

// "429, 500, 503, slow, drop, malformed, truncated, empty_choices, length".
std::string ValidFaultKinds();

class FaultSpec {
 public:
  struct Rule {
    FaultKind kind = FaultKind::kNone;
    double rate = 0;     // In [0, 1] for rate rules.
    uint64_t every = 0;  // > 0 for periodic rules.
  };

  FaultSpec() = default;  // Injects nothing.

  // Parses `spec` (empty or blank: no faults). InvalidInput names the bad part and lists the valid kinds.
  static Result<FaultSpec> Parse(std::string_view spec);

  // The fault for the request numbered `request_number` (1 for the first request the server sees).
  FaultKind Choose(uint64_t request_number, uint64_t seed) const;

  bool empty() const { return rules_.empty(); }
  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::vector<Rule> rules_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_SIM_FAULT_SPEC_H_
