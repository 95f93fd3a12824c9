#include "tracing/waterfall_text.h"

#include <cmath>
#include <cstdio>

#include "core/utf8.h"

namespace llmeval::waterfall_text {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

size_t Columns(std::string_view text) {
  size_t columns = 0;
  for (char c : text) {
    if (!IsContinuation(c)) ++columns;
  }
  return columns;
}

std::string Clean(std::string_view text) {
  std::string out;
  if (!IsValidUtf8(text)) {
    out = SanitizeUtf8(text);
  } else {
    out.assign(text);
  }
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    } else if (u < 0x20 || u == 0x7f) {
      c = '?';
    }
  }
  return out;
}

void AppendFitted(std::string_view text, size_t columns, bool pad, std::string* out) {
  size_t width = Columns(text);
  if (width > columns) {
    if (columns == 0) return;
    // Keep columns-1 code points, then the ellipsis.
    size_t kept = 0;
    size_t end = 0;
    while (end < text.size()) {
      if (!IsContinuation(text[end])) {
        if (kept == columns - 1) break;
        ++kept;
      }
      ++end;
    }
    out->append(text.substr(0, end));
    out->append("\xE2\x80\xA6");
    return;
  }
  out->append(text);
  if (pad) out->append(columns - width, ' ');
}

void AppendRight(std::string_view text, size_t columns, std::string* out) {
  size_t width = Columns(text);
  if (width < columns) out->append(columns - width, ' ');
  out->append(text);
}

std::string FormatDuration(int64_t nanos) {
  char buf[32];
  const double ms = static_cast<double>(nanos) / 1e6;
  if (nanos < 0) {
    std::snprintf(buf, sizeof(buf), "-%s", FormatDuration(-nanos).c_str());
  } else if (ms < 10) {
    std::snprintf(buf, sizeof(buf), "%.1fms", ms);
  } else if (ms < 999.5) {
    std::snprintf(buf, sizeof(buf), "%.0fms", ms);
  } else if (ms < 99'995) {
    std::snprintf(buf, sizeof(buf), ms < 9'995 ? "%.2fs" : "%.1fs", ms / 1000);
  } else {
    const int64_t seconds = static_cast<int64_t>(std::llround(ms / 1000));
    std::snprintf(buf, sizeof(buf), "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  }
  return buf;
}

std::string FormatCount(int64_t count) {
  char buf[32];
  const double value = static_cast<double>(count);
  if (count < 10'000 && count > -10'000) {
    std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(count));
  } else if (std::fabs(value) < 999'950) {
    std::snprintf(buf, sizeof(buf), "%.1fk", value / 1e3);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1fM", value / 1e6);
  }
  return buf;
}

std::string FormatCost(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), usd < 1 ? "$%.4f" : "$%.2f", usd);
  return buf;
}

std::string FormatScore(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4f", value);
  std::string text = buf;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

}  // namespace llmeval::waterfall_text
