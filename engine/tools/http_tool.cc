#include "engine/tools/http_tool.h"

#include <curl/curl.h>
#include <simdjson.h>

#include <cstdlib>
#include <mutex>

#include "core/strings.h"

namespace llmeval {
namespace {

struct Body {
  std::string data;
  size_t cap = 0;
  bool truncated = false;
};

size_t OnData(char* ptr, size_t size, size_t nmemb, void* user) {
  auto* body = static_cast<Body*>(user);
  size_t n = size * nmemb;
  size_t room = body->cap > body->data.size() ? body->cap - body->data.size() : 0;
  if (n > room) {
    body->data.append(ptr, room);
    body->truncated = true;
    return 0;  // Stop the transfer: we have all we keep.
  }
  body->data.append(ptr, n);
  return n;
}

std::string Excerpt(const std::string& text) {
  std::string t(TrimWhitespace(text));
  return t.size() > 500 ? t.substr(0, 500) + "..." : t;
}

}  // namespace

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<std::string> ExpandEnvReferences(std::string_view value) {
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    size_t start = value.find("${", i);
    if (start == std::string_view::npos) {
      out.append(value.substr(i));
      break;
    }
    out.append(value.substr(i, start - i));
    size_t end = value.find('}', start + 2);
    if (end == std::string_view::npos) return Status::InvalidInput("unclosed ${ in a header value");
    std::string name(value.substr(start + 2, end - start - 2));
    const char* v = name.empty() ? nullptr : std::getenv(name.c_str());
    if (v == nullptr) return Status::InvalidInput("environment variable " + name + " is not set");
    out.append(v);
    i = end + 1;
  }
  return out;
}

ToolOutcome RunHttpTool(const ToolSettings& tool, const std::string& arguments_json) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::string who = "tool '" + tool.name + "'";
  std::string method = AsciiLower(tool.method) == "get" ? "GET" : "POST";

  std::string url = tool.url;
  if (method == "GET") {
    simdjson::dom::parser parser;
    simdjson::dom::object args;
    if (parser.parse(arguments_json).get_object().get(args) != simdjson::SUCCESS) {
      return {true, "Error: the arguments of '" + tool.name + "' must be a JSON object.", "invalid_arguments"};
    }
    std::string query;
    for (auto field : args) {
      if (field.value.is_null()) continue;
      std::string_view s;
      std::string value =
          field.value.get_string().get(s) == simdjson::SUCCESS ? std::string(s) : simdjson::to_string(field.value);
      query += query.empty() ? "" : "&";
      query += UrlEncode(field.key) + "=" + UrlEncode(value);
    }
    if (!query.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + query;
  }

  curl_slist* headers = nullptr;
  if (method == "POST") headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json, text/plain, */*");
  for (const auto& [name, raw] : tool.headers) {
    Result<std::string> value = ExpandEnvReferences(raw);
    if (!value.ok()) {
      curl_slist_free_all(headers);
      return {true, "Error: " + who + ": header " + name + ": " + value.status().message() + ".", "config_error"};
    }
    headers = curl_slist_append(headers, (name + ": " + *value).c_str());
  }

  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    curl_slist_free_all(headers);
    return {true, "Error: " + who + ": could not create an HTTP handle.", "start_failed"};
  }
  Body body;
  body.cap = tool.max_output_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnData);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(tool.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(tool.timeout_ms, 10000)));
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "llmeval");
  if (method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, arguments_json.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(arguments_json.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);

  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return {true, "Error: " + who + " timed out after " + std::to_string(tool.timeout_ms) + " ms.", "timeout"};
  }
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && body.truncated)) {
    std::string why = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(rc);
    return {true, "Error: " + who + " could not reach its URL: " + why, "network_error"};
  }
  if (status < 200 || status > 299) {
    std::string excerpt = Excerpt(body.data);
    return {true, "Error: " + who + " got HTTP " + std::to_string(status) + (excerpt.empty() ? "." : ": " + excerpt),
            "http_" + std::to_string(status)};
  }
  std::string text = std::move(body.data);
  if (body.truncated) text += "\n[output truncated at " + std::to_string(tool.max_output_bytes) + " bytes]";
  return {false, text, ""};
}

}  // namespace llmeval
