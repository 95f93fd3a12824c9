// Conventions of collected traces into items (tracing/trace_items.h).
#include "tracing/trace_items.h"

#include <simdjson.h>

#include <algorithm>
#include <initializer_list>
#include <map>

namespace llmeval {
namespace {

using simdjson::dom::element;

std::string ElementText(const element& e);

// The text of a message's content: a string, or the text parts of a parts/content array.
std::string ContentText(const element& message) {
  element v;
  std::string_view s;
  if (message["content"].get(v) == simdjson::SUCCESS) {
    if (v.get(s) == simdjson::SUCCESS) return std::string(s);
    std::string joined = ElementText(v);
    if (!joined.empty()) return joined;
  }
  if (message["parts"].get(v) == simdjson::SUCCESS) return ElementText(v);
  return "";
}

// Text of a parts array ([{type: text, content|text}]) or a string.
std::string ElementText(const element& e) {
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) return std::string(s);
  simdjson::dom::array parts;
  if (e.get(parts) != simdjson::SUCCESS) return "";
  std::string out;
  for (element part : parts) {
    std::string_view text;
    if (part.get(text) == simdjson::SUCCESS || part["content"].get(text) == simdjson::SUCCESS ||
        part["text"].get(text) == simdjson::SUCCESS) {
      if (!out.empty()) out += "\n";
      out += text;
    }
  }
  return out;
}

// From a messages array: the last message with `role` (any role when empty).
std::string MessagesText(const element& messages, std::string_view role) {
  simdjson::dom::array list;
  if (messages.get(list) != simdjson::SUCCESS) return "";
  std::string found;
  for (element m : list) {
    std::string_view r;
    if (!role.empty() && (m["role"].get(r) != simdjson::SUCCESS || r != role)) continue;
    std::string text = ContentText(m);
    if (!text.empty()) found = text;
  }
  return found;
}

std::string ParseMessages(const std::string& json, std::string_view role) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) return "";
  return MessagesText(root, role);
}

// MLflow's span inputs and outputs: JSON of the function's arguments or return value.
std::string MlflowText(const std::string& json, bool input) {
  simdjson::dom::parser parser;
  element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) return json;
  std::string_view s;
  if (root.get(s) == simdjson::SUCCESS) return std::string(s);
  element v;
  if (root["messages"].get(v) == simdjson::SUCCESS) {
    std::string text = MessagesText(v, input ? "user" : "assistant");
    if (!text.empty()) return text;
  }
  if (!input && root["choices"].at(0)["message"].get(v) == simdjson::SUCCESS) return ContentText(v);
  for (const char* key :
       {"question", "query", "input", "inputs", "prompt", "output", "answer", "response", "content"}) {
    if (root[key].get(v) == simdjson::SUCCESS && v.get(s) == simdjson::SUCCESS) return std::string(s);
  }
  return std::string(simdjson::minify(root));
}

std::string IndexedMessages(const Attributes& a, const std::string& prefix, const std::string& role_suffix,
                            const std::string& content_suffix, std::string_view role) {
  std::string found;
  for (int i = 0; i < 256; ++i) {
    const std::string* content = FindString(a, prefix + std::to_string(i) + content_suffix);
    if (content == nullptr) {
      if (i > 0) break;
      continue;
    }
    const std::string* r = FindString(a, prefix + std::to_string(i) + role_suffix);
    if (role.empty() || r == nullptr || *r == role) found = *content;
  }
  return found;
}

struct Found {
  std::string text;
  std::string convention;
};

Found InputOf(const Span& span) {
  const Attributes& a = span.attributes;
  if (const std::string* v = FindString(a, "gen_ai.input.messages")) {
    std::string t = ParseMessages(*v, "user");
    if (!t.empty()) return {t, "gen_ai"};
  }
  for (const SpanEvent& e : span.events) {
    if (const std::string* v = FindString(e.attributes, "gen_ai.input.messages")) {
      std::string t = ParseMessages(*v, "user");
      if (!t.empty()) return {t, "gen_ai"};
    }
    if (e.name == "gen_ai.user.message") {
      if (const std::string* v = FindString(e.attributes, "content")) return {*v, "gen_ai"};
    }
  }
  if (const std::string* v = FindString(a, "gen_ai.prompt")) {
    std::string t = ParseMessages(*v, "user");
    return {t.empty() ? *v : t, "gen_ai"};
  }
  std::string t = IndexedMessages(a, "gen_ai.prompt.", ".role", ".content", "user");
  if (!t.empty()) return {t, "gen_ai"};
  t = IndexedMessages(a, "llm.input_messages.", ".message.role", ".message.content", "user");
  if (!t.empty()) return {t, "openinference"};
  if (const std::string* v = FindString(a, "input.value")) {
    std::string m = ParseMessages(*v, "user");
    return {m.empty() ? MlflowText(*v, true) : m, "openinference"};
  }
  if (const std::string* v = FindString(a, "mlflow.spanInputs")) return {MlflowText(*v, true), "mlflow"};
  return {};
}

