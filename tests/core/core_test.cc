#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>

#include "core/base64.h"
#include "core/hash.h"
#include "core/json_writer.h"
#include "core/status.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "core/version.h"

namespace llmeval {
namespace {

TEST(StatusTest, OkAndErrorsMapToExitCodes) {
  EXPECT_TRUE(Status::OK().ok());
  EXPECT_EQ(Status::OK().ExitCode(), 0);
  EXPECT_EQ(Status::InvalidInput("x").ExitCode(), 2);
  EXPECT_EQ(Status::NotFound("x").ExitCode(), 2);
  EXPECT_EQ(Status::IOError("x").ExitCode(), 3);
  EXPECT_EQ(Status::InvalidInput("bad").WithContext("a.csv:3").ToString(), "invalid_input: a.csv:3: bad");
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::NotFound("no run 12");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
}

TEST(ResultTest, MadeFromAnOkStatusIsAnInternalErrorInReleaseBuilds) {
#ifndef NDEBUG
  GTEST_SKIP() << "debug builds assert instead";
#else
  // A failure must never look like success: an OK status in a failed Result exited 0 with an empty message.
  Result<int> broken = Status::OK();
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kInternal);
  EXPECT_EQ(broken.status().ExitCode(), 3);
  EXPECT_FALSE(broken.status().message().empty());
#endif
}

TEST(Utf8Test, ValidatesAndRepairs) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("en \xE2\x80\x93 dash"));
  EXPECT_FALSE(IsValidUtf8("bad \xFF byte"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // Surrogate.
  EXPECT_FALSE(IsValidUtf8("\xE2\x80"));      // Truncated.
  size_t replaced = 0;
  EXPECT_EQ(SanitizeUtf8("a\xFF"
                         "b\xE2\x80",
                         &replaced),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(replaced, 2u);
}

// The validator skips ASCII eight bytes at a time: a bad byte must be found at every offset of a long string.
TEST(Utf8Test, FindsABadByteAtEveryOffset) {
  for (size_t at = 0; at < 40; ++at) {
    std::string text(40, 'a');
    EXPECT_TRUE(IsValidUtf8(text));
    text[at] = '\xFF';
    EXPECT_FALSE(IsValidUtf8(text)) << at;
    text[at] = 'a';
    text.replace(at, 1, "\xE2\x80\x93");  // A valid three-byte sequence after any number of ASCII bytes.
    EXPECT_TRUE(IsValidUtf8(text)) << at;
    text.resize(at + 2);  // ...and the same sequence cut short at the end.
    EXPECT_FALSE(IsValidUtf8(text)) << at;
  }
}

// Plain runs are copied in bulk: escapes at the start, the end and next to each other keep the text around them.
TEST(JsonWriterTest, EscapesAtRunBoundaries) {
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("\"abc\""), "\"\\\"abc\\\"\"");
  EXPECT_EQ(JsonQuote("\n\n"), "\"\\n\\n\"");
  EXPECT_EQ(JsonQuote("a\x1f\x7f"), "\"a\\u001f\x7f\"");
  EXPECT_EQ(JsonQuote(std::string("x\0y", 3)), "\"x\\u0000y\"");
  std::string out = "prefix:";
  AppendJsonString("tail", &out);
  EXPECT_EQ(out, "prefix:\"tail\"");
}

// The escaper skips eight bytes at a time; compare it with a byte-at-a-time reference on every byte value at every
// offset of a word, and on random mixes of plain text, escapes, multibyte UTF-8 and invalid bytes.
std::string ReferenceJsonQuote(std::string_view text) {
  std::string valid = SanitizeUtf8(text);
  std::string out = "\"";
  for (unsigned char c : valid) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

TEST(JsonWriterTest, WordAtATimeEscapingMatchesAByteAtATimeReference) {
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t offset = 0; offset < 17; ++offset) {
      std::string text(24, 'a');
      text[offset] = static_cast<char>(byte);
      ASSERT_EQ(JsonQuote(text), ReferenceJsonQuote(text)) << "byte " << byte << " at " << offset;
    }
  }
  const char* const pieces[] = {"plain text ",
                                "\"",
                                "\\",
                                "\n",
                                "\x01",
                                "\x7f",
                                "\xc3\xa9",
                                "\xe2\x82\xac",
                                "\xf0\x9f\x98\x80",
                                "\xff",
                                "\xc3",
                                "\xed\xa0\x80",
                                "0123456789abcdef"};
  uint64_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int k = 0; k < 12; ++k) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text += pieces[(state >> 33) % (sizeof pieces / sizeof pieces[0])];
    }
    ASSERT_EQ(JsonQuote(text), ReferenceJsonQuote(text)) << round;
  }
}

TEST(JsonWriterTest, EscapesAndNests) {
  JsonWriter w;
  w.BeginObject();
  w.Field("s", "quote\" slash\\ nl\n ctl\x01 bad\xFF");
  w.Key("a");
  w.BeginArray();
  w.Int(1);
  w.Double(0.5);
  w.Bool(false);
  w.Null();
  w.EndArray();
  w.Key("raw");
  w.Raw("{\"x\":1}");
  w.EndObject();
  EXPECT_EQ(w.str(),
            "{\"s\":\"quote\\\" slash\\\\ nl\\n ctl\\u0001 bad\xEF\xBF\xBD\",\"a\":[1,0.5,false,null],"
            "\"raw\":{\"x\":1}}");
}

TEST(Base64Test, Rfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(VersionTest, MatchesTheCMakeProjectVersion) { EXPECT_STREQ(kLlmevalVersion, LLMEVAL_PROJECT_VERSION); }

TEST(HashTest, Sha256KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string million(1000000, 'a');
  EXPECT_EQ(Sha256Hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(StringsTest, Helpers) {
  EXPECT_EQ(TrimWhitespace("  a b \r\n"), "a b");
  EXPECT_EQ(EditDistance("run", "rnu"), 2u);
  EXPECT_EQ(SuggestClosest("rnu", {"run", "runs", "gate"}), "run");
  EXPECT_EQ(SuggestClosest("zzzzzz", {"run", "gate"}), "");
  EXPECT_EQ(CountWords("  one two\tthree\n"), 3u);
  EXPECT_EQ(ParseInt("42"), 42);
  EXPECT_FALSE(ParseInt("4x").has_value());
  EXPECT_EQ(ParseDouble("0.25"), 0.25);
}

}  // namespace
}  // namespace llmeval

namespace llmeval {
namespace {

TEST(StringsTest, EscapeMarkupEscapesEntitiesAndDropsForbiddenControls) {
  EXPECT_EQ(EscapeMarkup("a < b && c > \"d\" 'e'"), "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
  EXPECT_EQ(EscapeMarkup(std::string("tab\tnl\ncr\rbell\x07", 15)), "tab\tnl\ncr\rbell ");
  EXPECT_EQ(EscapeMarkup("caf\xC3\xA9"), "caf\xC3\xA9");  // UTF-8 passes through.
}

}  // namespace
}  // namespace llmeval
