// libFuzzer target: parses arbitrary bytes as a prompt template and renders it with a lookup that binds every name.
// Checks the invariants that must hold for any input: parsing never crashes, a parsed template always renders, every
// placeholder is a lowercase [a-z_][a-z0-9_]* name, and rendering with empty values equals the literal text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "prompts/template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  llmeval::Result<llmeval::Template> parsed = llmeval::Template::Parse(text, "fuzz.txt");
  if (!parsed.ok()) {
    if (parsed.status().message().rfind("fuzz.txt:", 0) != 0) std::abort();
    return 0;
  }
  for (const std::string& name : parsed->placeholders()) {
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) std::abort();
    for (char c : name) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) std::abort();
    }
  }
  const std::string value = "<v\xc3\xa9>";
  llmeval::Result<std::string> rendered = parsed->Render([&value](std::string_view) { return &value; });
  if (!rendered.ok()) std::abort();
  const std::string empty;
  llmeval::Result<std::string> literal = parsed->Render([&empty](std::string_view) { return &empty; });
  if (!literal.ok() || literal->size() > text.size()) std::abort();
  // Without placeholders, rendering only resolves the brace escapes.
  if (parsed->placeholders().empty() && *rendered != *literal) std::abort();
  return 0;
}
