// Tests of the report page assembly (engine/report/report_html.h): the script-safe JSON escaping, that data can never
// close its script element, the Content-Security-Policy, and that the compiled-in assets reference nothing external and
// never turn data into markup.
#include "engine/report/report_html.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace llmeval {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

std::string AsciiLowerCopy(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Base64 (standard alphabet) back to bytes; stops at the first character outside it.
std::string Base64Decode(const std::string& text) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    size_t v = kAlphabet.find(c);
    if (v == std::string::npos) break;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out += static_cast<char>(bits >> 16);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 3) {
    out += static_cast<char>(bits >> 10);
    out += static_cast<char>((bits >> 2) & 0xFF);
  } else if (count == 2) {
    out += static_cast<char>(bits >> 4);
  }
  return out;
}

// Gunzip with zlib (windowBits 15 + 16: gzip framing); "" on any error.
std::string Gunzip(const std::string& packed) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return "";
  std::string out;
  char buffer[1 << 14];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  stream.avail_in = static_cast<uInt>(packed.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  return rc == Z_STREAM_END ? out : "";
}

// The text between the opening tag with `id` (of script type `type`) and the next "</script".
std::string DataBlock(const std::string& html, const std::string& id, const std::string& type = "application/json") {
  std::string open = "<script type=\"" + type + "\" id=\"" + id + "\">";
  size_t start = html.find(open);
  EXPECT_NE(start, std::string::npos) << id;
  if (start == std::string::npos) return "";
  start += open.size();
  size_t end = AsciiLowerCopy(html).find("</script", start);
  return html.substr(start, end - start);
}

TEST(EscapeJsonForScriptTest, EscapesMarkupCharactersAndLineSeparators) {
  EXPECT_EQ(EscapeJsonForScript(R"({"a":"</script><b>&amp;"})"),
            R"({"a":"\u003c/script\u003e\u003cb\u003e\u0026amp;"})");
  EXPECT_EQ(EscapeJsonForScript("\"x\xE2\x80\xA8y\xE2\x80\xA9z\""), R"("x\u2028y\u2029z")");
}

TEST(EscapeJsonForScriptTest, LeavesEverythingElseAlone) {
  std::string json = R"({"k":[1,2.5,true,null],"s":"caf\u00e9 é — \"q\" \\ /","e":"\u2603"})";
  EXPECT_EQ(EscapeJsonForScript(json), json);
  // Other three-byte characters starting with E2 80 are not touched.
  EXPECT_EQ(EscapeJsonForScript("\"\xE2\x80\x94\""), "\"\xE2\x80\x94\"");
  // A truncated sequence at the end is copied as is.
  EXPECT_EQ(EscapeJsonForScript("\"\xE2\x80"), "\"\xE2\x80");
  EXPECT_EQ(EscapeJsonForScript(""), "");
}

TEST(ReportHtmlTest, DataCannotCloseItsScriptElement) {
  const std::string payload = R"(</script><script>alert(1)</script><!-- "><img src=x onerror=alert(1)> </SCRIPT >)";
  ReportDocuments docs;
  docs.data_json = R"({"runs":[],"answer":")" + payload + R"("})";
  docs.details_json = R"({"1":{"item":{"output":")" + payload + "\xE2\x80\xA8" + R"("}}})";
  std::string html = ReportHtml(docs, "t");
  // Exactly three script elements close: the two data blocks and the app itself.
  EXPECT_EQ(CountOf(AsciiLowerCopy(html), "</script"), 3u);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(html, Not(HasSubstr("<!--")));
  std::string data = DataBlock(html, "llmeval-data");
  EXPECT_EQ(data, EscapeJsonForScript(docs.data_json));
  // The details travel gzip-compressed in base64: only the base64 alphabet, and they unpack to the exact document.
  std::string details = DataBlock(html, "llmeval-details-gz", "application/gzip");
  EXPECT_EQ(details.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
            std::string::npos);
  EXPECT_EQ(details.substr(0, 4), "H4sI");  // The gzip magic bytes 1f 8b 08.
  EXPECT_EQ(Gunzip(Base64Decode(details)), docs.details_json);
}

TEST(ReportHtmlTest, LargeDetailsCompressAndRoundTrip) {
  std::string details = "{";
  for (int i = 0; i < 20000; ++i) {
    if (i > 0) details += ",";
    details += "\"" + std::to_string(i) + "\":{\"output\":\"The answer to question " + std::to_string(i) +
               " explains unit tests and integration tests.\"}";
  }
  details += "}";
  std::string html = ReportHtml(ReportDocuments{"{}", details}, "t");
  std::string block = DataBlock(html, "llmeval-details-gz", "application/gzip");
  EXPECT_LT(block.size(), details.size() / 4);
  EXPECT_EQ(Gunzip(Base64Decode(block)), details);
}

