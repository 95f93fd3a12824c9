// not_too_many_words: an llmeval user scorer written as a C++ plugin (shared library).
//
// It counts the words of the answer (the request's top-level "output" string) and passes when there are at most
// max_words of them (default 1000; the request may set {"params": {"max_words": N}}). A word is a run of bytes
// that are not ASCII whitespace (space, tab, CR, LF, FF, VT), the same rule as the enough_words.py command scorer.
// A null or missing "output" counts as zero words.
//
// Build (any C++17 compiler; no dependencies):
//   g++ -shared -fPIC -O2 -o not_too_many_words.so not_too_many_words.cc
//
// Contract: llmeval_scorer_v1 is reentrant and thread-safe (no global state), allocates no memory and throws no
// exceptions. It returns 0 and writes {"value": true|false, "rationale": "..."} on success. On failure it returns
// kInvalidRequest (the request is not the expected JSON) or kOutputTooSmall (out cannot hold the answer) and, when
// out has room, writes {"error": "..."} naming the byte offset and what was expected.

#include <cstdio>
#include <cstring>

extern "C" {
// Returns 0 on success. Writes a NUL-terminated JSON object {"value": true|false|number, "rationale": "..."}
// into out (capacity out_size). request_json is the same JSON as the command-scorer request.
int llmeval_scorer_v1(const char* request_json, char* out, unsigned long out_size);
const char* llmeval_scorer_name_v1(void);
}

namespace {

constexpr int kOk = 0;
constexpr int kInvalidRequest = 1;
constexpr int kOutputTooSmall = 2;
constexpr unsigned long long kDefaultMaxWords = 1000;
constexpr int kMaxDepth = 64;

// Counts words over a stream of decoded characters.
class WordCounter {
 public:
  void Add(unsigned code_point) {
    bool space = code_point == ' ' || code_point == '\t' || code_point == '\n' || code_point == '\r' ||
                 code_point == '\f' || code_point == '\v';
    if (!space && !in_word_) ++words_;
    in_word_ = !space;
  }
  unsigned long long words() const { return words_; }

 private:
  unsigned long long words_ = 0;
  bool in_word_ = false;
};

// A tiny JSON reader over a NUL-terminated text: just enough to find the members this scorer needs and to skip
// everything else while still rejecting malformed input. The first error is kept in error_ / error_offset_.
class Scanner {
 public:
  explicit Scanner(const char* text) : begin_(text), p_(text) {}

  bool failed() const { return error_ != nullptr; }
  const char* error() const { return error_; }
  long error_offset() const { return error_offset_; }

  // Reads the request object, counting the words of "output" into *words and reading "params.max_words".
  bool ReadRequest(WordCounter* words, unsigned long long* max_words) {
    SkipSpace();
    if (!Expect('{', "expected '{' at the start of the request")) return false;
    bool first = true;
    while (true) {
      SkipSpace();
      if (*p_ == '}' && first) break;
      char key[16];
      if (!ReadKey(key, sizeof key)) return false;
      if (std::strcmp(key, "output") == 0) {
        if (IsLiteral("null")) {
          p_ += 4;
        } else if (*p_ == '"') {
          if (!ReadString(words, nullptr, 0)) return false;
        } else {
          return Fail("expected \\\"output\\\" to be a string or null");
        }
      } else if (std::strcmp(key, "params") == 0 && *p_ == '{') {
        if (!ReadParams(max_words)) return false;
      } else if (!SkipValue(1)) {
        return false;
      }
      SkipSpace();
      if (*p_ == ',') {
        ++p_;
        first = false;
        continue;
      }
      if (*p_ == '}') break;
      return Fail("expected ',' or '}' after a member of the request");
    }
    ++p_;
    SkipSpace();
    if (*p_ != '\0') return Fail("expected the end of the request after its closing '}'");
    return true;
  }

 private:
  bool Fail(const char* message) {
    if (error_ == nullptr) {
      error_ = message;
      error_offset_ = p_ - begin_;
    }
    return false;
  }

  bool Expect(char c, const char* message) {
    if (*p_ != c) return Fail(message);
    ++p_;
    return true;
  }

  bool IsLiteral(const char* word) const { return std::strncmp(p_, word, std::strlen(word)) == 0; }

