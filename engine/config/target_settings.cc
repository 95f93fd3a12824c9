#include "engine/config/target_settings.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/config/yaml_json.h"

namespace llmeval {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// "2s", "1.5s", "500ms", "0": milliseconds, at most 10 minutes; nullopt when it is none of those.
std::optional<int64_t> ParseGraceMs(const std::string& text) {
  std::string number = text;
  double scale = 1000;
  if (EndsWith(text, "ms")) {
    number = text.substr(0, text.size() - 2);
    scale = 1;
  } else if (EndsWith(text, "s")) {
    number = text.substr(0, text.size() - 1);
  } else if (text != "0") {
    return std::nullopt;
  }
  std::optional<double> d = ParseDouble(number);
  if (!d.has_value() || *d < 0 || *d * scale > 600000) return std::nullopt;
  return static_cast<int64_t>(*d * scale);
}

// Calls `on_text(begin, end)` for literal runs and `on_placeholder(name)` for each placeholder of the template.
template <typename Text, typename Placeholder>
void WalkTemplate(const std::string& t, Text on_text, Placeholder on_placeholder) {
  bool in_string = false;
  size_t literal = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      continue;
    }
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = false;
      continue;
    }
    if (c != '{') continue;
    size_t end = i + 1;
    while (end < t.size() && IsNameChar(t[end])) ++end;
    if (end == i + 1 || end >= t.size() || t[end] != '}') continue;
    on_text(literal, i);
    on_placeholder(t.substr(i + 1, end - i - 1));
    literal = end + 1;
    i = end;
  }
  on_text(literal, t.size());
}

ConfigPosition PositionOf(const std::string& file, const YAML::Node& node) {
  ConfigPosition p;
  p.file = file;
  p.line = node.Mark().line + 1;
  p.column = node.Mark().column + 1;
  return p;
}

Status ErrorAt(const std::string& file, const YAML::Node& node, const std::string& what) {
  return Status::InvalidInput(PositionOf(file, node).Prefix() + what);
}

