#include "datasets/column_names.h"

namespace llmeval {

std::string NormalizeColumnName(std::string_view header) {
  std::string out;
  out.reserve(header.size());
  bool pending_separator = false;
  for (size_t i = 0; i < header.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(header[i]);
    bool keep;
    if (c >= 0x80) {
      // U+00A0 (no-break space, common in spreadsheet exports) separates like a space; other non-ASCII is kept.
      if (c == 0xC2 && i + 1 < header.size() && static_cast<unsigned char>(header[i + 1]) == 0xA0) {
        ++i;
        keep = false;
      } else {
        keep = true;
      }
    } else {
      keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    }
    if (!keep) {
      pending_separator = true;
      continue;
    }
    if (pending_separator && !out.empty()) out.push_back('_');
    pending_separator = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

}  // namespace llmeval