  void SkipSpace() {
    while (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r') ++p_;
  }

  // Reads `"key" :` leaving p_ at the value. Keys longer than the buffer are truncated to "" (they match nothing).
  bool ReadKey(char* key, unsigned long key_size) {
    if (*p_ != '"') return Fail("expected a member name in double quotes");
    if (!ReadString(nullptr, key, key_size)) return false;
    SkipSpace();
    if (!Expect(':', "expected ':' after a member name")) return false;
    SkipSpace();
    return true;
  }

  bool ReadParams(unsigned long long* max_words) {
    ++p_;  // '{'
    SkipSpace();
    if (*p_ == '}') {
      ++p_;
      return true;
    }
    while (true) {
      SkipSpace();
      char key[16];
      if (!ReadKey(key, sizeof key)) return false;
      if (std::strcmp(key, "max_words") == 0) {
        if (*p_ < '0' || *p_ > '9') return Fail("expected \\\"params.max_words\\\" to be a non-negative integer");
        unsigned long long n = 0;
        while (*p_ >= '0' && *p_ <= '9') {
          if (n > 1000000000000ULL) return Fail("\\\"params.max_words\\\" is too large");
          n = n * 10 + static_cast<unsigned>(*p_ - '0');
          ++p_;
        }
        if (*p_ == '.' || *p_ == 'e' || *p_ == 'E') {
          return Fail("expected \\\"params.max_words\\\" to be a non-negative integer");
        }
        *max_words = n;
      } else if (!SkipValue(2)) {
        return false;
      }
      SkipSpace();
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      return Expect('}', "expected ',' or '}' in \\\"params\\\"");
    }
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Reads a string starting at '"'. Decoded characters go to *words (if not null) and into key (if not null, as
  // ASCII; a key that does not fit or is not ASCII becomes "").
  bool ReadString(WordCounter* words, char* key, unsigned long key_size) {
    ++p_;  // opening quote
    unsigned long key_len = 0;
    bool key_ok = key != nullptr;
    while (true) {
      unsigned char c = static_cast<unsigned char>(*p_);
      unsigned code_point = c;
      if (c == '"') {
        ++p_;
        break;
      }
      if (c == '\0') return Fail("unterminated string");
      if (c < 0x20) return Fail("raw control character in a string (it must be escaped)");
      if (c == '\\') {
        ++p_;
        switch (*p_) {
          case '"': code_point = '"'; break;
          case '\\': code_point = '\\'; break;
          case '/': code_point = '/'; break;
          case 'b': code_point = '\b'; break;
          case 'f': code_point = '\f'; break;
          case 'n': code_point = '\n'; break;
          case 'r': code_point = '\r'; break;
          case 't': code_point = '\t'; break;
          case 'u': {
            code_point = 0;
            for (int i = 1; i <= 4; ++i) {
              int h = HexValue(p_[i]);
              if (h < 0) return Fail("expected four hex digits after \\\\u");
              code_point = code_point * 16 + static_cast<unsigned>(h);
            }
            p_ += 4;
            break;
          }
          default:
            return Fail("invalid escape sequence in a string");
        }
      }
      ++p_;
      if (words != nullptr) words->Add(code_point);
      if (key_ok) {
        if (code_point == 0 || code_point > 0x7f || key_len + 1 >= key_size) {
          key_ok = false;
        } else {
          key[key_len++] = static_cast<char>(code_point);
        }
      }
    }
    if (key != nullptr) {
      if (!key_ok) key_len = 0;
      key[key_len] = '\0';
    }
    return true;
  }

  bool SkipNumber() {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    if (*p_ < '0' || *p_ > '9') return Fail("expected a JSON value");
    while (*p_ >= '0' && *p_ <= '9') ++p_;
    if (*p_ == '.') {
      ++p_;
      if (*p_ < '0' || *p_ > '9') return Fail("expected a digit after '.'");
      while (*p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (*p_ == 'e' || *p_ == 'E') {
      ++p_;
      if (*p_ == '+' || *p_ == '-') ++p_;
      if (*p_ < '0' || *p_ > '9') return Fail("expected a digit in the exponent");
      while (*p_ >= '0' && *p_ <= '9') ++p_;
    }
    return p_ > start;
  }

  // Skips one value of any type; depth bounds the recursion.
  bool SkipValue(int depth) {
    if (depth > kMaxDepth) return Fail("the request is nested too deeply");
    SkipSpace();
    char c = *p_;
    if (c == '"') return ReadString(nullptr, nullptr, 0);
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++p_;
      SkipSpace();
      if (*p_ == close) {
        ++p_;
        return true;
      }
      while (true) {
        SkipSpace();
        if (c == '{') {
          char ignored[1];
          if (!ReadKey(ignored, sizeof ignored)) return false;
        }
        if (!SkipValue(depth + 1)) return false;
        SkipSpace();
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        return Expect(close, c == '{' ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array");
      }
    }
    static const char* const kLiterals[] = {"true", "false", "null"};
    for (const char* word : kLiterals) {
      if (IsLiteral(word)) {
        p_ += std::strlen(word);
        return true;
      }
    }
    return SkipNumber();
  }

  const char* begin_;
  const char* p_;
  const char* error_ = nullptr;
  long error_offset_ = 0;
};

// Checks the result of an snprintf into out: returns kOutputTooSmall (and clears out, so that no truncated JSON is
// left behind) when the text did not fit, else status.
int Finish(int status, int written, char* out, unsigned long out_size) {
  if (written < 0 || static_cast<unsigned long>(written) >= out_size) {
    out[0] = '\0';
    return kOutputTooSmall;
  }
  return status;
}

}  // namespace

extern "C" int llmeval_scorer_v1(const char* request_json, char* out, unsigned long out_size) {
  if (out == nullptr || out_size == 0) return kOutputTooSmall;
  out[0] = '\0';
  if (request_json == nullptr) {
    int n = std::snprintf(out, out_size, "{\"error\": \"the request is null\"}");
    Finish(kInvalidRequest, n, out, out_size);
    return kInvalidRequest;
  }
  WordCounter words;
  unsigned long long max_words = kDefaultMaxWords;
  Scanner scanner(request_json);
  if (!scanner.ReadRequest(&words, &max_words)) {
    // Error messages are constant ASCII texts, already escaped for JSON.
    int n = std::snprintf(out, out_size, "{\"error\": \"invalid scorer request at byte %ld: %s\"}",
                          scanner.error_offset(), scanner.error());
    Finish(kInvalidRequest, n, out, out_size);
    return kInvalidRequest;
  }
  unsigned long long n = words.words();
  bool passed = n <= max_words;
  int written = std::snprintf(out, out_size,
                              "{\"value\": %s, \"rationale\": "
                              "\"The answer has %llu word%s; at most %llu %s allowed.\"}",
                              passed ? "true" : "false", n, n == 1 ? "" : "s", max_words,
                              max_words == 1 ? "is" : "are");
  return Finish(kOk, written, out, out_size);
}

extern "C" const char* llmeval_scorer_name_v1(void) { return "not_too_many_words"; }