// RFC 6901: "" (the whole document) or "/"-separated tokens, where '~' is only ever followed by 0 or 1.
bool ValidPointer(const std::string& p) {
  if (p.empty()) return true;
  if (p[0] != '/') return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '~' && (i + 1 >= p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> BodyTemplatePlaceholders(const std::string& body_template) {
  std::vector<std::string> names;
  std::set<std::string> seen;
  WalkTemplate(
      body_template, [](size_t, size_t) {},
      [&](std::string name) {
        if (seen.insert(name).second) names.push_back(std::move(name));
      });
  return names;
}

std::string RenderBodyTemplate(const std::string& body_template, const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(body_template.size() + 64);
  WalkTemplate(
      body_template, [&](size_t begin, size_t end) { out.append(body_template, begin, end - begin); },
      [&](const std::string& name) {
        auto it = values.find(name);
        if (it == values.end()) it = values.find(AsciiLower(name));
        if (it == values.end()) return;
        JsonWriter w;
        w.String(it->second);
        std::string quoted = w.Take();
        out.append(quoted, 1, quoted.size() - 2);  // Inside the template's own quotes.
      });
  return out;
}

Status ReadTargetSettings(const std::string& file, const std::string& name, const YAML::Node& node, TargetSettings* t) {
  const std::string ctx = "targets." + name;
  if (!node.IsMap()) return ErrorAt(file, node, ctx + ": expected a mapping with kind and its settings");
  static const std::set<std::string> known = {
      "kind",       "url",           "method",          "headers",      "body",
      "response",   "stream",        "max_concurrency", "workers",      "per_item",
      "command",    "env",           "timeout_ms",      "max_attempts", "requests_per_minute",
      "span_grace", "wait_for_spans"};
  t->name = name;
  t->position = PositionOf(file, node);
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    const YAML::Node& v = entry.second;
    std::string where = ctx + "." + key;
    if (known.count(key) == 0) {
      std::vector<std::string> names(known.begin(), known.end());
      std::string hint = SuggestClosest(key, names);
      return ErrorAt(file, entry.first,
                     "unknown key '" + key + "' in " + ctx + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                         "; known keys: " + JoinStrings(names, ", "));
    }
    auto scalar = [&](std::string* out) -> Status {
      if (!v.IsScalar()) return ErrorAt(file, v, where + ": expected a string");
      *out = v.as<std::string>();
      return Status::OK();
    };
    auto integer = [&](int64_t min, int64_t* out) -> Status {
      std::optional<int64_t> n = v.IsScalar() ? ParseInt(v.as<std::string>()) : std::nullopt;
      if (!n.has_value() || *n < min) {
        return ErrorAt(file, v, where + ": expected a whole number >= " + std::to_string(min));
      }
      *out = *n;
      return Status::OK();
    };
    Status s;
    int64_t n = 0;
    if (key == "kind") s = scalar(&t->kind);
    if (key == "url") s = scalar(&t->url);
    if (key == "method") s = scalar(&t->method);
    if (key == "stream") {
      s = scalar(&t->stream);
      if (s.ok() && t->stream != "json" && t->stream != "sse" && t->stream != "ndjson") {
        return ErrorAt(file, v, where + ": expected json, sse or ndjson, got '" + t->stream + "'");
      }
    }
    if (key == "headers" || key == "env") {
      if (!v.IsMap()) return ErrorAt(file, v, where + ": expected a mapping of names to strings");
      for (const auto& h : v) {
        if (!h.second.IsScalar()) {
          return ErrorAt(file, h.second, where + "." + h.first.as<std::string>() + ": expected a string");
        }
        if (key == "headers") {
          t->headers.emplace_back(h.first.as<std::string>(), h.second.as<std::string>());
        } else {
          t->env[h.first.as<std::string>()] = h.second.as<std::string>();
        }
      }
    }
    if (key == "body") {
      t->body_position = PositionOf(file, v);
      if (v.IsScalar()) {
        t->body_template = v.as<std::string>();
      } else if (v.IsMap()) {
        JsonWriter w;
        YamlToJson(v, &w);
        t->body_template = w.Take();
      } else {
        return ErrorAt(file, v, where + ": expected a JSON text or a mapping");
      }
    }
    if (key == "response") {
      if (!v.IsMap()) {
        return ErrorAt(file, v,
                       where + ": expected a mapping of answer, tool_calls, input_tokens, " +
                           "output_tokens, cost_usd to JSON pointers");
      }
      for (const auto& m : v) {
        std::string field = m.first.as<std::string>();
        std::string* out = field == "answer"          ? &t->response.answer
                           : field == "tool_calls"    ? &t->response.tool_calls
                           : field == "input_tokens"  ? &t->response.input_tokens
                           : field == "output_tokens" ? &t->response.output_tokens
                           : field == "cost_usd"      ? &t->response.cost_usd
                                                      : nullptr;
        if (out == nullptr) {
          return ErrorAt(file, m.first,
                         "unknown key '" + field + "' in " + where +
                             "; known keys: answer, cost_usd, input_tokens, output_tokens, tool_calls");
        }
        if (!m.second.IsScalar()) return ErrorAt(file, m.second, where + "." + field + ": expected a JSON pointer");
        *out = m.second.as<std::string>();
        if (!ValidPointer(*out)) {
          return ErrorAt(file, m.second,
                         where + "." + field + ": expected a JSON pointer such as /choices/0/message/content (\"\" " +
                             "or starting with '/', '~' only as ~0 or ~1), got '" + *out + "'");
        }
      }
    }
    if (key == "command") {
      t->command.clear();
      if (v.IsScalar()) {
        t->command.push_back(v.as<std::string>());
      } else if (v.IsSequence()) {
        for (const auto& e : v) {
          if (!e.IsScalar()) return ErrorAt(file, e, where + ": expected a string");
          t->command.push_back(e.as<std::string>());
        }
      } else {
        return ErrorAt(file, v, where + ": expected an argv list");
      }
    }
    if (key == "per_item" || key == "wait_for_spans") {
      std::string b = v.IsScalar() ? AsciiLower(v.as<std::string>()) : "";
      if (b != "true" && b != "false") return ErrorAt(file, v, where + ": expected true or false");
      (key == "per_item" ? t->per_item : t->wait_for_spans) = b == "true";
    }
    if (key == "max_concurrency" && (s = integer(1, &n)).ok()) t->max_concurrency = static_cast<int>(n);
    if (key == "workers" && (s = integer(1, &n)).ok()) t->workers = static_cast<int>(n);
    if (key == "max_attempts" && (s = integer(1, &n)).ok()) t->max_attempts = static_cast<int>(n);
    if (key == "timeout_ms" && (s = integer(1, &n)).ok()) t->timeout_ms = n;
    if (key == "span_grace") {
      std::optional<int64_t> ms = v.IsScalar() ? ParseGraceMs(v.as<std::string>()) : std::nullopt;
      if (!ms.has_value()) return ErrorAt(file, v, where + ": expected a duration such as 2s or 500ms (0 for none)");
      t->span_grace_ms = *ms;
    }
    if (key == "requests_per_minute") {
      std::optional<double> d = v.IsScalar() ? ParseDouble(v.as<std::string>()) : std::nullopt;
      if (!d.has_value() || *d < 0) return ErrorAt(file, v, where + ": expected a number >= 0");
      t->requests_per_minute = *d;
    }
    if (!s.ok()) return s;
  }
  if (t->kind.empty()) return ErrorAt(file, node, ctx + ": needs 'kind' (http or command)");
  if (t->kind != "http" && t->kind != "command") {
    return ErrorAt(file, node["kind"], ctx + ".kind: expected http or command, got '" + t->kind + "'");
  }
  if (t->kind == "http" && t->url.empty()) return ErrorAt(file, node, ctx + ": an http target needs 'url'");
  if (t->kind == "command" && t->command.empty()) {
    return ErrorAt(file, node, ctx + ": a command target needs 'command' (an argv list)");
  }
  return Status::OK();
}

}  // namespace llmeval
