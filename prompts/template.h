// Prompt templates: text with `{placeholder}` fields, e.g. "Category: {category}\nQuestion: {question}".
//
// Syntax: `{name}` is a placeholder (spaces around the name are allowed and trimmed); `{{` and `}}` are a literal `{`
// and `}`. A name is [A-Za-z_][A-Za-z0-9_]* and matches case-insensitively: `{Question}` and `{question}` are the same
// placeholder, and placeholders() and Render lookups use the lowercase name. Anything else is text and passes through
// untouched, byte for byte (UTF-8 included).
//
// Parse compiles the text once into literal and placeholder segments, so Render is a single pass with no scanning.
// Errors are Status::InvalidInput with messages of the form "<source>:<line>:<column>: <what>", where line and column
// are 1-based and the column counts characters (UTF-8 code points), not bytes.
//
// A Template is an immutable value: copy it freely; const methods are safe to call from several threads.
#ifndef LLMEVAL_PROMPTS_TEMPLATE_H_
#define LLMEVAL_PROMPTS_TEMPLATE_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace llmeval {

class Template {
 public:
  // Parses `text`; `source_name` (usually the file path) prefixes every error message. Fails for an unclosed `{`, a
  // lone `}`, an empty `{}` and a placeholder name that is not [A-Za-z_][A-Za-z0-9_]*.
  static Result<Template> Parse(std::string_view text, std::string_view source_name);

  // The distinct placeholder names, lowercase, in order of first appearance.
  const std::vector<std::string>& placeholders() const { return placeholders_; }

  // Renders with `lookup`, called once per distinct placeholder with its lowercase name; a null return means unbound.
  // InvalidInput listing every unbound name when any is unbound. Values are inserted verbatim (never re-parsed).
  Result<std::string> Render(const std::function<const std::string*(std::string_view lowercase_name)>& lookup) const;
  // Same, with the values in a map whose keys are lowercase names. Extra keys are fine.
  Result<std::string> Render(const std::map<std::string, std::string>& variables) const;

  // The source text as given to Parse.
  const std::string& text() const { return text_; }
  const std::string& source_name() const { return source_name_; }

 private:
  // A piece of the compiled template: either literal text (a slice of literals_) or a placeholder.
  struct Segment {
    bool is_placeholder = false;
    size_t offset = 0;       // Literal: start in literals_.
    size_t length = 0;       // Literal: length in literals_.
    size_t placeholder = 0;  // Placeholder: index in placeholders_.
  };

  Template() = default;

  std::string text_;
  std::string source_name_;
  std::string literals_;  // All literal text with escapes resolved, back to back.
  std::vector<Segment> segments_;
  std::vector<std::string> placeholders_;
};

// The names among `t.placeholders()` that are not in `available` (compared ignoring ASCII case), in placeholder order.
// Used to check a template against a dataset's columns before any model call.
std::vector<std::string> UnboundPlaceholders(const Template& t, const std::vector<std::string>& available);

}  // namespace llmeval

#endif  // LLMEVAL_PROMPTS_TEMPLATE_H_
