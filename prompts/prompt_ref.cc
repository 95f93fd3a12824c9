#include "prompts/prompt_ref.h"

#include <cstdint>
#include <optional>
#include <string>

#include "core/strings.h"
#include "core/utf8.h"

namespace llmeval {
namespace {

constexpr char kAcceptedForms[] =
    "expected NAME (the working file NAME.txt), NAME/VERSION, NAME@ALIAS, or one of these after 'prompts:/', "
    "e.g. 'basic', 'basic/3', 'basic@production', 'prompts:/basic/3'; NAME and ALIAS are 1-64 letters, digits, '_' "
    "or '-' starting with a letter or digit, VERSION is a whole number >= 1";
constexpr size_t kMaxQuotedBytes = 80;
constexpr int64_t kMaxVersion = 1'000'000'000;

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string Quote(std::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return "'" + SanitizeUtf8(text) + "'";
  return "'" + SanitizeUtf8(text.substr(0, kMaxQuotedBytes)) + "...'";
}

Status RefError(std::string_view text, const std::string& why) {
  return Status::InvalidInput("invalid prompt reference " + Quote(text) + ": " + why + "; " + kAcceptedForms);
}

}  // namespace

bool IsValidPromptName(std::string_view name) {
  if (name.empty() || name.size() > kMaxPromptNameLength || !IsAsciiAlnum(name[0])) return false;
  for (char c : name) {
    if (!IsAsciiAlnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

std::string PromptRef::ToString() const {
  switch (kind) {
    case Kind::kWorkingFile:
      return name;
    case Kind::kVersion:
      return name + "/" + std::to_string(version);
    case Kind::kAlias:
      return name + "@" + alias;
  }
  return name;
}

Result<PromptRef> ParsePromptRef(std::string_view text) {
  std::string_view rest = text;
  if (StartsWith(rest, "prompts:/")) {
    rest.remove_prefix(9);
  } else if (StartsWith(rest, "prompts:")) {
    rest.remove_prefix(8);
  }
  if (rest.empty()) return RefError(text, "the prompt name is missing");

  const size_t sep = rest.find_first_of("/@");
  std::string_view name = rest.substr(0, sep);
  if (name.empty()) return RefError(text, "the prompt name is missing");
  if (!IsValidPromptName(name)) return RefError(text, Quote(name) + " is not a valid prompt name");

  PromptRef ref;
  ref.name = std::string(name);
  if (sep == std::string_view::npos) {
    ref.kind = PromptRef::Kind::kWorkingFile;
    return ref;
  }
  std::string_view tail = rest.substr(sep + 1);
  if (rest[sep] == '@') {
    if (tail.empty()) return RefError(text, "the alias after '@' is missing");
    if (!IsValidPromptName(tail)) return RefError(text, Quote(tail) + " is not a valid alias name");
    ref.kind = PromptRef::Kind::kAlias;
    ref.alias = std::string(tail);
    return ref;
  }
  if (tail.empty()) return RefError(text, "the version after '/' is missing");
  bool all_digits = true;
  for (char c : tail) all_digits = all_digits && IsAsciiDigit(c);
  std::optional<int64_t> version = all_digits ? ParseInt(tail) : std::nullopt;
  if (!all_digits) return RefError(text, "version " + Quote(tail) + " is not a whole number");
  if (!version.has_value() || *version > kMaxVersion) return RefError(text, "version " + Quote(tail) + " is too large");
  if (*version < 1) return RefError(text, "versions start at 1");
  ref.kind = PromptRef::Kind::kVersion;
  ref.version = static_cast<int>(*version);
  return ref;
}

}  // namespace llmeval