TEST(ReportHtmlTest, TitleIsEscapedText) {
  std::string html = ReportHtml(ReportDocuments{"{}", "{}"}, "run 1 </title><script>alert(1)</script> & \"x\"");
  EXPECT_THAT(
      html, HasSubstr("<title>run 1 &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;</title>"));
}

TEST(ReportHtmlTest, MarkerLikeDataIsNotExpanded) {
  std::string html = ReportHtml(ReportDocuments{R"({"s":"@@JS@@ @@CSS@@"})", "{}"}, "@@DATA@@");
  EXPECT_THAT(html, HasSubstr(R"({"s":"@@JS@@ @@CSS@@"})"));
  EXPECT_THAT(html, HasSubstr("<title>@@DATA@@</title>"));
  EXPECT_EQ(CountOf(html, std::string(report_assets::AppJs())), 1u);
}

TEST(ReportHtmlTest, StrictContentSecurityPolicy) {
  std::string html = ReportHtml(ReportDocuments{"{}", "{}"}, "t");
  EXPECT_THAT(html, HasSubstr("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                              "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"));
  EXPECT_THAT(html, Not(HasSubstr("connect-src")));
  EXPECT_THAT(html, HasSubstr("id=\"app\" data-state=\"loading\""));
  EXPECT_THAT(html, Not(HasSubstr("LLMEVAL_LIVE = true")));
}

TEST(ReportHtmlTest, LiveAppHasNoDataAndMayFetchItsOrigin) {
  std::string html = LiveAppHtml();
  EXPECT_THAT(html, HasSubstr("<script>window.LLMEVAL_LIVE = true;</script>"));
  EXPECT_THAT(html, HasSubstr("content=\"" + LiveAppContentSecurityPolicy() + "\""));
  EXPECT_THAT(LiveAppContentSecurityPolicy(), HasSubstr("default-src 'none'"));
  EXPECT_THAT(LiveAppContentSecurityPolicy(), HasSubstr("connect-src 'self'"));
  EXPECT_THAT(html, Not(HasSubstr("type=\"application/json\"")));
  EXPECT_THAT(html, HasSubstr(std::string(report_assets::AppJs())));
  EXPECT_EQ(CountOf(html, "@@"), 0u);
}

TEST(ReportAssetsTest, ReferenceNothingExternal) {
  for (std::string_view asset : {report_assets::AppJs(), report_assets::AppCss(), report_assets::ShellHtml()}) {
    std::string text(asset);
    ASSERT_GT(text.size(), 100u);
    // The SVG namespace is an identifier, not a resource.
    for (size_t pos; (pos = text.find("http://www.w3.org/2000/svg")) != std::string::npos;) text.erase(pos, 26);
    EXPECT_THAT(text, Not(HasSubstr("http://")));
    EXPECT_THAT(text, Not(HasSubstr("https://")));
    EXPECT_THAT(text, Not(HasSubstr("//cdn")));
    EXPECT_THAT(text, Not(HasSubstr("@import")));
    EXPECT_THAT(text, Not(HasSubstr("url(")));
  }
  std::string page = ReportHtml(ReportDocuments{"{}", "{}"}, "t");
  EXPECT_THAT(page, Not(HasSubstr(" src=")));
  EXPECT_THAT(page, Not(HasSubstr("<link")));
}

TEST(ReportAssetsTest, AppNeverParsesDataAsMarkup) {
  std::string js(report_assets::AppJs());
  // Nothing in the script can end it or switch the HTML parser's script states.
  EXPECT_THAT(AsciiLowerCopy(js), Not(HasSubstr("</script")));
  EXPECT_THAT(AsciiLowerCopy(js), Not(HasSubstr("<script")));
  EXPECT_THAT(js, Not(HasSubstr("<!--")));
  for (const char* banned : {"outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "Function(",
                             "setTimeout('", "setTimeout(\"", "DOMParser", "createContextualFragment", "srcdoc"}) {
    EXPECT_THAT(js, Not(HasSubstr(banned))) << banned;
  }
  // innerHTML only ever clears a node.
  EXPECT_EQ(CountOf(js, "innerHTML"), CountOf(js, "innerHTML = '';"));
  EXPECT_GE(CountOf(js, "innerHTML = '';"), 1u);
  EXPECT_THAT(js, HasSubstr("textContent"));
  EXPECT_THAT(js, HasSubstr("createElementNS"));
}

}  // namespace
}  // namespace llmeval
