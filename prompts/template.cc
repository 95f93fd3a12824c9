#include "prompts/template.h"

#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/strings.h"
#include "core/utf8.h"

namespace llmeval {
namespace {

constexpr size_t kMaxQuotedNameBytes = 60;
constexpr char kBraceHint[] = "(write '{{' and '}}' for literal braces)";

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

bool IsValidPlaceholderName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

// "line:column" of the byte at `index`; both 1-based, the column in UTF-8 code points.
std::string PositionOf(std::string_view text, size_t index) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < index && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    } else if (column == 1) {
      ++column;  // A stray continuation byte at a line start still occupies a column.
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

// `name` made safe and short enough to quote in an error message.
std::string QuoteName(std::string_view name) {
  if (name.size() <= kMaxQuotedNameBytes) return "'" + SanitizeUtf8(name) + "'";
  size_t cut = kMaxQuotedNameBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return "'" + SanitizeUtf8(name.substr(0, cut)) + "...'";
}

Status ErrorAt(std::string_view source, std::string_view text, size_t index, const std::string& what) {
  return Status::InvalidInput(std::string(source) + ":" + PositionOf(text, index) + ": " + what);
}

}  // namespace

Result<Template> Template::Parse(std::string_view text, std::string_view source_name) {
  Template t;
  t.text_ = std::string(text);
  t.source_name_ = std::string(source_name);
  t.literals_.reserve(text.size());

  size_t literal_start = 0;  // Start in literals_ of the literal segment being built.
  auto flush_literal = [&t, &literal_start]() {
    if (t.literals_.size() > literal_start) {
      Segment s;
      s.offset = literal_start;
      s.length = t.literals_.size() - literal_start;
      t.segments_.push_back(s);
      literal_start = t.literals_.size();
    }
  };

  std::unordered_map<std::string, size_t> index_of;  // Lowercase name -> index in placeholders_.
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const char c = text[i];
    if (c == '{') {
      if (i + 1 < n && text[i + 1] == '{') {
        t.literals_.push_back('{');
        i += 2;
        continue;
      }
      size_t j = i + 1;
      while (j < n && text[j] != '}' && text[j] != '{' && text[j] != '\n') ++j;
      if (j == n || text[j] != '}') {
        std::string found;
        if (j == n) {
          found = "before the end of the text";
        } else if (text[j] == '\n') {
          found = "before the end of the line";
        } else {
          found = "but found '{' at " + PositionOf(text, j);
        }
        return ErrorAt(source_name, text, i,
                       "unclosed '{': expected a placeholder name and '}' " + found + " " + kBraceHint);
      }
      std::string_view name = TrimWhitespace(text.substr(i + 1, j - i - 1));
      if (name.empty()) {
        return ErrorAt(source_name, text, i,
                       std::string("empty placeholder '{}': expected a name such as {question} ") + kBraceHint);
      }
      if (!IsValidPlaceholderName(name)) {
        return ErrorAt(source_name, text, i,
                       "invalid placeholder name " + QuoteName(name) +
                           ": expected a letter or '_' followed by letters, digits or '_' " + kBraceHint);
      }
      std::string lower = AsciiLower(name);
      auto [it, inserted] = index_of.emplace(lower, t.placeholders_.size());
      if (inserted) t.placeholders_.push_back(std::move(lower));
      const size_t index = it->second;
      flush_literal();
      Segment s;
      s.is_placeholder = true;
      s.placeholder = index;
      t.segments_.push_back(s);
      i = j + 1;
    } else if (c == '}') {
      if (i + 1 < n && text[i + 1] == '}') {
        t.literals_.push_back('}');
        i += 2;
        continue;
      }
      return ErrorAt(source_name, text, i, std::string("unmatched '}' ") + kBraceHint);
    } else {
      size_t next = text.find_first_of("{}", i);
      if (next == std::string_view::npos) next = n;
      t.literals_.append(text.substr(i, next - i));
      i = next;
    }
  }
  flush_literal();
  t.literals_.shrink_to_fit();
  return t;
}

Result<std::string> Template::Render(
    const std::function<const std::string*(std::string_view lowercase_name)>& lookup) const {
  std::vector<const std::string*> values(placeholders_.size(), nullptr);
  std::vector<std::string> missing;
  for (size_t i = 0; i < placeholders_.size(); ++i) {
    if (lookup) values[i] = lookup(placeholders_[i]);
    if (values[i] == nullptr) missing.push_back("{" + placeholders_[i] + "}");
  }
  if (!missing.empty()) {
    const char* what = missing.size() == 1 ? "no value for placeholder " : "no values for placeholders ";
    return Status::InvalidInput(source_name_ + ": " + what + JoinStrings(missing, ", "));
  }
  size_t total = 0;
  for (const Segment& s : segments_) total += s.is_placeholder ? values[s.placeholder]->size() : s.length;
  std::string out;
  out.reserve(total);
  for (const Segment& s : segments_) {
    if (s.is_placeholder) {
      out.append(*values[s.placeholder]);
    } else {
      out.append(literals_, s.offset, s.length);
    }
  }
  return out;
}

Result<std::string> Template::Render(const std::map<std::string, std::string>& variables) const {
  return Render([&variables](std::string_view name) -> const std::string* {
    auto it = variables.find(std::string(name));
    return it == variables.end() ? nullptr : &it->second;
  });
}

std::vector<std::string> UnboundPlaceholders(const Template& t, const std::vector<std::string>& available) {
  std::unordered_set<std::string> names;
  for (const std::string& name : available) names.insert(AsciiLower(name));
  std::vector<std::string> unbound;
  for (const std::string& name : t.placeholders()) {
    if (names.count(name) == 0) unbound.push_back(name);
  }
  return unbound;
}

}  // namespace llmeval
