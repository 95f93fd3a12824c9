// ReportHtml: assembles the browser app (engine/report/assets/: shell.html, app.css, app.js, compiled into the binary
// by cmake/EmbedAssets.cmake) into one self-contained HTML page.
//
// Report mode (`llmeval report`): the page embeds the report's two JSON documents (engine/report/report_data.h): the
// data as <script type="application/json" id="llmeval-data">, the item details gzip-compressed and base64-encoded as
// <script type="application/gzip" id="llmeval-details-gz"> (unpacked by the browser's DecompressionStream when the
// first item opens; plain JSON in id="llmeval-details" when compression is unavailable). It needs no network at all
// and works from disk. Live mode (`llmeval ui`): the same app with window.LLMEVAL_LIVE = true fetches the JSON API
// instead.
//
// Safety contract: JSON inside the data blocks goes through EscapeJsonForScript, so no string in the data can close
// the script element or start markup; the page carries a strict Content-Security-Policy meta (nothing external may
// load; inline script and style only); the app builds every element with createElement + textContent, never markup.
#ifndef LLMEVAL_ENGINE_REPORT_REPORT_HTML_H_
#define LLMEVAL_ENGINE_REPORT_REPORT_HTML_H_

#include <string>
#include <string_view>

#include "engine/report/report_data.h"

namespace llmeval {

// The CSP of report pages. The live page adds "connect-src 'self'" so the app may fetch the JSON API; a server that
// also sends the policy as a header must send LiveAppContentSecurityPolicy() for the live page.
extern const char kReportContentSecurityPolicy[];
std::string LiveAppContentSecurityPolicy();

// Rewrites a JSON text for embedding inside <script type="application/json">: '<', '>' and '&' become \u003c, \u003e
// and \u0026, and U+2028 / U+2029 become \u2028 / \u2029. JSON only allows these characters inside strings, where
// the escapes decode to the same text, so JSON.parse gives back exactly the original value.
std::string EscapeJsonForScript(std::string_view json);

// The self-contained report page over `docs`; `title` is plain text (HTML-escaped here).
std::string ReportHtml(const ReportDocuments& docs, const std::string& title);

// The page `llmeval ui` serves at "/": the app in live mode, without data.
std::string LiveAppHtml();

// The raw assets as compiled into the binary (for tests).
namespace report_assets {
std::string_view AppJs();
std::string_view AppCss();
std::string_view ShellHtml();
}  // namespace report_assets

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_REPORT_REPORT_HTML_H_
