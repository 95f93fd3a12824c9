// Collected-trace selection from flags and query strings (cli/trace_query.h).
#include "cli/trace_query.h"

#include <optional>

#include "core/strings.h"

namespace llmeval {
namespace {

Status AddAttribute(const std::string& term, const std::string& what, CollectedTraceQuery* q) {
  size_t eq = term.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::InvalidInput(what + ": expected KEY=VALUE, got '" + term + "'");
  }
  q->attributes.emplace_back(term.substr(0, eq), term.substr(eq + 1));
  return Status::OK();
}

}  // namespace

Result<int64_t> ParseTraceDuration(const std::string& text, const std::string& what) {
  const std::string expected =
      what + ": expected a number and a unit (s, m, h or d), like 90s, 15m, 1h or 7d; got '" + text + "'";
  if (text.size() < 2) return Status::InvalidInput(expected);
  std::optional<int64_t> count = ParseInt(text.substr(0, text.size() - 1));
  if (!count.has_value() || *count < 0) return Status::InvalidInput(expected);
  int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return Status::InvalidInput(expected);
  }
  return *count * unit * 1000000000LL;
}

bool HasCollectedTraceFlags(const Flags& flags) {
  return flags.Has("service") || flags.Has("since") || flags.Has("attr") || flags.Has("collected");
}

Result<CollectedTraceQuery> CollectedQueryFromFlags(const Flags& flags, int64_t now_unix_ns) {
  CollectedTraceQuery q;
  q.service = flags.Get("service");
  if (flags.Has("since")) {
    Result<int64_t> since = ParseTraceDuration(flags.Get("since"), "--since");
    if (!since.ok()) return since.status();
    q.since_unix_ns = now_unix_ns - *since;
  }
  for (const std::string& term : flags.GetAll("attr")) {
    Status s = AddAttribute(term, "--attr", &q);
    if (!s.ok()) return s;
  }
  std::string status = flags.Get("status");
  if (!status.empty() && status != "error") {
    return Status::InvalidInput("--status accepts 'error', got '" + status + "'");
  }
  q.errors_only = status == "error";
  Result<int64_t> slowest = flags.GetInt("slowest", 0, 1);
  Result<int64_t> limit = flags.GetInt("limit", 50, 1);
  if (!slowest.ok()) return slowest.status();
  if (!limit.ok()) return limit.status();
  q.slowest = *slowest > 0;
  q.limit = *slowest > 0 ? *slowest : *limit;
  return q;
}

Result<CollectedTraceQuery> ParseCollectedQuery(const std::string& query, int64_t now_unix_ns) {
  CollectedTraceQuery q;
  q.limit = 1000000;
  std::string text = query;
  for (char& c : text) {
    if (c == ',') c = ' ';
  }
  bool any = false;
  for (const std::string& raw : SplitString(text, ' ')) {
    std::string term(TrimWhitespace(raw));
    if (term.empty()) continue;
    any = true;
    if (term == "all") continue;
    size_t eq = term.find('=');
    std::string key = eq == std::string::npos ? term : term.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : term.substr(eq + 1);
    const std::string what = "--traces term '" + term + "'";
    if (key == "service") {
      q.service = value;
    } else if (key == "since") {
      Result<int64_t> since = ParseTraceDuration(value, what);
      if (!since.ok()) return since.status();
      q.since_unix_ns = now_unix_ns - *since;
    } else if (key == "status") {
      if (value != "error") return Status::InvalidInput(what + ": status accepts 'error'");
      q.errors_only = true;
    } else if (key == "limit") {
      std::optional<int64_t> n = ParseInt(value);
      if (!n.has_value() || *n < 1) return Status::InvalidInput(what + ": expected a positive number");
      q.limit = *n;
    } else {
      Status s = AddAttribute(term, what + " (service=, since=, status=error, limit= or an attribute KEY=VALUE)", &q);
      if (!s.ok()) return s;
    }
  }
  if (!any) {
    return Status::InvalidInput("--traces: expected a query like 'service=shop since=24h' or 'all', got '" + query +
                                "'");
  }
  return q;
}

}  // namespace llmeval