Found OutputOf(const Span& span) {
  const Attributes& a = span.attributes;
  if (const std::string* v = FindString(a, "gen_ai.output.messages")) {
    std::string t = ParseMessages(*v, "assistant");
    if (t.empty()) t = ParseMessages(*v, "");
    if (!t.empty()) return {t, "gen_ai"};
  }
  for (const SpanEvent& e : span.events) {
    if (const std::string* v = FindString(e.attributes, "gen_ai.output.messages")) {
      std::string t = ParseMessages(*v, "");
      if (!t.empty()) return {t, "gen_ai"};
    }
    if (e.name == "gen_ai.choice") {
      if (const std::string* v = FindString(e.attributes, "message")) {
        simdjson::dom::parser parser;
        element root;
        if (parser.parse(*v).get(root) == simdjson::SUCCESS) {
          std::string t = ContentText(root);
          if (!t.empty()) return {t, "gen_ai"};
        }
        return {*v, "gen_ai"};
      }
    }
  }
  if (const std::string* v = FindString(a, "gen_ai.completion")) {
    std::string t = ParseMessages(*v, "");
    return {t.empty() ? *v : t, "gen_ai"};
  }
  std::string t = IndexedMessages(a, "gen_ai.completion.", ".role", ".content", "");
  if (!t.empty()) return {t, "gen_ai"};
  t = IndexedMessages(a, "llm.output_messages.", ".message.role", ".message.content", "");
  if (!t.empty()) return {t, "openinference"};
  if (const std::string* v = FindString(a, "output.value")) return {MlflowText(*v, false), "openinference"};
  if (const std::string* v = FindString(a, "mlflow.spanOutputs")) return {MlflowText(*v, false), "mlflow"};
  return {};
}

}  // namespace

std::optional<TraceItem> ExtractTraceItem(const std::vector<Span>& spans, std::string* reason) {
  auto fail = [&](const char* why) -> std::optional<TraceItem> {
    if (reason != nullptr) *reason = why;
    return std::nullopt;
  };
  const Span* root = nullptr;
  std::vector<const Span*> by_start;
  for (const Span& s : spans) {
    if (s.parent_span_id.IsZero() && root == nullptr) root = &s;
    by_start.push_back(&s);
  }
  if (root == nullptr) return fail("no root span");
  std::stable_sort(by_start.begin(), by_start.end(),
                   [](const Span* x, const Span* y) { return x->start_unix_nanos < y->start_unix_nanos; });
  TraceItem item;
  Found in = InputOf(*root);
  for (size_t i = 0; in.text.empty() && i < by_start.size(); ++i) in = InputOf(*by_start[i]);
  if (in.text.empty()) return fail("no recognisable input");
  Found out = OutputOf(*root);
  if (out.text.empty()) {
    const Span* last = nullptr;
    for (const Span* s : by_start) {
      Found f = OutputOf(*s);
      if (!f.text.empty() && (last == nullptr || s->end_unix_nanos >= last->end_unix_nanos)) {
        last = s;
        out = f;
      }
    }
  }
  if (out.text.empty()) return fail("no recognisable output");
  item.input = in.text;
  item.output = out.text;
  item.convention = in.convention;
  for (const Span* s : by_start) {
    if (item.model.empty()) {
      const std::string* m = FindString(s->attributes, "gen_ai.request.model");
      if (m == nullptr) m = FindString(s->attributes, "llm.model_name");
      if (m != nullptr) item.model = *m;
    }
    const std::string* tool = FindString(s->attributes, "gen_ai.tool.name");
    if (tool == nullptr) continue;
    const std::string* args = FindString(s->attributes, "gen_ai.tool.call.arguments");
    const std::string* result = FindString(s->attributes, "gen_ai.tool.call.result");
    item.tools.push_back(
        {*tool, args != nullptr ? *args : "", result != nullptr ? *result : "", s->status == SpanStatus::kError});
  }
  return item;
}

namespace {

const std::string* FirstString(const Span& s, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (const std::string* v = FindString(s.attributes, k)) return v;
  }
  return nullptr;
}

int64_t FirstInt(const Span& s, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (std::optional<double> v = FindNumber(s.attributes, k)) return static_cast<int64_t>(*v);
  }
  return 0;
}

}  // namespace

AppCalls ExtractAppCalls(const std::vector<Span>& spans) {
  std::vector<const Span*> by_start;
  for (const Span& s : spans) by_start.push_back(&s);
  std::stable_sort(by_start.begin(), by_start.end(),
                   [](const Span* x, const Span* y) { return x->start_unix_nanos < y->start_unix_nanos; });
  AppCalls calls;
  for (const Span* s : by_start) {
    const std::string* operation = FindString(s->attributes, "gen_ai.operation.name");
    const std::string* kind = FindString(s->attributes, "openinference.span.kind");
    const std::string* tool = FindString(s->attributes, "gen_ai.tool.name");
    if (tool == nullptr && kind != nullptr && *kind == "TOOL") tool = FindString(s->attributes, "tool.name");
    if (tool != nullptr) {
      const std::string* args = FirstString(*s, {"gen_ai.tool.call.arguments", "tool.parameters", "input.value"});
      const std::string* result = FirstString(*s, {"gen_ai.tool.call.result", "output.value"});
      calls.tools.push_back(
          {*tool, args != nullptr ? *args : "", result != nullptr ? *result : "", s->status == SpanStatus::kError});
      continue;
    }
    const bool model_call = (operation != nullptr && (*operation == "chat" || *operation == "text_completion" ||
                                                      *operation == "generate_content")) ||
                            (kind != nullptr && *kind == "LLM");
    if (!model_call) continue;
    AppModelCall call;
    const std::string* model = FirstString(*s, {"gen_ai.request.model", "gen_ai.response.model", "llm.model_name"});
    if (model != nullptr) call.model = *model;
    call.input_tokens =
        FirstInt(*s, {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"});
    call.output_tokens =
        FirstInt(*s, {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"});
    call.duration_ms = (s->end_unix_nanos - s->start_unix_nanos) / 1000000;
    for (const char* key : {"llmeval.cost_usd", "gen_ai.usage.cost", "llm.cost.total"}) {
      if (std::optional<double> cost = FindNumber(s->attributes, key)) {
        calls.cost_usd = calls.cost_usd.value_or(0) + *cost;
        break;
      }
    }
    calls.input_tokens += call.input_tokens;
    calls.output_tokens += call.output_tokens;
    calls.model_calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace llmeval
