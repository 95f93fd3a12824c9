// Assembles the report app's shell, styles, script and data into one page. See engine/report/report_html.h.
#include "engine/report/report_html.h"

#include "core/base64.h"
#include "core/strings.h"
#include "engine/http/gzip.h"

namespace llmeval {
namespace {

// zlib's fastest level: about 8x smaller on report details at a fraction of the cost of level 6 (about 14x).
constexpr int kDetailsGzipLevel = 1;

const char kLiveScript[] = "<script>window.LLMEVAL_LIVE = true;</script>";

// Replaces each "@@NAME@@" marker of the shell by values(NAME). Only the shell is scanned, so a marker-like text
// inside an inserted value is left alone.
template <typename Lookup>
std::string FillShell(std::string_view shell, const Lookup& values) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = shell.find("@@", pos);
    size_t close = open == std::string_view::npos ? open : shell.find("@@", open + 2);
    if (close == std::string_view::npos) break;
    out.append(shell.substr(pos, open - pos));
    out += values(shell.substr(open + 2, close - open - 2));
    pos = close + 2;
  }
  out.append(shell.substr(pos));
  return out;
}

std::string Page(const std::string& title, const std::string& csp, const std::string& data) {
  return FillShell(report_assets::ShellHtml(), [&](std::string_view name) -> std::string {
    if (name == "CSP") return csp;
    if (name == "TITLE") return EscapeMarkup(title);
    if (name == "CSS") return std::string(report_assets::AppCss());
    if (name == "DATA") return data;
    if (name == "JS") return std::string(report_assets::AppJs());
    return "";
  });
}

}  // namespace

const char kReportContentSecurityPolicy[] =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'";

std::string LiveAppContentSecurityPolicy() {
  return std::string(kReportContentSecurityPolicy) + "; connect-src 'self'";
}

std::string EscapeJsonForScript(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string ReportHtml(const ReportDocuments& docs, const std::string& title) {
  std::string data;
  data.reserve(docs.data_json.size() + docs.details_json.size() + 256);
  data += "<script type=\"application/json\" id=\"llmeval-data\">";
  data += EscapeJsonForScript(docs.data_json);
  // The details are most of a report (every span's messages) and compress about tenfold; base64 holds no character
  // that could end the script element. Plain escaped JSON is the fallback when zlib cannot start.
  Result<std::string> packed = GzipCompress(docs.details_json, kDetailsGzipLevel);
  if (packed.ok()) {
    data += "</script>\n<script type=\"application/gzip\" id=\"llmeval-details-gz\">";
    data += Base64Encode(*packed);
  } else {
    data += "</script>\n<script type=\"application/json\" id=\"llmeval-details\">";
    data += EscapeJsonForScript(docs.details_json);
  }
  data += "</script>";
  return Page(title, kReportContentSecurityPolicy, data);
}

std::string LiveAppHtml() { return Page("llmeval", LiveAppContentSecurityPolicy(), kLiveScript); }

}  // namespace llmeval
